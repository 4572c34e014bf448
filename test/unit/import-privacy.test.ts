import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkEncounterCsv } from "../../src/import/encounter-csv.js";
import { encounterImportReport, risImportReport } from "../../src/import/report.js";
import { checkRisCsv, defaultRisMapping, loadRisMapping } from "../../src/import/ris.js";
import type { ResidentProfile } from "../../src/rules/counting.js";
import type { EncounterImportResult, RisImportResult } from "../../src/services/imports.js";

/**
 * Import reports go to Slack and the command line, so they name rows, column positions and the
 * importer's own column names, and quote a file's text only where it passed the identifier guard.
 */

const RESIDENT: ResidentProfile = { track: "ir_integrated", pgy: 3, residencyStart: "2024-07-01" };
const NOW = new Date("2026-12-04T15:00:00Z");
const MAPPING = defaultRisMapping();

function checkLog(text: string) {
  return checkEncounterCsv(Buffer.from(text), RESIDENT, "2026-12-04", NOW, "America/New_York");
}

function logReport(text: string): string {
  const result: EncounterImportResult = { check: checkLog(text), validRows: 0, invalidRows: 0, stored: 0, alreadyStored: 0, applied: false };
  return encounterImportReport(result);
}

function risReport(text: string): string {
  const result: RisImportResult = { check: checkRisCsv(Buffer.from(text), MAPPING), counts: [], applied: false };
  return risImportReport(result);
}

describe("encounter import file problems", () => {
  it("header row is not echoed", () => {
    const check = checkLog("2026-11-02,port,Mr Smith MRN 1234567\n2026-11-03,port,x\n");
    expect(check.fileProblem).not.toBeNull();
    expect(check.fileProblem).not.toContain("1234567");
    expect(check.fileProblem).not.toContain("Smith");
    expect(check.fileProblem).toContain("column 3 looks like it contains a medical record number");
  });

  it("header without identifier not echoed", () => {
    const check = checkLog("2026-11-02,port,Smith\n2026-11-03,port,x\n");
    expect(check.fileProblem).toContain('must name a "date" column');
    expect(check.fileProblem).toContain("none of its 3 columns");
    expect(check.fileProblem).not.toContain("Smith");
    expect(check.fileProblem).not.toContain("2026-11-02");
  });

  it("unknown header names not echoed", () => {
    const check = checkLog("when,patient_surname\n2026-11-02,port\n");
    expect(check.fileProblem).toContain("a date column and a procedures column");
    expect(check.fileProblem).not.toContain("patient_surname");
    expect(check.fileProblem).not.toContain("when");
  });

  it("CSV parse error is not echoed", () => {
    const check = checkLog('date,procedures,notes\n2026-11-02,port,Smith 1234567 "x"\n');
    expect(check.fileProblem).toContain("not valid CSV");
    expect(check.fileProblem).toContain("a quote mark is misplaced at line 2");
    expect(check.fileProblem).not.toContain("1234567");
    expect(check.fileProblem).not.toContain("Smith");
  });

  it("unclosed quote is not echoed", () => {
    const check = checkLog('date,procedures\n2026-11-02,"Jones 7654321\n');
    expect(check.fileProblem).toContain("a quoted field is never closed");
    expect(check.fileProblem).not.toContain("7654321");
  });

  it("report repeats no header text", () => {
    const report = logReport("2026-11-02,port,Mr Smith MRN 1234567\n");
    expect(report).toContain("Nothing was imported.");
    expect(report).not.toContain("1234567");
    expect(report).not.toContain("Smith");
  });
});

describe("encounter import row problems", () => {
  it("invalid cells are not quoted", () => {
    const check = checkLog("date,procedures,role\nSmith Jones,port,Smith\n");
    const problems = check.rows[0]!.problems.join(" | ");
    expect(problems).toContain("the date column is empty or not a date");
    expect(problems).toContain("the role column is not one of");
    expect(problems).not.toContain("Smith");
    expect(problems).not.toContain("Jones");
  });

  it("unknown header names a position", () => {
    const check = checkLog("date,procedures,patient_surname\n2026-11-02,port,MRN 1234567\n");
    const problems = check.rows[0]!.problems.join(" | ");
    expect(problems).toContain("column 3 looks like it contains a medical record number");
    expect(problems).not.toContain("patient_surname");
    expect(problems).not.toContain("1234567");
  });
});

describe("RIS import echoes", () => {
  it("header row is not echoed", () => {
    const report = risReport("2025-08-01,XR CHEST Mr Smith 1234567\n2025-08-02,XR CHEST PA\n");
    expect(report).toContain("Nothing was imported.");
    expect(report).not.toContain("1234567");
    expect(report).not.toContain("Smith");
  });

  it("header without identifier not echoed", () => {
    const report = risReport("2025-08-01,XR CHEST Jones\n2025-08-02,XR CHEST PA\n");
    expect(report).toContain("none of its 2 columns");
    expect(report).not.toContain("Jones");
  });

  it("CSV parse error is not echoed", () => {
    const report = risReport('exam_date,exam_description\n2025-08-01,XR CHEST Smith 1234567 "x"\n');
    expect(report).toContain("not valid CSV");
    expect(report).not.toContain("1234567");
  });

  it("collapsed description is guarded again", () => {
    // Alone, "123  45  6789" matches no pattern; with its spaces collapsed it reads as a Social Security number.
    const data = "exam_date,exam_description\n2025-08-01,XR ELBOW 123  45  6789\n2025-08-02,XR ELBOW 2 VIEWS\n";
    const check = checkRisCsv(Buffer.from(data), MAPPING);
    expect(check.rows[0]!.problems.join(" | ")).toContain("the exam description looks like a patient identifier");
    expect(check.unmapped.map((entry) => entry.description)).toEqual(["XR ELBOW 2 VIEWS"]);

    const report = risReport(data);
    expect(report).toContain("row 2: the exam description looks like a patient identifier");
    expect(report).not.toContain("6789");
    expect(report).toContain('"XR ELBOW 2 VIEWS": 1 exams, first at row 3');
  });

  it("invalid date and count are not quoted", () => {
    const check = checkRisCsv(Buffer.from("exam_date,exam_description,count\nSmith,XR CHEST PA,Jones\n"), MAPPING);
    const problems = check.rows[0]!.problems.join(" | ");
    expect(problems).toContain("the exam_date column is empty or not a date");
    expect(problems).toContain("the count column is not a whole number");
    expect(problems).not.toContain("Smith");
    expect(problems).not.toContain("Jones");
  });
});

describe("RIS mapping file", () => {
  it("invalid JSON is not echoed", () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "caselog-map-"));
    const file = path.join(directory, "map.json");
    fs.writeFileSync(file, "Smith 1234567,XR CHEST\n");
    try {
      expect(() => loadRisMapping(file)).toThrow(/not valid JSON/);
      expect(() => loadRisMapping(file)).not.toThrow(/1234567|Smith/);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
