import type { WebClient } from "@slack/web-api";
import type { Person, Program } from "../generated/prisma/client.js";
import { dateInTimeZone } from "../rules/academic-year.js";
import type { ServiceContext } from "../services/context.js";
import { daysBetween } from "../services/pace.js";
import { listResidents } from "../services/roster.js";
import { SignedValues } from "../slack/signed-value.js";
import { nudgeMessage } from "../slack/views/home.js";
import { claimRun, finishRun } from "./claims.js";
import type { JobOutcome } from "./digest-job.js";
import { localTime } from "./periods.js";

/**
 * Nudges are sent only on weekdays from NUDGE_FROM_HOUR to NUDGE_UNTIL_HOUR in the resident's
 * own time zone. Evenings, nights and weekends are quiet hours.
 */
export const NUDGE_FROM_HOUR = 9;
export const NUDGE_UNTIL_HOUR = 17;

/** Days a Snooze button pauses nudges for. */
export const SNOOZE_DAYS = 7;

export function inNudgeHours(at: Date, timeZone: string): boolean {
  const local = localTime(at, timeZone);
  return local.weekday <= 5 && local.hour >= NUDGE_FROM_HOUR && local.hour < NUDGE_UNTIL_HOUR;
}

/** Returns the date of the resident's latest entry, or of their registration when they have none. */
async function lastActivityDate(ctx: ServiceContext, resident: Person, timeZone: string): Promise<string> {
  const latest = await ctx.db.encounter.findFirst({ where: { residentId: resident.id }, orderBy: { createdAt: "desc" }, select: { createdAt: true } });
  return dateInTimeZone(latest?.createdAt ?? resident.createdAt, timeZone);
}

/**
 * Sends a direct message to each active resident who logged nothing for the program's
 * `nudgeAfterDays`, at most once per that many idle days, unless nudges are paused.
 */
export async function runNudges(ctx: ServiceContext, client: WebClient, program: Program, now: Date): Promise<JobOutcome> {
  const afterDays = program.nudgeAfterDays;
  if (!afterDays) return "not_due";

  const signed = new SignedValues(ctx.config.SLACK_SIGNING_SECRET);
  let sent = 0;
  for (const resident of await listResidents(ctx, program.id)) {
    const timeZone = resident.timeZone ?? program.timeZone;
    if (!inNudgeHours(now, timeZone)) continue;

    const today = dateInTimeZone(now, timeZone);
    if (resident.nudgesPausedUntil && today < resident.nudgesPausedUntil) continue;

    const since = await lastActivityDate(ctx, resident, timeZone);
    const idleDays = daysBetween(since, today);
    if (idleDays < afterDays) continue;

    // One nudge per `afterDays` idle days: the period names the quiet stretch and its step.
    const runId = await claimRun(ctx, `nudge:${resident.id}`, program.id, `${since}+${Math.floor(idleDays / afterDays)}`);
    if (runId === null) continue;

    try {
      await client.chat.postMessage({ channel: resident.slackUserId, ...nudgeMessage(idleDays, signed.sign({ u: resident.slackUserId, d: SNOOZE_DAYS })) });
      await finishRun(ctx, runId, ctx.now());
      sent += 1;
    } catch (error) {
      ctx.logger.warn({ err: error, residentId: resident.id }, "nudge not sent");
    }
  }
  if (sent > 0) ctx.logger.info({ programId: program.id, sent }, "nudges sent");
  return "done";
}
