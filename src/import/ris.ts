import fs from "node:fs";
import { z } from "zod";
import { academicYearLabel, academicYearOf } from "../rules/academic-year.js";
import { checkDrCountAllowed, checkDrCountYear, drCountSchema, MAX_DR_COUNT, type ResidentProfile } from "../rules/counting.js";
import { DR_CATEGORY_IDS, drCategory, type DrCategoryId } from "../rules/taxonomy.js";
import { parseDateCell } from "./encounter-csv.js";
import { findPatientIdentifier } from "../rules/privacy.js";
import { identifierProblems, pickColumn, readCsvTable } from "./csv-table.js";

/**
 * Diagnostic imaging counts from a RIS export. Each row is one exam (or, with a count column,
 * several exams of one description). An ordered table of regular expressions maps
 * descriptions to DR categories. Descriptions that no rule matches are listed with their exam
 * counts instead of being dropped.
 */

export const RIS_DESCRIPTION_COLUMNS = ["exam_description", "description", "procedure_description", "study_description", "exam"] as const;
export const RIS_DATE_COLUMNS = ["exam_date", "date", "study_date", "completed", "date_of_service"] as const;
export const RIS_COUNT_COLUMNS = ["count", "exams", "quantity", "number"] as const;
/** Every column name the RIS import reads; only these names are quoted in its reports. */
const KNOWN_COLUMNS: readonly string[] = [...RIS_DESCRIPTION_COLUMNS, ...RIS_DATE_COLUMNS, ...RIS_COUNT_COLUMNS];

const mappingFileSchema = z.object({
  description: z.string().optional(),
  rules: z
    .array(
      z.object({
        category: z.enum([...DR_CATEGORY_IDS, "ignore"]),
        pattern: z.string().min(1).refine(
          (pattern) => {
            try {
              new RegExp(pattern, "i");
              return true;
            } catch {
              return false;
            }
          },
          { message: "is not a valid regular expression" },
        ),
      }),
    )
    .min(1),
});

export interface RisRule {
  category: DrCategoryId | "ignore";
  pattern: RegExp;
}

export interface RisMapping {
  rules: RisRule[];
}

