import type { WebClient } from "@slack/web-api";
import type { Program } from "../generated/prisma/client.js";
import type { ServiceContext } from "../services/context.js";
import { buildDigest } from "../services/digests.js";
import { programDirectorSlackId } from "../services/roster.js";
import { digestMessages } from "../slack/views/digest.js";
import { claimRun, finishRun } from "./claims.js";
import { localTime, monthlyPeriod, weeklyPeriod } from "./periods.js";
import { postMessages, reportChannelProblem } from "./slack-posting.js";

export type JobOutcome = "not_due" | "claimed_elsewhere" | "done" | "failed";

/** Returns the digest's current period for the program, or null when none is due or digests are off. */
export function digestPeriod(program: Program, now: Date): string | null {
  const local = localTime(now, program.timeZone);
  if (program.digestFrequency === "weekly") return weeklyPeriod(local);
  if (program.digestFrequency === "monthly") return monthlyPeriod(local);
  return null;
}

/** Posts the program's digest once for the current week or month. */
export async function runDigest(ctx: ServiceContext, client: WebClient, program: Program, now: Date): Promise<JobOutcome> {
  const period = digestPeriod(program, now);
  if (!period || !program.channelId) return "not_due";

  const runId = await claimRun(ctx, "digest", program.id, period);
  if (runId === null) return "claimed_elsewhere";

  const local = localTime(now, program.timeZone);
  const digest = await buildDigest(ctx, program, period, local.date);
  const outcome = await postMessages(ctx, client, program.channelId, digestMessages(digest, program.digestFrequency));
  if (!outcome.ok) {
    // NOTE: the claim stays, so a failed digest is not retried in the same period.
    if (outcome.channelProblem) {
      const director = await programDirectorSlackId(ctx, program);
      await reportChannelProblem(ctx, client, { ...program, directorSlackId: director }, "case log digest", outcome.error);
    }
    ctx.logger.error({ programId: program.id, period, error: outcome.error }, "digest not posted");
    return "failed";
  }

  await finishRun(ctx, runId, ctx.now());
  ctx.logger.info({ programId: program.id, period, residents: digest.rows.length }, "digest posted");
  return "done";
}
