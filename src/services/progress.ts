import type { Person, Prisma } from "../generated/prisma/client.js";
import { buildProgress, esirWindow, type Progress } from "../rules/counting.js";
import { isDrCategoryId, isIrCategoryId, type DrCategoryId, type IrCategoryId } from "../rules/taxonomy.js";
import type { ServiceContext } from "./context.js";
import { residentProfile } from "./people.js";
import { countPendingEntries } from "./verification.js";

/** Progress plus the entries that wait for a decision and so are not counted yet. */
export type ProgressWithPending = Progress & { pending: { entries: number; coCredits: number } };

/**
 * Computes a resident's progress with a fixed number of aggregate queries, whatever the log's
 * size. Counted: the resident's own entries (only verified ones where the program requires
 * verification) and the encounters co-credited to the resident as senior once approved.
 */
export async function getProgress(ctx: ServiceContext, resident: Person): Promise<ProgressWithPending> {
  const profile = residentProfile(resident);
  const { db } = ctx;

  const program = await db.program.findUnique({ where: { id: resident.programId }, select: { verificationRequired: true } });
  const counted: Prisma.EncounterWhereInput = {
    OR: [
      { residentId: resident.id, ...(program?.verificationRequired ? { verification: "verified" } : {}) },
      { coCredit: { seniorId: resident.id, status: "approved" } },
    ],
  };

  const window = profile.track === "esir" ? esirWindow(profile) : null;
  const [encountersAll, encountersInWindow, byCategory, drSums, pendingEntries, pendingCoCredits] = await Promise.all([
    db.encounter.count({ where: counted }),
    window
      ? db.encounter.count({
          where: { AND: [counted, { performedOn: { gte: window.from, ...(window.until ? { lt: window.until } : {}) } }] },
        })
      : Promise.resolve(null),
    db.encounterProcedure.groupBy({
      by: ["category"],
      where: { encounter: counted, category: { not: null } },
      _count: { _all: true },
    }),
    db.drCount.groupBy({ by: ["category"], where: { residentId: resident.id }, _sum: { count: true } }),
    program?.verificationRequired ? countPendingEntries(ctx, resident.id) : Promise.resolve(0),
    db.coCredit.count({ where: { seniorId: resident.id, status: { in: ["awaiting_senior", "awaiting_attending", "needs_info"] } } }),
  ]);

  const irCounts: Partial<Record<IrCategoryId, number>> = {};
  for (const row of byCategory) {
    if (row.category && isIrCategoryId(row.category)) irCounts[row.category] = row._count._all;
  }
  const drCounts: Partial<Record<DrCategoryId, number>> = {};
  for (const row of drSums) {
    if (isDrCategoryId(row.category)) drCounts[row.category] = row._sum.count ?? 0;
  }

  const progress = buildProgress({
    track: profile.track,
    encountersTowardTarget: encountersInWindow ?? encountersAll,
    encountersAll,
    irCounts,
    drCounts,
  });
  return { ...progress, pending: { entries: pendingEntries, coCredits: pendingCoCredits } };
}
