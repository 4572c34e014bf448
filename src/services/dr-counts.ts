import type { Tx } from "../db/client.js";
import type { Person } from "../generated/prisma/client.js";
import { academicYearOf, dateInTimeZone } from "../rules/academic-year.js";
import { checkDrCount, checkDrCountYear } from "../rules/counting.js";
import type { DrCategoryId } from "../rules/taxonomy.js";
import { writeAudit } from "./audit.js";
import type { ServiceContext } from "./context.js";
import { RuleViolationError } from "./errors.js";
import { residentProfile } from "./people.js";

export interface SetDrCountInput {
  resident: Person;
  category: DrCategoryId;
  count: number;
  /** Any date inside the academic year the count covers; today when absent. */
  dateInYear: string;
  actorSlackId: string;
}

export interface SetDrCountResult {
  academicYear: number;
  before: number | null;
  after: number;
}

/**
 * Sets a diagnostic imaging aggregate count for one academic year. A new value replaces the
 * stored one; it is never added to it, so sending the same count twice changes nothing.
 */
/**
 * Sets one count in its own transaction, or inside `outer` when the caller stores several
 * counts that must be written together.
 */
export async function setDrCount(ctx: ServiceContext, input: SetDrCountInput, outer?: Tx): Promise<SetDrCountResult> {
  const profile = residentProfile(input.resident);
  const today = dateInTimeZone(ctx.now(), input.resident.timeZone ?? ctx.config.CASELOG_DEFAULT_TIME_ZONE);
  const problem = checkDrCount(input.count, profile.track) ?? checkDrCountYear(input.dateInYear, profile, today);
  if (problem) throw new RuleViolationError([problem]);

  const academicYear = academicYearOf(input.dateInYear);
  const where = { residentId_category_academicYear: { residentId: input.resident.id, category: input.category, academicYear } };

  const write = async (tx: Tx): Promise<SetDrCountResult> => {
    const before = await tx.drCount.findUnique({ where });
    const row = await tx.drCount.upsert({
      where,
      update: { count: input.count },
      create: { residentId: input.resident.id, category: input.category, academicYear, count: input.count },
    });
    if (before?.count !== input.count) {
      await writeAudit(tx, {
        actorSlackId: input.actorSlackId,
        action: before ? "update" : "create",
        entity: "dr_count",
        entityId: row.id,
        before: before ? { category: before.category, academicYear, count: before.count } : undefined,
        after: { category: row.category, academicYear, count: row.count },
      });
    }
    return { academicYear, before: before?.count ?? null, after: row.count };
  };
  return outer ? write(outer) : ctx.db.$transaction(write);
}
