import crypto from "node:crypto";
import { CsvError, parse } from "csv-parse/sync";
import { findPatientIdentifier } from "../rules/privacy.js";

/**
 * Reading an uploaded CSV file into named cells, shared by the encounter and the RIS import.
 * Every cell, whatever its column, passes the patient-identifier guard.
 */

/** Largest file accepted, in bytes; a decade of logs is far below it. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** Most data rows accepted in one file. */
export const MAX_IMPORT_ROWS = 20_000;

export interface CsvTable {
  /** Lower-case header names with runs of spaces, dashes and underscores made one underscore. */
  columns: string[];
  rows: { rowNumber: number; cells: Record<string, string> }[];
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
    if (error instanceof CsvError) return { ok: false, problem: `The file is not valid CSV: ${error.message}` };
    throw error;
  }

  const [header, ...body] = records;
  if (!header || header.every((cell) => cell === "")) return { ok: false, problem: "The file is empty. The first row must name the columns." };
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
    return { rowNumber: index + 2, cells };
  });

  return { ok: true, table: { columns, rows, sha256: crypto.createHash("sha256").update(data).digest("hex") } };
}

/** Returns a reason for each cell that looks like a patient identifier; never the cell's text. */
export function identifierProblems(cells: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [column, value] of Object.entries(cells)) {
    if (!value) continue;
    const finding = findPatientIdentifier(value);
    if (finding) problems.push(`column "${column}" looks like it contains ${finding.description}; Caselog stores no patient identifiers, so remove it`);
  }
  return problems;
}

/** Returns the first of `names` that the table has, or null. */
export function pickColumn(columns: readonly string[], names: readonly string[]): string | null {
  return names.find((name) => columns.includes(name)) ?? null;
}
