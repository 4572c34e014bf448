import type { WebClient } from "@slack/web-api";
import type { ExportFile } from "../../services/exports.js";
import type { SlackDeps } from "../context.js";
import { section } from "../views/blocks.js";
import type { Reply } from "../views/messages.js";

/**
 * Sends report files to a user's direct message with the app. A file needs a channel, and a
 * slash command can come from a DM between two people where the app cannot post, so every
 * report goes to the app's own DM with the requester.
 */
export async function openDirectMessage(client: WebClient, slackUserId: string): Promise<string> {
  const opened = await client.conversations.open({ users: slackUserId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error(`conversations.open returned no channel for ${slackUserId}`);
  return channel;
}

export async function sendFiles(deps: SlackDeps, client: WebClient, slackUserId: string, files: ExportFile[], comment: string): Promise<string> {
  const channel = await openDirectMessage(client, slackUserId);
  await client.filesUploadV2({
    channel_id: channel,
    initial_comment: comment,
    file_uploads: files.map((file) => ({ file: file.data, filename: file.filename, title: file.filename })),
  });
  deps.ctx.logger.info({ slackUserId, files: files.map((file) => file.filename) }, "report files sent");
  return channel;
}

export async function postToChannel(client: WebClient, channel: string, reply: Reply): Promise<void> {
  await client.chat.postMessage({ channel, text: reply.text, ...(reply.blocks ? { blocks: reply.blocks } : {}) });
}

/** Reads the first Slack mention, `<@U123|name>` or `<@U123>`, in command text. */
export function firstMention(text: string): string | null {
  return /<@([UW][A-Z0-9]{2,30})(?:\|[^>]*)?>/.exec(text)?.[1] ?? null;
}

/** Builds a one-section reply that keeps its mention markup. It escapes nothing, so pass it no text a user typed. */
export function mentionReply(markdown: string): Reply {
  return { text: markdown, blocks: [section(markdown)] };
}