/** Parses a mapping table (the JSON shape of ris-default-map.json); throws with the bad rule's index. */
export function parseRisMapping(json: unknown): RisMapping {
  const parsed = mappingFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid RIS mapping at ${issue.path.join(".") || "top level"}: ${issue.message}`);
  }
  return { rules: parsed.data.rules.map((rule) => ({ category: rule.category, pattern: new RegExp(rule.pattern, "i") })) };
}

/**
 * Reads a mapping table from a JSON file. A file that is not JSON is rejected without
 * JSON.parse's message, which quotes part of the file and could repeat a CSV passed by mistake.
 */
export function loadRisMapping(file: string | URL): RisMapping {
  const text = fs.readFileSync(file, "utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    // eslint-disable-next-line preserve-caught-error -- the SyntaxError quotes the file's text, so it is not kept as the cause.
    throw new Error(`Invalid RIS mapping file ${String(file)}: it is not valid JSON. Pass a file shaped like src/import/ris-default-map.json.`);
  }
  return parseRisMapping(json);
}

export function defaultRisMapping(): RisMapping {
  return loadRisMapping(new URL("./ris-default-map.json", import.meta.url));
}

/** Returns the category of the first rule whose pattern matches, or null. */
export function mapExamDescription(description: string, mapping: RisMapping): DrCategoryId | "ignore" | null {
  return mapping.rules.find((rule) => rule.pattern.test(description))?.category ?? null;
}

export interface RisRowResult {
  rowNumber: number;
  problems: string[];
}

export interface RisImportCheck {
  rows: RisRowResult[];
  fileProblem: string | null;
  /** Exams per category and academic year, from the valid rows. */
  totals: { category: DrCategoryId; academicYear: number; count: number }[];
  /**
   * Descriptions no rule matched, with the number of exams and the first row of each. Every
   * description here and in `ignored` passed the patient-identifier guard, so reports may list it.
   */
  unmapped: { description: string; exams: number; firstRow: number }[];
  ignored: { description: string; exams: number }[];
}

/** The resident a RIS file is for, so the check applies the rules `setDrCount` applies when storing. */
export interface RisResident {
  profile: ResidentProfile;
  /** The resident's calendar date, which bounds the academic years a count may be for. */
  today: string;
}

function addTo<K>(map: Map<K, number>, key: K, amount: number): void {
  map.set(key, (map.get(key) ?? 0) + amount);
}

/**
 * Describes why `resident` cannot have a count for the academic year starting in `year`, as a
 * clause that follows the year's label. Returns null when the year is allowed.
 */
function yearProblem(year: number, resident: RisResident): string | null {
  const violation = checkDrCountYear(`${year}-07-01`, resident.profile, resident.today);
  if (!violation) return null;
  if (violation.code === "before_residency") return `which ended before the residency start (${resident.profile.residencyStart})`;
  return "which has not started yet";
}

/**
 * Checks a RIS export. With `resident`, it also rejects what `setDrCount` would reject. That is a
 * track that enters no counts, a row in an academic year the resident cannot have a count for,
 * and a category whose exams in one academic year sum to more than MAX_DR_COUNT.
 */
export function checkRisCsv(data: Buffer, mapping: RisMapping, academicYear?: number, resident?: RisResident): RisImportCheck {
  const empty = { rows: [], totals: [], unmapped: [], ignored: [] };
  if (resident) {
    const trackProblem = checkDrCountAllowed(resident.profile.track);
    if (trackProblem) return { ...empty, fileProblem: trackProblem.message };
  }
  const read = readCsvTable(data);
  if (!read.ok) return { ...empty, fileProblem: read.problem };

  const { columns, rows } = read.table;
  const descriptionColumn = pickColumn(columns, RIS_DESCRIPTION_COLUMNS);
  const dateColumn = pickColumn(columns, RIS_DATE_COLUMNS);
  const countColumn = pickColumn(columns, RIS_COUNT_COLUMNS);
  if (!descriptionColumn) {
    return {
      ...empty,
      fileProblem:
        `The first row must name an exam description column ("exam_description" or "description"), but none of its ${columns.length} columns does. ` +
        "If the file has no header row, add one such as exam_date,exam_description.",
    };
  }
  if (!dateColumn && academicYear === undefined) {
    return { ...empty, fileProblem: 'The file has no exam date column ("exam_date" or "date"). Add one, or name the academic year the file covers.' };
  }
  if (!dateColumn && academicYear !== undefined && resident) {
    const problem = yearProblem(academicYear, resident);
    if (problem) return { ...empty, fileProblem: `The academic year given for the file, ${academicYearLabel(academicYear)}, is one ${problem}. Name another academic year.` };
  }

  const totals = new Map<string, number>();
  /** Rows whose exams make up each total, so a total over the limit can be reported by row. */
  const totalRows = new Map<string, RisRowResult[]>();
  const unmapped = new Map<string, { exams: number; firstRow: number }>();
  const ignored = new Map<string, number>();
  const results: RisRowResult[] = [];

  for (const { rowNumber, cells, values } of rows) {
    const problems = identifierProblems(values, columns, KNOWN_COLUMNS);
    if (problems.length > 0) {
      results.push({ rowNumber, problems });
      continue;
    }

    // Reports list unmapped and ignored descriptions, so the text as listed (with its spaces
    // collapsed, which can form a new match) passes the guard again.
    const description = (cells[descriptionColumn] ?? "").replace(/\s+/g, " ").trim();
    const finding = findPatientIdentifier(description);
    if (!description) problems.push("the exam description is empty");
    else if (finding) problems.push(`the exam description looks like a patient identifier (${finding.description}); Caselog stores no patient identifiers, so remove it`);

    let year = academicYear ?? null;
    if (dateColumn) {
      const date = parseDateCell((cells[dateColumn] ?? "").slice(0, 10));
      if (date) year = academicYearOf(date);
      else problems.push(`the ${dateColumn} column is empty or not a date; write YYYY-MM-DD or M/D/YYYY`);
    }
    const yearReason = dateColumn && year !== null && resident ? yearProblem(year, resident) : null;
    if (yearReason) problems.push(`the exam is in academic year ${academicYearLabel(year!)}, ${yearReason}; correct the date or remove the row`);

    let exams = 1;
    if (countColumn) {
      const raw = cells[countColumn] ?? "";
      exams = Number(raw);
      if (!/^\d+$/.test(raw) || !drCountSchema.safeParse(exams).success) problems.push(`the ${countColumn} column is not a whole number from 0 to ${MAX_DR_COUNT}`);
    }

    const result: RisRowResult = { rowNumber, problems };
    results.push(result);
    if (problems.length > 0 || year === null) continue;

    const category = mapExamDescription(description, mapping);
    if (category === null) {
      const known = unmapped.get(description);
      unmapped.set(description, { exams: (known?.exams ?? 0) + exams, firstRow: known?.firstRow ?? rowNumber });
    } else if (category === "ignore") {
      addTo(ignored, description, exams);
    } else {
      const key = `${category}|${year}`;
      addTo(totals, key, exams);
      const contributing = totalRows.get(key) ?? [];
      contributing.push(result);
      totalRows.set(key, contributing);
    }
  }

  // setDrCount rejects a count above MAX_DR_COUNT, so such a total is dropped and its rows are invalid.
  for (const [key, count] of totals) {
    if (drCountSchema.safeParse(count).success) continue;
    const [category, year] = key.split("|");
    const problem =
      `the ${drCategory(category as DrCategoryId).name} exams of academic year ${academicYearLabel(Number(year))} sum to ${count}, ` +
      `above the maximum of ${MAX_DR_COUNT} per category and year; check the count column`;
    for (const row of totalRows.get(key) ?? []) row.problems.push(problem);
    totals.delete(key);
  }

  return {
    rows: results,
    fileProblem: rows.length === 0 ? "The file has a header row but no data rows." : null,
    totals: [...totals.entries()]
      .map(([key, count]) => {
        const [category, year] = key.split("|");
        return { category: category as DrCategoryId, academicYear: Number(year), count };
      })
      .sort((left, right) => left.academicYear - right.academicYear || DR_CATEGORY_IDS.indexOf(left.category) - DR_CATEGORY_IDS.indexOf(right.category)),
    unmapped: [...unmapped.entries()].map(([description, value]) => ({ description, ...value })).sort((left, right) => right.exams - left.exams),
    ignored: [...ignored.entries()].map(([description, exams]) => ({ description, exams })),
  };
}
