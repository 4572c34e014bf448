/**
 * Renders Block Kit messages and modals as terminal text for `npm run try`. Buttons and inputs
 * come back in lists, so the session can number them and let the user press or fill them.
 */

type Json = Record<string, unknown>;

export interface RenderedButton {
  label: string;
  actionId: string;
  blockId: string | undefined;
  value: string | undefined;
}

export interface RenderedOption {
  label: string;
  value: string;
}

export interface RenderedInput {
  blockId: string;
  actionId: string;
  label: string;
  /** The element type, such as "static_select", "datepicker" or "plain_text_input". */
  type: string;
  optional: boolean;
  options: RenderedOption[];
  initial: unknown;
}

export interface Rendered {
  lines: string[];
  buttons: RenderedButton[];
  inputs: RenderedInput[];
}

function asObject(value: unknown): Json {
  return typeof value === "object" && value !== null ? (value as Json) : {};
}

function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  const text = asObject(value).text;
  return typeof text === "string" ? text : "";
}

/** Turns Slack mrkdwn into plain terminal text: mentions, links and entities. */
export function plainMrkdwn(text: string): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, name?: string) => `@${name ?? id}`)
    .replace(/<#([C][A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, name?: string) => `#${name ?? id}`)
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, "$2 ($1)")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function optionsOf(element: Json): RenderedOption[] {
  const groups = Array.isArray(element.option_groups) ? (element.option_groups as Json[]) : [];
  const lists = [element.options, ...groups.map((group) => group.options)].filter(Array.isArray) as Json[][];
  return lists.flat().map((entry) => ({ label: textOf(entry.text), value: String(entry.value ?? "") }));
}

function buttonOf(element: Json, blockId: string | undefined): RenderedButton | null {
  if (element.type !== "button") return null;
  return {
    label: textOf(element.text),
    actionId: String(element.action_id ?? ""),
    blockId,
    value: typeof element.value === "string" ? element.value : undefined,
  };
}

function initialOf(element: Json): unknown {
  return element.initial_option ?? element.initial_options ?? element.initial_date ?? element.initial_value ?? element.initial_user ?? element.initial_users ?? null;
}

/** Renders blocks; `label(kind, index)` names each button or input in the text, such as "[b3]". */
export function renderBlocks(blocks: unknown, label: (kind: "button" | "input", index: number) => string): Rendered {
  const rendered: Rendered = { lines: [], buttons: [], inputs: [] };
  const addButton = (button: RenderedButton) => {
    rendered.buttons.push(button);
    return `${label("button", rendered.buttons.length - 1)} ${button.label}`;
  };

  for (const raw of Array.isArray(blocks) ? blocks : []) {
    const block = asObject(raw);
    const blockId = typeof block.block_id === "string" ? block.block_id : undefined;

    switch (block.type) {
      case "header":
        rendered.lines.push(`== ${textOf(block.text)} ==`);
        break;
      case "section": {
        const text = plainMrkdwn(textOf(block.text));
        if (text) rendered.lines.push(...text.split("\n"));
        const fields = Array.isArray(block.fields) ? (block.fields as unknown[]).map((field) => plainMrkdwn(textOf(field))) : [];
        if (fields.length > 0) rendered.lines.push(fields.join("   "));
        const accessory = buttonOf(asObject(block.accessory), blockId);
        if (accessory) rendered.lines.push(`    ${addButton(accessory)}`);
        break;
      }
      case "context": {
        const elements = Array.isArray(block.elements) ? (block.elements as unknown[]) : [];
        rendered.lines.push(`  (${elements.map((element) => plainMrkdwn(textOf(element))).join(" ")})`);
        break;
      }
      case "divider":
        rendered.lines.push("----");
        break;
      case "actions": {
        const elements = Array.isArray(block.elements) ? (block.elements as Json[]) : [];
        const buttons = elements.map((element) => buttonOf(element, blockId)).filter((button): button is RenderedButton => button !== null);
        if (buttons.length > 0) rendered.lines.push(buttons.map(addButton).join("   "));
        break;
      }
      case "input": {
        const element = asObject(block.element);
        const input: RenderedInput = {
          blockId: blockId ?? "",
          actionId: String(element.action_id ?? ""),
          label: textOf(block.label),
          type: String(element.type ?? ""),
          optional: block.optional === true,
          options: optionsOf(element),
          initial: initialOf(element),
        };
        rendered.inputs.push(input);
        const hint = textOf(block.hint);
        rendered.lines.push(`${label("input", rendered.inputs.length - 1)} ${input.label}${input.optional ? " (optional)" : ""}: ${input.type}${hint ? ` - ${hint}` : ""}`);
        input.options.forEach((entry, at) => rendered.lines.push(`      ${at + 1}) ${entry.label}`));
        break;
      }
      default:
        rendered.lines.push(`[${String(block.type)} block]`);
    }
  }
  return rendered;
}

/** Renders a modal view: title, blocks and its submit and close labels. */
export function renderView(view: Json, label: (kind: "button" | "input", index: number) => string): Rendered {
  const body = renderBlocks(view.blocks, label);
  const footer = [view.submit ? `submit: "${textOf(view.submit)}"` : null, view.close ? `close: "${textOf(view.close)}"` : null].filter(Boolean).join(", ");
  return { ...body, lines: [`+-- modal: ${textOf(view.title)} --+`, ...body.lines, `+-- ${footer || "no buttons"} --+`] };
}
