import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { checkRisCsv, defaultRisMapping, mapExamDescription, parseRisMapping, type RisResident } from "../../src/import/ris.js";
import { MAX_DR_COUNT } from "../../src/rules/counting.js";

const MAPPING = defaultRisMapping();

describe("default RIS mapping", () => {
  it.each([
    ["XR CHEST PA AND LATERAL", "chest_xray"],
    ["CHEST 1 VIEW PORTABLE", "chest_xray"],
    ["CTA CHEST PE PROTOCOL", "cta_mra"],
    ["MRA HEAD WO", "cta_mra"],
    ["CT ABDOMEN PELVIS WITH CONTRAST", "ct_abdomen_pelvis"],
    ["US ABDOMEN COMPLETE", "us_abdomen_pelvis"],
    ["MAMMO SCREENING BILATERAL W TOMO", "mammography"],
    ["US GUIDED LIVER BIOPSY", "image_guided_biopsy_drainage"],
    ["MRI KNEE RIGHT WO CONTRAST", "mri_lower_extremity_joints"],
    ["MRI BRAIN WITHOUT AND WITH CONTRAST", "mri_brain"],
    ["PET CT SKULL BASE TO THIGH", "pet"],
    ["MRI ABDOMEN WWO LIVER PROTOCOL", "mri_body"],
    ["MRCP", "mri_body"],
    ["MR LUMBAR SPINE WO", "mri_spine"],
    ["XR HAND 3 VIEWS", null],
    ["CT HEAD WO", null],
  ])("maps %j to %j", (description, category) => {
    expect(mapExamDescription(description, MAPPING)).toBe(category);
  });
});

describe("RIS export check", () => {
  const result = checkRisCsv(fs.readFileSync(new URL("../fixtures/import/ris-export.csv", import.meta.url)), MAPPING);

  it("totals exams per category and academic year", () => {
    expect(result.totals).toEqual([
      { category: "chest_xray", academicYear: 2025, count: 2 },
      { category: "cta_mra", academicYear: 2025, count: 1 },
      { category: "ct_abdomen_pelvis", academicYear: 2025, count: 1 },
      { category: "us_abdomen_pelvis", academicYear: 2025, count: 1 },
      { category: "mri_brain", academicYear: 2025, count: 1 },
      { category: "pet", academicYear: 2025, count: 1 },
      { category: "mri_spine", academicYear: 2025, count: 1 },
      { category: "chest_xray", academicYear: 2026, count: 1 },
    ]);
  });

  it("lists unmapped descriptions", () => {
    expect(result.unmapped).toEqual([{ description: "XR HAND 3 VIEWS", exams: 2, firstRow: 9 }]);
  });

  it("rejects a row with an accession number", () => {
    const invalid = result.rows.filter((row) => row.problems.length > 0);
    expect(invalid.map((row) => row.rowNumber)).toEqual([13]);
    expect(invalid[0]!.problems[0]).toContain("accession number");
  });
});

describe("RIS file problems", () => {
  it("needs a date column or an academic year", () => {
    const data = Buffer.from("description\nXR CHEST PA\n");
    expect(checkRisCsv(data, MAPPING).fileProblem).toContain("no exam date column");
    expect(checkRisCsv(data, MAPPING, 2025).totals).toEqual([{ category: "chest_xray", academicYear: 2025, count: 1 }]);
  });

  it("adds a count column", () => {
    const data = Buffer.from("date,description,count\n2025-08-01,XR CHEST PA,40\n2025-08-02,XR CHEST PA,2\n");
    expect(checkRisCsv(data, MAPPING).totals).toEqual([{ category: "chest_xray", academicYear: 2025, count: 42 }]);
  });

  it("rejects a count that is not a whole number", () => {
    const data = Buffer.from("date,description,count\n2025-08-01,XR CHEST PA,4.5\n");
    expect(checkRisCsv(data, MAPPING).rows[0]!.problems[0]).toContain("the count column is not a whole number");
  });
});

describe("RIS count limits", () => {
  const RESIDENT: RisResident = { profile: { track: "dr", pgy: 3, residencyStart: "2024-07-01", esirStart: null, esirEnd: null }, today: "2026-12-04" };

  it("names MAX_DR_COUNT for a bad count", () => {
    const data = Buffer.from("date,description,count\n2025-08-01,XR CHEST PA,4.5\n");
    expect(checkRisCsv(data, MAPPING).rows[0]!.problems[0]).toBe(`the count column is not a whole number from 0 to ${MAX_DR_COUNT}`);
  });

  it("rejects a sum above the maximum", () => {
    const data = Buffer.from("date,description,count\n2025-08-01,XR CHEST PA,60000\n2025-08-02,XR CHEST PA,60000\n2025-08-02,CT HEAD WO,3\n2025-08-03,MRCP,2\n");
    const check = checkRisCsv(data, MAPPING, undefined, RESIDENT);
    expect(check.rows[0]!.problems[0]).toContain("sum to 120000");
    expect(check.rows[1]!.problems[0]).toContain(`above the maximum of ${MAX_DR_COUNT}`);
    expect(check.rows[3]!.problems).toEqual([]);
    expect(check.totals).toEqual([{ category: "mri_body", academicYear: 2025, count: 2 }]);
  });

  it("rejects years outside the residency", () => {
    const data = Buffer.from("date,description\n2023-08-01,XR CHEST PA\n2027-08-01,XR CHEST PA\n2026-08-01,XR CHEST PA\n");
    const check = checkRisCsv(data, MAPPING, undefined, RESIDENT);
    expect(check.rows[0]!.problems[0]).toContain("academic year 2023-2024, which ended before the residency start (2024-07-01)");
    expect(check.rows[1]!.problems[0]).toContain("academic year 2027-2028, which has not started yet");
    expect(check.rows[2]!.problems).toEqual([]);
    expect(check.totals).toEqual([{ category: "chest_xray", academicYear: 2026, count: 1 }]);
  });

  it("rejects a named year outside the residency", () => {
    const data = Buffer.from("description\nXR CHEST PA\n");
    expect(checkRisCsv(data, MAPPING, 2023, RESIDENT).fileProblem).toContain("The academic year given for the file, 2023-2024, is one which ended before the residency start");
  });

  it("rejects a track without DR counts", () => {
    const data = Buffer.from("date,description\n2025-08-01,XR CHEST PA\n");
    const independent: RisResident = { ...RESIDENT, profile: { ...RESIDENT.profile, track: "ir_independent" } };
    expect(checkRisCsv(data, MAPPING, undefined, independent).fileProblem).toContain("Independent interventional radiology residents");
  });
});

describe("RIS mapping table", () => {
  it("rejects an unknown category", () => {
    expect(() => parseRisMapping({ rules: [{ category: "mri_elbow", pattern: "elbow" }] })).toThrow(/rules\.0\.category/);
  });

  it("rejects an invalid pattern", () => {
    expect(() => parseRisMapping({ rules: [{ category: "pet", pattern: "(" }] })).toThrow(/not a valid regular expression/);
  });

  it("lets the first matching rule win", () => {
    const mapping = parseRisMapping({ rules: [{ category: "pet", pattern: "ct" }, { category: "ct_abdomen_pelvis", pattern: "ct" }] });
    expect(mapExamDescription("CT ABDOMEN", mapping)).toBe("pet");
  });
});
