import type { WebClient } from "@slack/web-api";
import type { Person } from "../generated/prisma/client.js";
import { dateInTimeZone, isValidTimeZone } from "../rules/academic-year.js";
import type { ServiceContext } from "../services/context.js";
import { rememberTimeZone } from "../services/people.js";
import type { SubcommandRegistry } from "./commands/subcommands.js";
import { SignedValues } from "./signed-value.js";
import type { WorkQueue } from "./work-queue.js";
import type { Reply } from "./views/messages.js";

/** Dependencies the listeners share: the services' context, button signing and a time-zone cache. */
export interface SlackDeps {
  ctx: ServiceContext;
  signed: SignedValues;
  timeZones: TimeZoneCache;
  subcommands: SubcommandRegistry;
  /** Queue for work done after acknowledging, so acknowledgements stay prompt. */
  work: WorkQueue;
}

const TIME_ZONE_TTL_MS = 6 * 60 * 60 * 1000;

/**
 * Caches each user's Slack time zone (`users.info` field `tz`) for six hours, so a command
 * costs no Web API call in the common case. Falls back to the stored zone, then the default.
 */
export class TimeZoneCache {
  private readonly entries = new Map<string, { timeZone: string; at: number }>();

  constructor(private readonly fallback: string) {}

  async lookup(deps: SlackDeps, client: WebClient, slackUserId: string, person: Person | null): Promise<string> {
    const now = deps.ctx.now().getTime();
    const cached = this.entries.get(slackUserId);
    if (cached && now - cached.at < TIME_ZONE_TTL_MS) return cached.timeZone;

    let timeZone = person?.timeZone ?? this.fallback;
    try {
      const info = await client.users.info({ user: slackUserId });
      if (info.user?.tz && isValidTimeZone(info.user.tz)) timeZone = info.user.tz;
    } catch (error) {
      deps.ctx.logger.warn({ err: error, slackUserId }, "users.info failed; using the stored time zone");
    }

    this.entries.set(slackUserId, { timeZone, at: now });
    if (person) await rememberTimeZone(deps.ctx, person, timeZone);
    return timeZone;
  }

  today(deps: SlackDeps, timeZone: string): string {
    return dateInTimeZone(deps.ctx.now(), timeZone);
  }
}

export type Responder = (reply: Reply & { replace_original?: boolean; delete_original?: boolean }) => Promise<void>;

/**
 * Posts to a Slack response_url (valid for 5 posts in 30 minutes). Messages are ephemeral
 * unless they replace the original. Failures are logged, not thrown: the entry is stored either way.
 */
export function responderFor(deps: SlackDeps, responseUrl: string): Responder {
  return async (reply) => {
    try {
      const response = await fetch(responseUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ response_type: "ephemeral", ...reply }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) deps.ctx.logger.warn({ status: response.status }, "response_url post failed");
    } catch (error) {
      deps.ctx.logger.warn({ err: error }, "response_url post failed");
    }
  };
}

/** Sends a reply as a direct message from the app, for flows that have no response_url. */
export function directMessenger(deps: SlackDeps, client: WebClient, slackUserId: string): Responder {
  return async (reply) => {
    try {
      await client.chat.postMessage({ channel: slackUserId, text: reply.text, ...(reply.blocks ? { blocks: reply.blocks } : {}) });
    } catch (error) {
      deps.ctx.logger.warn({ err: error, slackUserId }, "direct message failed");
    }
  };
}
