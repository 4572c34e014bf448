import { parseCommandText } from "../entry/parse-text.js";
import { isIsoDate } from "../rules/academic-year.js";
import { findProcedure } from "../rules/catalogue.js";
import { checkEncounter, OPERATOR_ROLES, type EncounterDraft, type OperatorRole, type ResidentProfile } from "../rules/counting.js";
import { identifierProblems, pickColumn, quoteForReport, readCsvTable, type CsvTable } from "./csv-table.js";

/**
 * Validation of a historical case log in CSV, row by row, with the same rules as an entry
 * typed in Slack: the patient-identifier guard on every cell, the free-text procedure parser,
 * and `checkEncounter`. Nothing here stores anything.
 *
 * Columns, in any order and case: `date` (YYYY-MM-DD or M/D/YYYY), `procedures` (text as typed
 * in Slack, such as "port" or "tace and nephrostomy") or `procedure_ids` (catalogue ids
 * separated by semicolons), and optionally `role`, `supervisor` (a Slack member ID) and `notes`.
 * A Caselog log export has these columns, so it imports as it is.
 */

export const DATE_COLUMNS = ["date", "date_of_service", "performed_on", "service_date"] as const;
export const PROCEDURE_COLUMNS = ["procedures", "procedure", "description"] as const;
export const PROCEDURE_ID_COLUMNS = ["procedure_ids", "procedure_id"] as const;
export const ROLE_COLUMNS = ["role"] as const;
export const SUPERVISOR_COLUMNS = ["supervisor", "attending"] as const;
export const NOTES_COLUMNS = ["notes", "note", "comments"] as const;
/** Every column name the encounter import reads; only these names are quoted in its reports. */
const KNOWN_COLUMNS: readonly string[] = [...DATE_COLUMNS, ...PROCEDURE_COLUMNS, ...PROCEDURE_ID_COLUMNS, ...ROLE_COLUMNS, ...SUPERVISOR_COLUMNS, ...NOTES_COLUMNS];

export interface ImportRowResult {
  rowNumber: number;
  /** The draft to store, present when the row passed every rule. */
  draft: EncounterDraft | null;
  problems: string[];
}

export interface EncounterImportCheck {
  sha256: string;
  rows: ImportRowResult[];
  /** A problem with the whole file (unreadable, missing columns), or null. */
  fileProblem: string | null;
}

const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** Reads a date cell written YYYY-MM-DD or M/D/YYYY; returns null when it is neither. */
export function parseDateCell(value: string): string | null {
  if (isIsoDate(value)) return value;
  const match = US_DATE.exec(value);
  if (!match) return null;
  const iso = `${match[3]}-${match[1]!.padStart(2, "0")}-${match[2]!.padStart(2, "0")}`;
  return isIsoDate(iso) ? iso : null;
}

function parseRole(value: string): OperatorRole | null {
  if (!value) return "first_operator";
  const normalized = value.trim().toLowerCase().replace(/[\s-]+/g, "_");
  return (OPERATOR_ROLES as readonly string[]).includes(normalized) ? (normalized as OperatorRole) : null;
}

function parseSupervisor(value: string): string | null | undefined {
  if (!value) return null;
  const match = /^<?@?([UW][A-Z0-9]{2,30})(?:\|[^>]*)?>?$/.exec(value.trim());
  return match ? match[1]! : undefined;
}

interface ProcedureCells {
  procedureIds: string[];
  diagnosticVascularIds: string[];
  problems: string[];
}

function proceduresFromIds(value: string): ProcedureCells {
  const ids = value.split(/[;,]/).map((id) => id.trim()).filter(Boolean);
  const unknown = ids.filter((id) => !findProcedure(id));
  return {
    procedureIds: ids.filter((id) => findProcedure(id)),
    diagnosticVascularIds: [],
    problems: unknown.map((id) => `procedure id ${quoteForReport(id) ?? "(not shown, it looks like a patient identifier)"} is not in the Caselog catalogue`),
  };
}

/**
 * Names the procedure words the parser did not recognize. A word that fails the
 * patient-identifier guard on its own is counted but not shown.
 */
function unknownWordsProblem(words: readonly string[], suggestions: readonly string[]): string {
  const listed = words.filter((word) => quoteForReport(word) !== null);
  const hidden = words.length - listed.length;
  if (hidden > 0) listed.push(`${hidden} more not shown because ${hidden === 1 ? "it looks" : "they look"} like a patient identifier`);
  const hint = suggestions.length > 0 ? ` (did you mean ${suggestions.join(", ")}?)` : "";
  return `procedure words not recognized: ${listed.join(", ")}${hint}`;
}

