import type { Person, Program, Review } from "../generated/prisma/client.js";
import { dateInTimeZone } from "../rules/academic-year.js";
import type { Progress } from "../rules/counting.js";
import type { ServiceContext } from "./context.js";
import { residentRow, type DigestRow } from "./digests.js";
import { procedureNames } from "./encounters.js";
import { latestReviews, monthsBefore, ESCALATION_MONTHS } from "./reviews.js";
import { getProgress } from "./progress.js";
import { listResidents } from "./roster.js";

/** Entries per page on a resident's Home, and residents per page on a director's Home. */
export const HOME_ENTRIES_PER_PAGE = 10;
export const HOME_RESIDENTS_PER_PAGE = 25;

export interface HomeEntry {
  id: number;
  performedOn: string;
  procedures: string[];
  verification: string;
}

export interface ResidentHome {
  progress: Progress;
  pending: { verification: Record<string, number>; coCredit: number };
  entries: HomeEntry[];
  page: number;
  pages: number;
  lastReview: Review | null;
  nudgesPausedUntil: string | null;
}

/** Loads a resident's Home: progress, pending items and one page of recent entries. */
export async function loadResidentHome(ctx: ServiceContext, resident: Person, requestedPage: number): Promise<ResidentHome> {
  const total = await ctx.db.encounter.count({ where: { residentId: resident.id } });
  const pages = Math.max(1, Math.ceil(total / HOME_ENTRIES_PER_PAGE));
  const page = Math.min(Math.max(requestedPage, 1), pages);

  const [progress, rows, unsettled, coCredit, reviews] = await Promise.all([
    getProgress(ctx, resident),
    ctx.db.encounter.findMany({
      where: { residentId: resident.id },
      include: { procedures: true },
      orderBy: [{ performedOn: "desc" }, { id: "desc" }],
      skip: (page - 1) * HOME_ENTRIES_PER_PAGE,
      take: HOME_ENTRIES_PER_PAGE,
    }),
    ctx.db.encounter.groupBy({ by: ["verification"], where: { residentId: resident.id, verification: { in: ["pending", "needs_info", "declined"] } }, _count: { _all: true } }),
    ctx.db.coCredit.count({ where: { encounter: { residentId: resident.id }, status: { in: ["awaiting_senior", "awaiting_attending", "needs_info"] } } }),
    latestReviews(ctx, [resident.id]),
  ]);

  return {
    progress,
    pending: { verification: Object.fromEntries(unsettled.map((row) => [row.verification, row._count._all])), coCredit },
    entries: rows.map((row) => ({ id: row.id, performedOn: row.performedOn, procedures: procedureNames(row), verification: row.verification })),
    page,
    pages,
    lastReview: reviews.get(resident.id) ?? null,
    nudgesPausedUntil: resident.nudgesPausedUntil,
  };
}

export interface DirectorHomeRow extends DigestRow {
  residentId: number;
  lastReviewedOn: string | null;
  reviewOverdue: boolean;
}

export interface DirectorHome {
  program: Program;
  rows: DirectorHomeRow[];
  behind: DirectorHomeRow[];
  overdue: number;
  total: number;
  page: number;
  pages: number;
}

/** Loads a director's or coordinator's Home: program overview, review status and pace. */
export async function loadDirectorHome(ctx: ServiceContext, program: Program, today: string, requestedPage: number): Promise<DirectorHome> {
  const residents = await listResidents(ctx, program.id);
  const reviews = await latestReviews(ctx, residents.map((resident) => resident.id));
  const cutoff = monthsBefore(today, ESCALATION_MONTHS);

  const all: DirectorHomeRow[] = [];
  for (const resident of residents) {
    const review = reviews.get(resident.id);
    const lastReviewedOn = review ? dateInTimeZone(review.reviewedAt, program.timeZone) : null;
    all.push({
      ...(await residentRow(ctx, resident, today)),
      residentId: resident.id,
      lastReviewedOn,
      reviewOverdue: (lastReviewedOn ?? resident.residencyStart!) <= cutoff,
    });
  }

  const pages = Math.max(1, Math.ceil(all.length / HOME_RESIDENTS_PER_PAGE));
  const page = Math.min(Math.max(requestedPage, 1), pages);
  return {
    program,
    rows: all.slice((page - 1) * HOME_RESIDENTS_PER_PAGE, page * HOME_RESIDENTS_PER_PAGE),
    behind: all.filter((row) => row.pace?.status === "behind"),
    overdue: all.filter((row) => row.reviewOverdue).length,
    total: all.length,
    page,
    pages,
  };
}
