import type { WebClient } from "@slack/web-api";
import type { Program } from "../generated/prisma/client.js";
import type { ServiceContext } from "../services/context.js";
import { overdueResidents, parseReviewMonths, residentsDueForReview } from "../services/reviews.js";
import { programDirectorSlackId } from "../services/roster.js";
import { SignedValues } from "../slack/signed-value.js";
import { escalationMessages, reviewReminderMessages } from "../slack/views/review.js";
import { claimRun, finishRun } from "./claims.js";
import type { JobOutcome } from "./digest-job.js";
import { localTime, monthlyPeriod } from "./periods.js";
import { postMessages, reportChannelProblem } from "./slack-posting.js";

const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** Sends the director the residents due at the start of a review window, once per window. */
export async function runReviewReminder(ctx: ServiceContext, client: WebClient, program: Program, now: Date): Promise<JobOutcome> {
  const director = await programDirectorSlackId(ctx, program);
  if (!director) return "not_due";

  const local = localTime(now, program.timeZone);
  const period = monthlyPeriod(local);
  const month = Number(local.date.slice(5, 7));
  if (!period || !parseReviewMonths(program.reviewMonths).includes(month)) return "not_due";

  const runId = await claimRun(ctx, "review_reminder", program.id, period);
  if (runId === null) return "claimed_elsewhere";

  const due = await residentsDueForReview(ctx, program, `${period}-01`);
  if (due.length > 0) {
    const signed = new SignedValues(ctx.config.SLACK_SIGNING_SECRET);
    const residents = due.map(({ resident, lastReview }) => ({
      slackUserId: resident.slackUserId,
      lastReviewedOn: lastReview?.periodUntil ?? null,
      buttonValue: signed.sign({ r: resident.id }),
    }));
    const windowLabel = `${MONTH_NAMES[month - 1]} ${period.slice(0, 4)}`;
    const outcome = await postMessages(ctx, client, director, reviewReminderMessages(program.name, windowLabel, residents));
    if (!outcome.ok) {
      ctx.logger.error({ programId: program.id, period, error: outcome.error }, "review reminder not sent");
      return "failed";
    }
  }

  await finishRun(ctx, runId, ctx.now());
  ctx.logger.info({ programId: program.id, period, due: due.length }, "review reminder sent");
  return "done";
}

/**
 * Escalates logs unreviewed for 12 months to the director and the program channel, once a
 * month while they stay overdue.
 */
export async function runReviewEscalation(ctx: ServiceContext, client: WebClient, program: Program, now: Date): Promise<JobOutcome> {
  const director = await programDirectorSlackId(ctx, program);
  if (!director) return "not_due";

  const local = localTime(now, program.timeZone);
  const period = monthlyPeriod(local);
  if (!period) return "not_due";

  const runId = await claimRun(ctx, "review_escalation", program.id, period);
  if (runId === null) return "claimed_elsewhere";

  const overdue = await overdueResidents(ctx, program, local.date);
  if (overdue.length > 0) {
    const messages = escalationMessages(program.name, overdue);
    const direct = await postMessages(ctx, client, director, messages);
    if (!direct.ok) ctx.logger.error({ programId: program.id, period, error: direct.error }, "escalation not sent to the director");

    if (program.channelId) {
      const posted = await postMessages(ctx, client, program.channelId, messages);
      if (!posted.ok && posted.channelProblem) await reportChannelProblem(ctx, client, { ...program, directorSlackId: director }, "review escalation", posted.error);
      if (!posted.ok) ctx.logger.error({ programId: program.id, period, error: posted.error }, "escalation not posted to the channel");
    }
  }

  await finishRun(ctx, runId, ctx.now());
  ctx.logger.info({ programId: program.id, period, overdue: overdue.length }, "review escalation checked");
  return "done";
}