/** Maps procedure text with the parser Slack entry uses, rejecting anything it did not understand. */
function proceduresFromText(value: string, now: Date, timeZone: string): ProcedureCells {
  const parsed = parseCommandText(value.replace(/;/g, ","), now, timeZone);
  if (parsed.kind !== "encounter") {
    return { procedureIds: [], diagnosticVascularIds: [], problems: ["the procedures column does not describe a procedure"] };
  }

  const problems: string[] = [];
  for (const ambiguity of parsed.ambiguities) {
    const term = quoteForReport(ambiguity.term) ?? "a procedure word";
    problems.push(`${term} could mean ${ambiguity.choices.join(" or ")}; name the procedure exactly`);
  }
  if (parsed.unknownWords.length > 0) {
    problems.push(unknownWordsProblem(parsed.unknownWords, parsed.suggestions));
  }
  // A co-credit needs the senior's confirmation and the attending's approval in Slack.
  if (parsed.coCreditSlackId || parsed.supervisorSlackId || parsed.extraMentions.length > 0) {
    problems.push("the procedures column names a person; put the attending in the supervisor column, and log co-credits in Slack with \"with @senior\"");
  }
  if (parsed.invalidDates.length > 0) problems.push("the procedures column contains a date that names no calendar day");
  return { procedureIds: parsed.procedureIds, diagnosticVascularIds: parsed.diagnosticVascularIds, problems };
}

function checkRow(row: CsvTable["rows"][number], header: readonly string[], columns: Columns, resident: ResidentProfile, today: string, now: Date, timeZone: string): Omit<ImportRowResult, "rowNumber"> {
  const { cells } = row;
  const identifiers = identifierProblems(row.values, header, KNOWN_COLUMNS);
  // A row with an identifier is not parsed further, so its text never reaches a message.
  if (identifiers.length > 0) return { draft: null, problems: identifiers };

  const problems: string[] = [];
  const performedOn = parseDateCell(cells[columns.date] ?? "");
  if (!performedOn) problems.push(`the ${columns.date} column is empty or not a date; write YYYY-MM-DD or M/D/YYYY`);

  const idCell = columns.procedureIds ? (cells[columns.procedureIds] ?? "") : "";
  const textCell = columns.procedures ? (cells[columns.procedures] ?? "") : "";
  const procedures = idCell ? proceduresFromIds(idCell) : proceduresFromText(textCell, now, timeZone);
  problems.push(...procedures.problems);

  const role = parseRole(columns.role ? (cells[columns.role] ?? "") : "");
  if (!role) problems.push(`the role column is not one of ${OPERATOR_ROLES.join(", ")}`);

  const supervisor = parseSupervisor(columns.supervisor ? (cells[columns.supervisor] ?? "") : "");
  if (supervisor === undefined) problems.push("supervisor must be a Slack member ID such as U012ABCDEF, or empty");

  if (problems.length > 0 || !performedOn || !role || supervisor === undefined) return { draft: null, problems };

  const draft: EncounterDraft = {
    performedOn,
    procedureIds: procedures.procedureIds,
    diagnosticVascularIds: procedures.diagnosticVascularIds,
    role,
    supervisorSlackId: supervisor,
    notes: columns.notes ? cells[columns.notes] || null : null,
  };
  const checked = checkEncounter(draft, resident, today);
  if (!checked.ok) return { draft: null, problems: checked.violations.map((found) => found.message) };
  return { draft, problems: [] };
}

interface Columns {
  date: string;
  procedures: string | null;
  procedureIds: string | null;
  role: string | null;
  supervisor: string | null;
  notes: string | null;
}

function findColumns(table: CsvTable): Columns | string {
  const date = pickColumn(table.columns, DATE_COLUMNS);
  const procedures = pickColumn(table.columns, PROCEDURE_COLUMNS);
  const procedureIds = pickColumn(table.columns, PROCEDURE_ID_COLUMNS);
  if (!date || (!procedures && !procedureIds)) {
    let missing = "a date column and a procedures column";
    if (date) missing = "a procedures column";
    else if (procedures || procedureIds) missing = "a date column";
    return (
      `The first row must name a "date" column and a "procedures" (or "procedure_ids") column, but none of its ${table.columns.length} columns is ${missing}. ` +
      "If the file has no header row, add one such as date,procedures,notes."
    );
  }
  return {
    date,
    procedures,
    procedureIds,
    role: pickColumn(table.columns, ROLE_COLUMNS),
    supervisor: pickColumn(table.columns, SUPERVISOR_COLUMNS),
    notes: pickColumn(table.columns, NOTES_COLUMNS),
  };
}

/** Checks every row of an encounter CSV for one resident; `now` and `timeZone` read relative dates. */
export function checkEncounterCsv(data: Buffer, resident: ResidentProfile, today: string, now: Date, timeZone: string): EncounterImportCheck {
  const read = readCsvTable(data);
  if (!read.ok) return { sha256: "", rows: [], fileProblem: read.problem };

  const columns = findColumns(read.table);
  if (typeof columns === "string") return { sha256: read.table.sha256, rows: [], fileProblem: columns };
  if (read.table.rows.length === 0) return { sha256: read.table.sha256, rows: [], fileProblem: "The file has a header row but no data rows." };

  const rows = read.table.rows.map((row) => ({ rowNumber: row.rowNumber, ...checkRow(row, read.table.columns, columns, resident, today, now, timeZone) }));
  return { sha256: read.table.sha256, rows, fileProblem: null };
}
