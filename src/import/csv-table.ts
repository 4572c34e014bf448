import crypto from "node:crypto";
import { CsvError, parse } from "csv-parse/sync";
import { findPatientIdentifier } from "../rules/privacy.js";

/**
 * Reading an uploaded CSV file into named cells, shared by the encounter and the RIS import.
 * Every cell, whatever its column, passes the patient-identifier guard, and so does the header
 * row. Import reports name rows by number and columns by position or by a name the importer
 * defines. They quote a file's text only where it passed the guard (see `quoteForReport`).
 */

/** Largest file accepted, in bytes; a decade of logs is far below it. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** Most data rows accepted in one file. */
export const MAX_IMPORT_ROWS = 20_000;

export interface CsvTable {
  /** Lower-case header names with runs of spaces, dashes and underscores made one underscore. */
  columns: string[];
  /** Data rows. `values` are the row's cells in file order, including cells past the header's last column. */
  rows: { rowNumber: number; cells: Record<string, string>; values: string[] }[];
  sha256: string;
}

export type CsvTableResult = { ok: true; table: CsvTable } | { ok: false; problem: string };

export function normalizeHeader(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_-]+/g, "_");
}

/** Parses a CSV file whose first row names the columns. Row numbers count the header as row 1. */
export function readCsvTable(data: Buffer): CsvTableResult {
  if (data.length > MAX_IMPORT_BYTES) {
    return { ok: false, problem: `The file is ${data.length} bytes; at most ${MAX_IMPORT_BYTES} bytes are accepted. Split it into several files.` };
  }

  let records: string[][];
  try {
    records = parse(data, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    if (error instanceof CsvError) return { ok: false, problem: csvErrorProblem(error) };
    throw error;
  }

  const [header, ...body] = records;
  if (!header || header.every((cell) => cell === "")) return { ok: false, problem: "The file is empty. The first row must name the columns." };
  const headerProblem = identifierProblems(header, [], []);
  if (headerProblem.length > 0) {
    return { ok: false, problem: `The first row must name the columns, but its ${headerProblem.join("; ")}. If the file has no header row, add one.` };
  }
  if (body.length > MAX_IMPORT_ROWS) {
    return { ok: false, problem: `The file has ${body.length} data rows; at most ${MAX_IMPORT_ROWS} are accepted. Split it into several files.` };
  }

  const columns = header.map(normalizeHeader);
  const rows = body.map((record, index) => {
    const cells: Record<string, string> = {};
    columns.forEach((column, at) => {
      cells[column] = record[at] ?? "";
    });
    // Cells past the header's last column still pass the identifier guard.
    record.slice(columns.length).forEach((value, at) => {
      cells[`column_${columns.length + at + 1}`] = value;
    });
    return { rowNumber: index + 2, cells, values: record };
  });

  return { ok: true, table: { columns, rows, sha256: crypto.createHash("sha256").update(data).digest("hex") } };
}

/**
 * Returns a reason for each cell of `values` that looks like a patient identifier, never the
 * cell's text. A cell is named by its position, followed by its header name when that name is
 * one of `knownColumns`, the column names the importer defines.
 */
export function identifierProblems(values: readonly string[], columns: readonly string[], knownColumns: readonly string[]): string[] {
  const problems: string[] = [];
  values.forEach((value, index) => {
    if (!value) return;
    const finding = findPatientIdentifier(value);
    if (!finding) return;
    const column = columns[index];
    const name = column !== undefined && knownColumns.includes(column) ? ` ("${column}")` : "";
    problems.push(`column ${index + 1}${name} looks like it contains ${finding.description}; Caselog stores no patient identifiers, so remove it`);
  });
  return problems;
}

/**
 * Returns `text` in double quotes for an import report when it passes the patient-identifier
 * guard, or null when the report must leave it out.
 */
export function quoteForReport(text: string): string | null {
  return findPatientIdentifier(text) ? null : `"${text}"`;
}

/**
 * Describes a csv-parse error by its code and line number. The library's own message can
 * contain the offending field's text, which never passed the guard, so it is not shown.
 */
function csvErrorProblem(error: CsvError): string {
  const misplacedQuote = ["INVALID_OPENING_QUOTE", "CSV_INVALID_CLOSING_QUOTE", "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE"];
  let reason = "it could not be parsed";
  if (error.code === "CSV_QUOTE_NOT_CLOSED") reason = "a quoted field is never closed";
  else if (misplacedQuote.includes(error.code)) reason = "a quote mark is misplaced";
  else if (error.code === "CSV_MAX_RECORD_SIZE") reason = "a row is too long";

  const line = (error as CsvError & { lines?: unknown }).lines;
  const where = typeof line === "number" ? ` at line ${line}` : "";
  return (
    `The file is not valid CSV: ${reason}${where} (csv-parse error ${error.code}). ` +
    'Put a field that contains commas or quote marks in double quotes, and write each quote mark inside it twice ("").'
  );
}

/** Returns the first of `names` that the table has, or null. */
export function pickColumn(columns: readonly string[], names: readonly string[]): string | null {
  return names.find((name) => columns.includes(name)) ?? null;
}
