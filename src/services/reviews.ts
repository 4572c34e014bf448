import { Prisma, type Person, type Program, type Review } from "../generated/prisma/client.js";
import { addDays, dateInTimeZone } from "../rules/academic-year.js";
import type { Progress } from "../rules/counting.js";
import { findPatientIdentifier, patientIdentifierMessage } from "../rules/privacy.js";
import type { ServiceContext } from "./context.js";
import { CaselogError, NotAllowedError, NotFoundError } from "./errors.js";
import { daysBetween, residentPace, type Pace } from "./pace.js";
import { getProgress } from "./progress.js";
import { listResidents, managesProgram } from "./roster.js";

/**
 * Semi-annual reviews of residents' case logs. Programs review every log in each review
 * window (by default January and July), and a log with no review for 12 months is escalated.
 */

/** A gap between logged cases longer than this many days is shown as an anomaly. */
export const LONG_GAP_DAYS = 30;
/** Entries created within this many days before the review are checked for back-entry. */
export const BACK_ENTRY_WINDOW_DAYS = 14;
/** An entry created more than this many days after its date of service is back-entered. */
export const BACK_ENTRY_AGE_DAYS = 30;
/** Back-entered entries from this count on are flagged as a bulk back-entry. */
export const BULK_BACK_ENTRY_MIN = 10;
/** A log unreviewed for this many months is escalated. */
export const ESCALATION_MONTHS = 12;

/** Parses "1,7" into month numbers; throws RangeError on anything but months 1 to 12. */
export function parseReviewMonths(value: string): number[] {
  const months = value
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((word) => Number(word));
  if (months.length === 0 || months.some((month) => !Number.isInteger(month) || month < 1 || month > 12)) {
    throw new RangeError(`Invalid review months "${value}": expected month numbers 1 to 12 separated by commas, such as 1,7`);
  }
  return [...new Set(months)].sort((a, b) => a - b);
}

export async function latestReview(ctx: ServiceContext, residentId: number): Promise<Review | null> {
  return ctx.db.review.findFirst({ where: { residentId }, orderBy: { reviewedAt: "desc" } });
}

/** Returns each resident's latest review, keyed by resident id. */
export async function latestReviews(ctx: ServiceContext, residentIds: readonly number[]): Promise<Map<number, Review>> {
  const reviews = await ctx.db.review.findMany({ where: { residentId: { in: [...residentIds] } }, orderBy: { reviewedAt: "asc" } });
  return new Map(reviews.map((review) => [review.residentId, review]));
}

/** Lists residents not yet reviewed on or after `windowStart` ("YYYY-MM-DD" in the program's zone). */
export async function residentsDueForReview(ctx: ServiceContext, program: Program, windowStart: string): Promise<{ resident: Person; lastReview: Review | null }[]> {
  const residents = await listResidents(ctx, program.id);
  const reviews = await latestReviews(ctx, residents.map((resident) => resident.id));
  return residents
    .map((resident) => ({ resident, lastReview: reviews.get(resident.id) ?? null }))
    .filter(({ lastReview }) => !lastReview || dateInTimeZone(lastReview.reviewedAt, program.timeZone) < windowStart);
}

/** Returns the date `months` calendar months before `date`, clamped to the month's last day. */
export function monthsBefore(date: string, months: number): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const index = year * 12 + (month - 1) - months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  return `${String(targetYear).padStart(4, "0")}-${String(targetMonth).padStart(2, "0")}-${String(Math.min(day, lastDay)).padStart(2, "0")}`;
}

export interface OverdueResident {
  resident: Person;
  /** Date of the latest review in the program's zone, or null when never reviewed. */
  lastReviewedOn: string | null;
}

/**
 * Lists residents whose log has gone unreviewed for ESCALATION_MONTHS: the latest review, or the
 * residency start when there is none, lies that far before `today`.
 */
export async function overdueResidents(ctx: ServiceContext, program: Program, today: string): Promise<OverdueResident[]> {
  const cutoff = monthsBefore(today, ESCALATION_MONTHS);
  const residents = await listResidents(ctx, program.id);
  const reviews = await latestReviews(ctx, residents.map((resident) => resident.id));

  const overdue: OverdueResident[] = [];
  for (const resident of residents) {
    const review = reviews.get(resident.id);
    const lastReviewedOn = review ? dateInTimeZone(review.reviewedAt, program.timeZone) : null;
    const since = lastReviewedOn ?? resident.residencyStart!;
    if (since <= cutoff) overdue.push({ resident, lastReviewedOn });
  }
  return overdue;
}

export interface ReviewSummary {
  resident: Person;
  progress: Progress;
  pace: Pace | null;
  lastReview: Review | null;
  periodFrom: string;
  periodUntil: string;
  entriesInPeriod: number;
  anomalies: string[];
}

function countOf(count: number, singular: string, plural: string): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

function gapAnomalies(dates: readonly string[], from: string, until: string): string[] {
  const points = [from, ...dates, until];
  const gaps: { from: string; until: string; days: number }[] = [];
  for (let index = 1; index < points.length; index += 1) {
    const days = daysBetween(points[index - 1]!, points[index]!);
    if (days > LONG_GAP_DAYS) gaps.push({ from: points[index - 1]!, until: points[index]!, days });
  }
  return gaps
    .sort((a, b) => b.days - a.days)
    .slice(0, 3)
    .map((gap) => `No cases logged for ${gap.days} days (${gap.from} to ${gap.until}).`);
}

/**
 * Gathers what a reviewer needs: progress, pace, and anomalies over the period since the
 * last review (long gaps, bulk back-entry shortly before the review, pending or declined entries).
 */
