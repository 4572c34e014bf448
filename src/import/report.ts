import { drCategory } from "../rules/taxonomy.js";
import type { EncounterImportResult, RisImportResult } from "../services/imports.js";
import { quoteForReport } from "./csv-table.js";

/** Plain-text import reports for the command line and Slack: row numbers and reasons, one per line. */

const MAX_LISTED_ROWS = 200;

/** Quotes a RIS description that `checkRisCsv` already guarded, checking it once more because the report shows it. */
function quotedDescription(description: string): string {
  return quoteForReport(description) ?? "(a description not shown because it looks like a patient identifier)";
}

function rowLines(rows: { rowNumber: number; problems: string[] }[], limit: number): string[] {
  const invalid = rows.filter((row) => row.problems.length > 0);
  const lines = invalid.slice(0, limit).map((row) => `  row ${row.rowNumber}: ${row.problems.join("; ")}`);
  if (invalid.length > limit) lines.push(`  ... and ${invalid.length - limit} more invalid rows`);
  return lines;
}

export function encounterImportReport(result: EncounterImportResult, limit = MAX_LISTED_ROWS): string {
  const { check } = result;
  if (check.fileProblem) return `Nothing was imported. ${check.fileProblem}`;

  const lines = [`${check.rows.length} rows checked: ${result.validRows} valid, ${result.invalidRows} invalid.`];
  lines.push(...rowLines(check.rows, limit));
  if (result.applied) {
    lines.push(`Stored ${result.stored} new encounters${result.alreadyStored > 0 ? `; ${result.alreadyStored} rows were already stored by an earlier import` : ""}.`);
  } else if (result.invalidRows > 0) {
    lines.push("Nothing was stored. Fix the rows above and import again, or import only the valid rows.");
  } else {
    lines.push("Dry run: nothing was stored. Import again to store these encounters.");
  }
  return lines.join("\n");
}

export function risImportReport(result: RisImportResult, limit = MAX_LISTED_ROWS): string {
  const { check } = result;
  if (check.fileProblem) return `Nothing was imported. ${check.fileProblem}`;

  const invalid = check.rows.filter((row) => row.problems.length > 0).length;
  const lines = [`${check.rows.length} rows checked: ${check.rows.length - invalid} valid, ${invalid} invalid.`];
  lines.push(...rowLines(check.rows, limit));

  lines.push("Counts per category and academic year (each replaces the stored count):");
  for (const total of check.totals) lines.push(`  ${total.academicYear}-${total.academicYear + 1} ${drCategory(total.category).name}: ${total.count}`);
  if (check.totals.length === 0) lines.push("  none");

  if (check.unmapped.length > 0) {
    lines.push("Descriptions that map to no category (add a rule to the mapping table to count them):");
    for (const entry of check.unmapped.slice(0, limit)) lines.push(`  ${quotedDescription(entry.description)}: ${entry.exams} exams, first at row ${entry.firstRow}`);
    if (check.unmapped.length > limit) lines.push(`  ... and ${check.unmapped.length - limit} more descriptions`);
  }
  if (check.ignored.length > 0) {
    lines.push(`Ignored by the mapping table: ${check.ignored.map((entry) => `${quotedDescription(entry.description)} (${entry.exams})`).join(", ")}`);
  }

  if (result.applied) lines.push(`Set ${result.counts.length} counts.`);
  else if (invalid > 0) lines.push("Nothing was stored. Fix the rows above and import again, or import only the valid rows.");
  else lines.push("Dry run: nothing was stored. Import again to set these counts.");
  return lines.join("\n");
}
