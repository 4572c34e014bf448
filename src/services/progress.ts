import type { Person } from "../generated/prisma/client.js";
import { buildProgress, esirWindow, type Progress } from "../rules/counting.js";
import { isDrCategoryId, isIrCategoryId, type DrCategoryId, type IrCategoryId } from "../rules/taxonomy.js";
import type { ServiceContext } from "./context.js";
import { residentProfile } from "./people.js";

/** Computes a resident's progress with three aggregate queries, whatever the log's size. */
export async function getProgress(ctx: ServiceContext, resident: Person): Promise<Progress> {
  const profile = residentProfile(resident);
  const { db } = ctx;

  const window = profile.track === "esir" ? esirWindow(profile) : null;
  const [encountersAll, encountersInWindow, byCategory, drSums] = await Promise.all([
    db.encounter.count({ where: { residentId: resident.id } }),
    window
      ? db.encounter.count({
          where: { residentId: resident.id, performedOn: { gte: window.from, ...(window.until ? { lt: window.until } : {}) } },
        })
      : Promise.resolve(null),
    db.encounterProcedure.groupBy({
      by: ["category"],
      where: { encounter: { residentId: resident.id }, category: { not: null } },
      _count: { _all: true },
    }),
    db.drCount.groupBy({ by: ["category"], where: { residentId: resident.id }, _sum: { count: true } }),
  ]);

  const irCounts: Partial<Record<IrCategoryId, number>> = {};
  for (const row of byCategory) {
    if (row.category && isIrCategoryId(row.category)) irCounts[row.category] = row._count._all;
  }
  const drCounts: Partial<Record<DrCategoryId, number>> = {};
  for (const row of drSums) {
    if (isDrCategoryId(row.category)) drCounts[row.category] = row._sum.count ?? 0;
  }

  return buildProgress({
    track: profile.track,
    encountersTowardTarget: encountersInWindow ?? encountersAll,
    encountersAll,
    irCounts,
    drCounts,
  });
}
