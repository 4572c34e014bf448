import { stringify } from "csv-stringify/sync";
import type { LogEntry } from "./log-entries.js";

/**
 * CSV output of encounter logs. The columns of the resident log are the ones the CSV import
 * reads (date, procedures, role, supervisor, notes), so an exported log can be imported into
 * another Caselog database.
 */

export const LOG_CSV_COLUMNS = [
  "date",
  "procedures",
  "role",
  "supervisor",
  "notes",
  "academic_year",
  "pgy",
  "kind",
  "categories",
  "procedure_ids",
  "verification",
  "credited",
  "entered_in_acgme",
  "locked",
  "encounter_id",
] as const;

export const PROGRAM_CSV_COLUMNS = ["resident_slack_id", "resident", ...LOG_CSV_COLUMNS] as const;

/**
 * Cells that start with these characters are run as formulas by spreadsheet programs, so they
 * get a leading apostrophe (the OWASP advice for CSV injection).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function safeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

function logCells(entry: LogEntry): string[] {
  return [
    entry.performedOn,
    entry.procedureNames.join("; "),
    entry.role,
    entry.supervisorSlackId ?? "",
    entry.notes ?? "",
    String(entry.academicYear),
    entry.pgy === null ? "" : String(entry.pgy),
    entry.kind,
    entry.categoryNames.join("; "),
    entry.procedureIds.join(";"),
    entry.verification,
    entry.credited ? "yes" : "no",
    entry.enteredInAcgme ? "yes" : "no",
    entry.locked ? "yes" : "no",
    String(entry.encounterId),
  ].map(safeCell);
}

/** Renders one resident's log as CSV with a header row, CRLF line ends and RFC 4180 quoting. */
export function residentLogCsv(entries: readonly LogEntry[]): string {
  return stringify([[...LOG_CSV_COLUMNS], ...entries.map(logCells)], { record_delimiter: "windows" });
}

/** Renders a whole program's log as CSV: the resident log columns after the resident's id and name. */
export function programLogCsv(entries: readonly LogEntry[]): string {
  const rows = entries.map((entry) => [safeCell(entry.residentSlackId), safeCell(entry.residentName), ...logCells(entry)]);
  return stringify([[...PROGRAM_CSV_COLUMNS], ...rows], { record_delimiter: "windows" });
}
