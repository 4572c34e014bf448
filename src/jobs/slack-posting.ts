import type { WebClient } from "@slack/web-api";
import type { Program } from "../generated/prisma/client.js";
import type { ServiceContext } from "../services/context.js";
import type { Reply } from "../slack/views/messages.js";

/** Returns Slack's error code (such as "not_in_channel") from a Web API client error. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === "string" ? data.error : undefined;
}

/** Channel errors that a director fixes by inviting the app or choosing another channel. */
const CHANNEL_ERRORS = new Set(["not_in_channel", "channel_not_found", "is_archived"]);

export type PostOutcome = { ok: true } | { ok: false; error: string; channelProblem: boolean };

/**
 * Posts messages in order. The Web API client waits for Retry-After and retries a rate-limited
 * call by itself (at most twice with the app's retry policy), so a 429 only fails a post when
 * Slack keeps refusing it.
 */
export async function postMessages(ctx: ServiceContext, client: WebClient, channel: string, messages: readonly Reply[]): Promise<PostOutcome> {
  for (const [index, message] of messages.entries()) {
    try {
      await client.chat.postMessage({ channel, text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) });
    } catch (error) {
      const code = slackErrorCode(error) ?? (error as Error).message;
      ctx.logger.warn({ err: error, channel, part: index + 1, parts: messages.length }, "chat.postMessage failed");
      return { ok: false, error: code, channelProblem: CHANNEL_ERRORS.has(code) };
    }
  }
  return { ok: true };
}

/** Tells the program director why a channel post failed and how to fix it. */
export async function reportChannelProblem(ctx: ServiceContext, client: WebClient, program: Program, what: string, error: string): Promise<void> {
  if (!program.directorSlackId || !program.channelId) return;

  const fix =
    error === "not_in_channel"
      ? `Caselog is not a member of <#${program.channelId}>. Type \`/invite @Caselog\` in that channel, or choose another one with \`/caselog admin program channel #channel\`.`
      : `Slack answered \`${error}\` for <#${program.channelId}>. Choose a channel Caselog can post in with \`/caselog admin program channel #channel\`.`;
  const text = `The ${what} for ${program.name} could not be posted. ${fix}`;
  try {
    await client.chat.postMessage({ channel: program.directorSlackId, text });
  } catch (dmError) {
    ctx.logger.error({ err: dmError, programId: program.id }, "could not tell the director about a channel problem");
  }
}
