import crypto from "node:crypto";
import type { Person } from "../generated/prisma/client.js";
import { checkEncounterCsv, type EncounterImportCheck, type ImportRowResult } from "../import/encounter-csv.js";
import { dateInTimeZone } from "../rules/academic-year.js";
import { checkEncounter, type EncounterDraft, type ResidentProfile } from "../rules/counting.js";
import { checkRisCsv, type RisImportCheck, type RisMapping } from "../import/ris.js";
import type { ServiceContext } from "./context.js";
import { setDrCount } from "./dr-counts.js";
import { logEncounter } from "./encounters.js";
import { assertCanViewLog } from "./exports.js";
import { findPerson, isResident, residentProfile } from "./people.js";

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
  /** Valid rows that an earlier import had already stored. */
  alreadyStored: number;
  /** True when the mode allowed storing and the file's problems did not prevent it. */
  applied: boolean;
}

export async function importEncounters(ctx: ServiceContext, input: EncounterImportInput): Promise<EncounterImportResult> {
  assertCanViewLog(input.actor, input.resident);
  const check = checkEncounterCsv(input.data, residentProfile(input.resident), input.today, ctx.now(), input.timeZone);
  await rejectResidentSupervisors(ctx, input.resident, check);
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

  const legacyKeys = await storedLegacyKeys(ctx, input.resident, check.sha256, valid);
  const legacyContent = await legacyImportedContent(ctx, input.resident);
  const sourceKeys = encounterSourceKeys(input.resident, valid);
  const profile = residentProfile(input.resident);

  for (const [index, row] of valid.entries()) {
    const content = checkedContentKey(row.draft!, profile, input.today);
    const legacyMatches = content === null ? 0 : (legacyContent.get(content) ?? 0);
    if (legacyMatches > 0) {
      legacyContent.set(content!, legacyMatches - 1);
      result.alreadyStored += 1;
      continue;
    }
    // An encounter edited after an older import no longer matches its row's content, but its key still does.
    if (legacyKeys.has(legacySourceKey(check.sha256, row.rowNumber)) || legacyKeys.has(legacySourceKey(check.sha256, row.rowNumber, input.resident))) {
      result.alreadyStored += 1;
      continue;
    }
    const logged = await logEncounter(ctx, {
      resident: input.resident,
      draft: row.draft!,
      source: "import",
      sourceKey: sourceKeys[index]!,
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

/**
 * Marks rows invalid whose supervisor is the resident or another registered resident, as the
 * slash command and the entry form do. A supervising senior resident is a co-credit, which
 * needs confirmation in Slack.
 */
async function rejectResidentSupervisors(ctx: ServiceContext, resident: Person, check: EncounterImportCheck): Promise<void> {
  const residentIds = new Map<string, boolean>();
  for (const row of check.rows) {
    const supervisor = row.draft?.supervisorSlackId;
    if (!supervisor) continue;
    if (!residentIds.has(supervisor)) {
      const named = await findPerson(ctx, resident.slackTeamId, supervisor);
      residentIds.set(supervisor, supervisor === resident.slackUserId || (named !== null && isResident(named)));
    }
    if (residentIds.get(supervisor)) {
      row.draft = null;
      row.problems = [
        `supervisor ${supervisor} is registered as a resident, so they cannot be the supervising attending; put the attending's Slack member ID in the supervisor column, and log co-credits in Slack with "with @senior"`,
      ];
    }
  }
}

/**
 * Returns a source key for each valid row from the resident, a hash of the row's validated draft
 * and the row's occurrence number among the file's rows with that draft (1 for the first). The
 * key does not depend on the file, so a corrected copy, or the same rows with other line endings
 * or in another order, stores nothing twice. Two identical rows in one file get two keys.
 */
export function encounterSourceKeys(resident: Person, rows: readonly ImportRowResult[]): string[] {
  const occurrences = new Map<string, number>();
  return rows.map((row) => {
    const hash = draftHash(row.draft!);
    const occurrence = (occurrences.get(hash) ?? 0) + 1;
    occurrences.set(hash, occurrence);
    return `import-row:${resident.id}:${hash}:${occurrence}`;
  });
}

function draftHash(draft: EncounterDraft): string {
  const normalized = {
    performedOn: draft.performedOn,
    procedureIds: [...draft.procedureIds].sort(),
    diagnosticVascularIds: [...(draft.diagnosticVascularIds ?? [])].sort(),
    role: draft.role,
    supervisorSlackId: draft.supervisorSlackId ?? null,
    notes: draft.notes?.trim() || null,
  };
  return crypto.createHash("sha256").update(JSON.stringify(normalized)).digest("hex");
}

/**
 * Returns the key an older import stored a row under: "import:<file sha256>:<row>" at first, then
 * "import:<resident id>:<file sha256>:<row>". Re-importing that same file finds those rows.
 */
function legacySourceKey(sha256: string, rowNumber: number, resident?: Person): string {
  return resident ? `import:${resident.id}:${sha256}:${rowNumber}` : `import:${sha256}:${rowNumber}`;
}

/** Builds a comparison key from the fields an encounter stores, with its procedure ids sorted. */
function storedContentKey(fields: { performedOn: string; procedureIds: readonly string[]; role: string; supervisorSlackId: string | null; notes: string | null }): string {
  return JSON.stringify([fields.performedOn, [...fields.procedureIds].sort(), fields.role, fields.supervisorSlackId, fields.notes]);
}

/** Returns the stored content key of a row's draft as logEncounter would store it, or null if the rules reject it. */
function checkedContentKey(draft: EncounterDraft, profile: ResidentProfile, today: string): string | null {
  const checked = checkEncounter(draft, profile, today);
  if (!checked.ok) return null;
  const { value } = checked;
  return storedContentKey({ ...value, procedureIds: value.procedures.map((procedure) => procedure.id) });
}

/**
 * Counts the resident's encounters stored by imports that keyed rows by file and row number, per
 * stored content. A row with the same content counts as already stored, so the first import of a
 * corrected file after the key change adds no copies of rows an older import stored.
 */
async function legacyImportedContent(ctx: ServiceContext, resident: Person): Promise<Map<string, number>> {
  const stored = await ctx.db.encounter.findMany({
    where: { residentId: resident.id, source: "import", NOT: { sourceKey: { startsWith: "import-row:" } } },
    select: { performedOn: true, role: true, supervisorSlackId: true, notes: true, procedures: { select: { procedureId: true } } },
  });
  const counts = new Map<string, number>();
  for (const encounter of stored) {
    const key = storedContentKey({ ...encounter, procedureIds: encounter.procedures.map((procedure) => procedure.procedureId) });
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

async function storedLegacyKeys(ctx: ServiceContext, resident: Person, sha256: string, rows: readonly ImportRowResult[]): Promise<Set<string>> {
  const keys = rows.flatMap((row) => [legacySourceKey(sha256, row.rowNumber), legacySourceKey(sha256, row.rowNumber, resident)]);
  const stored = await ctx.db.encounter.findMany({ where: { residentId: resident.id, sourceKey: { in: keys } }, select: { sourceKey: true } });
  return new Set(stored.map((encounter) => encounter.sourceKey));
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
  const profile = residentProfile(input.resident);
  // The same date setDrCount checks the academic year against.
  const today = dateInTimeZone(ctx.now(), input.resident.timeZone ?? ctx.config.CASELOG_DEFAULT_TIME_ZONE);
  const check = checkRisCsv(input.data, input.mapping, input.academicYear, { profile, today });
  const result: RisImportResult = { check, counts: [], applied: false };

  const invalid = check.rows.filter((row) => row.problems.length > 0).length;
  const blocked = check.fileProblem !== null || (input.mode === "all_or_nothing" && invalid > 0);
  if (input.mode === "dry_run" || blocked) return result;

  // The check above applied every rule setDrCount applies, and one transaction stores every
  // count, so a file is stored whole or not at all.
  await ctx.db.$transaction(async (tx) => {
    for (const total of check.totals) {
      const set = await setDrCount(
        ctx,
        { resident: input.resident, category: total.category, count: total.count, dateInYear: `${total.academicYear}-07-01`, actorSlackId: input.actor.slackUserId },
        tx,
      );
      result.counts.push({ category: total.category, academicYear: set.academicYear, before: set.before, after: set.after });
    }
  });
  result.applied = true;
  ctx.logger.info({ actorId: input.actor.id, residentId: input.resident.id, counts: result.counts.length }, "RIS counts imported");
  return result;
}
