import type { ActionsBlock, Button, ContextBlock, HeaderBlock, KnownBlock, PlainTextOption, SectionBlock } from "@slack/types";

/** Small typed constructors for the Block Kit pieces Caselog uses. */

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Escapes the three characters Slack's mrkdwn treats as markup. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function header(text: string): HeaderBlock {
  return { type: "header", text: { type: "plain_text", text: truncate(text, 150) } };
}

export function section(markdown: string, blockId?: string): SectionBlock {
  return { type: "section", text: { type: "mrkdwn", text: truncate(markdown, 3000) }, ...(blockId ? { block_id: blockId } : {}) };
}

export function context(markdown: string): ContextBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text: truncate(markdown, 3000) }] };
}

export function button(text: string, actionId: string, value: string, style?: "primary" | "danger"): Button {
  return { type: "button", text: { type: "plain_text", text: truncate(text, 75) }, action_id: actionId, value, ...(style ? { style } : {}) };
}

export function actions(elements: Button[], blockId?: string): ActionsBlock {
  return { type: "actions", elements: elements.slice(0, 25), ...(blockId ? { block_id: blockId } : {}) };
}

export function option(text: string, value: string): PlainTextOption {
  return { text: { type: "plain_text", text: truncate(text, 75) }, value };
}

export function plain(text: string) {
  return { type: "plain_text" as const, text };
}

export type Blocks = KnownBlock[];
