import type { Person } from "../generated/prisma/client.js";
import { checkEncounterCsv, type EncounterImportCheck } from "../import/encounter-csv.js";
import { checkRisCsv, type RisImportCheck, type RisMapping } from "../import/ris.js";
import type { ServiceContext } from "./context.js";
import { setDrCount } from "./dr-counts.js";
import { logEncounter } from "./encounters.js";
import { assertCanViewLog } from "./exports.js";
import { residentProfile } from "./people.js";

/**
 * Imports of historical logs. Every mode checks the whole file first. "dry_run" stores nothing;
 * "all_or_nothing" stores only when every row is valid; "valid_rows" stores the valid rows and
 * reports the others.
 */
export type ImportMode = "dry_run" | "all_or_nothing" | "valid_rows";

export interface EncounterImportInput {
  actor: Person;
  resident: Person;
  data: Buffer;
  mode: ImportMode;
  today: string;
  timeZone: string;
}

export interface EncounterImportResult {
  check: EncounterImportCheck;
  validRows: number;
  invalidRows: number;
  /** New encounters stored by this run. */
  stored: number;
  /** Valid rows that an earlier import of the same file had already stored. */
  alreadyStored: number;
  /** True when the mode allowed storing and the file's problems did not prevent it. */
  applied: boolean;
}

export async function importEncounters(ctx: ServiceContext, input: EncounterImportInput): Promise<EncounterImportResult> {
  assertCanViewLog(input.actor, input.resident);
  const check = checkEncounterCsv(input.data, residentProfile(input.resident), input.today, ctx.now(), input.timeZone);
  const valid = check.rows.filter((row) => row.draft !== null);
  const result: EncounterImportResult = {
    check,
    validRows: valid.length,
    invalidRows: check.rows.length - valid.length,
    stored: 0,
    alreadyStored: 0,
    applied: false,
  };

  const blocked = check.fileProblem !== null || (input.mode === "all_or_nothing" && result.invalidRows > 0);
  if (input.mode === "dry_run" || blocked) return result;

  // Imports before source keys named the resident used "import:<sha256>:<row>". Rows stored that
  // way for this resident count as already stored, so re-importing an old file adds no copies.
  const legacy = await ctx.db.encounter.findMany({
    where: { residentId: input.resident.id, sourceKey: { startsWith: `import:${check.sha256}:` } },
    select: { sourceKey: true },
  });
  const legacyKeys = new Set(legacy.map((encounter) => encounter.sourceKey));

  for (const row of valid) {
    if (legacyKeys.has(`import:${check.sha256}:${row.rowNumber}`)) {
      result.alreadyStored += 1;
      continue;
    }
    const logged = await logEncounter(ctx, {
      resident: input.resident,
      draft: row.draft!,
      source: "import",
      // The resident, the file's hash and the row number make a second import of the same file
      // for the same resident store nothing new, while another resident's import still stores.
      sourceKey: `import:${input.resident.id}:${check.sha256}:${row.rowNumber}`,
      actorSlackId: input.actor.slackUserId,
      today: input.today,
    });
    if (logged.created) result.stored += 1;
    else result.alreadyStored += 1;
  }
  result.applied = true;
  ctx.logger.info(
    { actorId: input.actor.id, residentId: input.resident.id, stored: result.stored, alreadyStored: result.alreadyStored, invalidRows: result.invalidRows },
    "encounter CSV imported",
  );
  return result;
}

export interface RisImportInput {
  actor: Person;
  resident: Person;
  data: Buffer;
  mode: ImportMode;
  mapping: RisMapping;
  /** Academic year (first calendar year) for files without a date column. */
  academicYear?: number;
}

export interface RisImportResult {
  check: RisImportCheck;
  /** Counts set, one per category and academic year; each replaces the stored count. */
  counts: { category: string; academicYear: number; before: number | null; after: number }[];
  applied: boolean;
}

/**
 * Sets diagnostic imaging counts from a RIS export. The counts replace the stored ones for each
 * category and academic year in the file, so the export must cover each academic year whole.
 */
export async function importRisCounts(ctx: ServiceContext, input: RisImportInput): Promise<RisImportResult> {
  assertCanViewLog(input.actor, input.resident);
  residentProfile(input.resident);
  const check = checkRisCsv(input.data, input.mapping, input.academicYear);
  const result: RisImportResult = { check, counts: [], applied: false };

  const invalid = check.rows.filter((row) => row.problems.length > 0).length;
  const blocked = check.fileProblem !== null || (input.mode === "all_or_nothing" && invalid > 0);
  if (input.mode === "dry_run" || blocked) return result;

  for (const total of check.totals) {
    const set = await setDrCount(ctx, {
      resident: input.resident,
      category: total.category,
      count: total.count,
      dateInYear: `${total.academicYear}-07-01`,
      actorSlackId: input.actor.slackUserId,
    });
    result.counts.push({ category: total.category, academicYear: set.academicYear, before: set.before, after: set.after });
  }
  result.applied = true;
  ctx.logger.info({ actorId: input.actor.id, residentId: input.resident.id, counts: result.counts.length }, "RIS counts imported");
  return result;
}