export async function reviewSummary(ctx: ServiceContext, resident: Person, today: string): Promise<ReviewSummary> {
  const lastReview = await latestReview(ctx, resident.id);
  const periodFrom = lastReview ? addDays(lastReview.periodUntil, 1) : resident.residencyStart!;
  const periodUntil = today;

  const [progress, entries, recentEntries, unsettled, coCredits] = await Promise.all([
    getProgress(ctx, resident),
    ctx.db.encounter.findMany({
      where: { residentId: resident.id, performedOn: { gte: periodFrom, lte: periodUntil } },
      select: { performedOn: true },
      orderBy: { performedOn: "asc" },
    }),
    ctx.db.encounter.findMany({
      where: { residentId: resident.id, createdAt: { gte: new Date(ctx.now().getTime() - BACK_ENTRY_WINDOW_DAYS * 86_400_000) } },
      select: { performedOn: true, createdAt: true },
    }),
    ctx.db.encounter.groupBy({ by: ["verification"], where: { residentId: resident.id, verification: { in: ["pending", "needs_info", "declined"] } }, _count: { _all: true } }),
    ctx.db.coCredit.groupBy({
      by: ["status"],
      where: { encounter: { residentId: resident.id }, status: { in: ["awaiting_senior", "awaiting_attending", "needs_info", "declined"] } },
      _count: { _all: true },
    }),
  ]);

  const anomalies = gapAnomalies([...new Set(entries.map((entry) => entry.performedOn))], periodFrom, periodUntil);

  const backEntered = recentEntries.filter((entry) => daysBetween(entry.performedOn, dateInTimeZone(entry.createdAt, resident.timeZone ?? ctx.config.CASELOG_DEFAULT_TIME_ZONE)) > BACK_ENTRY_AGE_DAYS);
  if (backEntered.length >= BULK_BACK_ENTRY_MIN) {
    anomalies.push(`${backEntered.length} entries were logged in the last ${BACK_ENTRY_WINDOW_DAYS} days for cases more than ${BACK_ENTRY_AGE_DAYS} days old.`);
  }

  const verificationWords: Record<string, string> = { pending: "awaiting verification", needs_info: "returned for more information", declined: "declined by the attending" };
  for (const row of unsettled) anomalies.push(`${countOf(row._count._all, "entry", "entries")} ${verificationWords[row.verification] ?? row.verification}.`);
  for (const row of coCredits) anomalies.push(`${countOf(row._count._all, "co-credit request", "co-credit requests")} ${row.status.replace(/_/g, " ")}.`);

  return {
    resident,
    progress,
    pace: residentPace(resident, progress, today),
    lastReview,
    periodFrom,
    periodUntil,
    entriesInPeriod: entries.length,
    anomalies,
  };
}

/** Finds a resident that `actor` may review: active staff of the resident's program. */
export async function reviewableResident(ctx: ServiceContext, actor: Person | null, residentId: number): Promise<Person> {
  const resident = await ctx.db.person.findUnique({ where: { id: residentId } });
  if (!resident || resident.role !== "resident") throw new NotFoundError("That resident is no longer in Caselog.");
  if (!actor || !managesProgram(actor, resident.programId)) {
    throw new NotAllowedError("Only the resident's program director or coordinator can review this log.");
  }
  return resident;
}

/** Maximum length of a review comment in characters, equal to the review modal input's max_length. */
export const MAX_REVIEW_COMMENT_LENGTH = 3000;

/**
 * Returns why `comment` cannot be stored, or null when it can. The text passes the
 * patient-identifier guard because it is stored and sent to the resident.
 */
export function reviewCommentProblem(comment: string): string | null {
  if (comment.length > MAX_REVIEW_COMMENT_LENGTH) {
    return `The comment is limited to ${MAX_REVIEW_COMMENT_LENGTH} characters (yours has ${comment.length}). Shorten it.`;
  }
  const finding = findPatientIdentifier(comment);
  return finding ? patientIdentifierMessage(finding, "The comment") : null;
}

export interface RecordReviewInput {
  actor: Person | null;
  residentId: number;
  periodFrom: string;
  periodUntil: string;
  comment: string;
  /**
   * Identifies one submission, such as the Slack view id of the review modal. A second call
   * with the same key stores nothing and returns the first review with `created: false`.
   */
  submissionKey?: string;
}

/**
 * Stores a review: who reviewed, when, the period covered and the comment. Throws a
 * CaselogError with code "invalid_comment" when the comment fails `reviewCommentProblem`.
 */
export async function recordReview(ctx: ServiceContext, input: RecordReviewInput): Promise<{ review: Review; resident: Person; created: boolean }> {
  const resident = await reviewableResident(ctx, input.actor, input.residentId);
  const comment = input.comment.trim();
  const problem = reviewCommentProblem(comment);
  if (problem) throw new CaselogError("invalid_comment", problem);

  const submissionKey = input.submissionKey ?? null;
  let review: Review;
  try {
    review = await ctx.db.review.create({
      data: {
        residentId: resident.id,
        reviewerSlackId: input.actor!.slackUserId,
        reviewedAt: ctx.now(),
        periodFrom: input.periodFrom,
        periodUntil: input.periodUntil,
        comment: comment || null,
        submissionKey,
      },
    });
  } catch (error) {
    const duplicate = error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
    if (!duplicate || submissionKey === null) throw error;
    const first = await ctx.db.review.findUniqueOrThrow({ where: { submissionKey } });
    ctx.logger.info({ reviewId: first.id, residentId: resident.id, reviewerSlackId: input.actor!.slackUserId }, "duplicate review submission ignored");
    return { review: first, resident, created: false };
  }
  ctx.logger.info({ reviewId: review.id, residentId: resident.id, reviewerSlackId: review.reviewerSlackId }, "review recorded");
  return { review, resident, created: true };
}
