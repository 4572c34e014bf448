import type { Person } from "../generated/prisma/client.js";
import { CREDITED_STATES, sortByAcgmeCategory, toLogEntry, type LogEntry } from "../reports/log-entries.js";
import { academicYearLabel } from "../rules/academic-year.js";
import { DR_CATEGORIES, type DrCategoryId } from "../rules/taxonomy.js";
import type { ServiceContext } from "./context.js";
import { NotAllowedError } from "./errors.js";
import { residentProfile } from "./people.js";

/**
 * The ACGME worklist: what a resident still has to copy into the ACGME Case Log System by hand.
 * Procedural and clinic encounters are entered one by one, so each credited encounter not yet
 * marked entered is listed, in ACGME category order. Diagnostic imaging is entered as aggregate
 * counts, so the DR counts are listed per academic year and category.
 */

export interface DrCountToEnter {
  academicYear: number;
  label: string;
  category: DrCategoryId;
  name: string;
  count: number;
}

export interface Worklist {
  entries: LogEntry[];
  drCounts: DrCountToEnter[];
  /** Credited encounters already marked entered. */
  enteredCount: number;
}

export async function getWorklist(ctx: ServiceContext, resident: Person): Promise<Worklist> {
  const profile = residentProfile(resident);
  const credited = { residentId: resident.id, verification: { in: [...CREDITED_STATES] } };

  const [rows, enteredCount, counts] = await Promise.all([
    ctx.db.encounter.findMany({
      where: { ...credited, enteredInAcgme: false },
      include: { procedures: { select: { procedureId: true, category: true } }, resident: { select: { slackUserId: true, displayName: true } } },
    }),
    ctx.db.encounter.count({ where: { ...credited, enteredInAcgme: true } }),
    profile.track === "ir_independent"
      ? Promise.resolve([])
      : ctx.db.drCount.findMany({ where: { residentId: resident.id }, orderBy: [{ academicYear: "asc" }] }),
  ]);

  const order = (id: string) => DR_CATEGORIES.findIndex((category) => category.id === id);
  const drCounts = counts
    .filter((row) => order(row.category) !== -1)
    .sort((left, right) => left.academicYear - right.academicYear || order(left.category) - order(right.category))
    .map((row) => ({
      academicYear: row.academicYear,
      label: academicYearLabel(row.academicYear),
      category: row.category as DrCategoryId,
      name: DR_CATEGORIES[order(row.category)]!.name,
      count: row.count,
    }));

  return { entries: sortByAcgmeCategory(rows.map(toLogEntry)), drCounts, enteredCount };
}

/**
 * Marks the resident's own credited encounters as entered in the ACGME system. Ids of other
 * residents' or uncredited encounters are rejected; ids already marked are left as they are.
 * Returns the number newly marked.
 */
export async function markEnteredInAcgme(ctx: ServiceContext, resident: Person, encounterIds: readonly number[]): Promise<number> {
  const ids = [...new Set(encounterIds)];
  if (ids.length === 0) return 0;

  const owned = await ctx.db.encounter.findMany({ where: { id: { in: ids } }, select: { id: true, residentId: true, verification: true, enteredInAcgme: true } });
  if (owned.length !== ids.length || owned.some((row) => row.residentId !== resident.id)) {
    throw new NotAllowedError("You can mark only your own entries as entered in the ACGME system.");
  }
  if (owned.some((row) => !CREDITED_STATES.includes(row.verification))) {
    throw new NotAllowedError("An entry still waiting for verification, or declined, is not credited yet, so it cannot be marked entered.");
  }

  const toMark = owned.filter((row) => !row.enteredInAcgme).map((row) => row.id);
  if (toMark.length === 0) return 0;

  const marked = await ctx.db.$transaction(async (tx) => {
    const updated = await tx.encounter.updateMany({ where: { id: { in: toMark }, enteredInAcgme: false }, data: { enteredInAcgme: true, enteredInAcgmeAt: ctx.now() } });
    await tx.auditEvent.createMany({
      data: toMark.map((id) => ({
        actorSlackId: resident.slackUserId,
        action: "update",
        entity: "encounter",
        entityId: id,
        before: JSON.stringify({ enteredInAcgme: false }),
        after: JSON.stringify({ enteredInAcgme: true }),
      })),
    });
    return updated.count;
  });
  ctx.logger.info({ residentId: resident.id, marked }, "encounters marked entered in ACGME");
  return marked;
}

/** Marks every credited encounter of the worklist entered. */
export async function markAllEnteredInAcgme(ctx: ServiceContext, resident: Person): Promise<number> {
  const { entries } = await getWorklist(ctx, resident);
  return markEnteredInAcgme(ctx, resident, entries.map((entry) => entry.encounterId));
}
