import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { checkEncounterCsv, parseDateCell } from "../../src/import/encounter-csv.js";
import type { ResidentProfile } from "../../src/rules/counting.js";

const RESIDENT: ResidentProfile = { track: "esir", pgy: 5, residencyStart: "2022-07-01", esirStart: "2025-07-01", esirEnd: null };
const TODAY = "2026-12-04";
const NOW = new Date("2026-12-04T15:00:00Z");

function fixture(name: string): Buffer {
  return fs.readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url));
}

function check(data: Buffer | string) {
  return checkEncounterCsv(Buffer.isBuffer(data) ? data : Buffer.from(data), RESIDENT, TODAY, NOW, "America/Chicago");
}

function problemsOf(result: ReturnType<typeof check>, rowNumber: number): string {
  return result.rows.find((row) => row.rowNumber === rowNumber)!.problems.join(" | ");
}

describe("encounter CSV with good rows", () => {
  const result = check(fixture("good.csv"));

  it("accepts every row", () => {
    expect(result.fileProblem).toBeNull();
    expect(result.rows.map((row) => row.problems)).toEqual([[], [], [], []]);
  });

  it("maps procedure text like Slack entry", () => {
    expect(result.rows.map((row) => row.draft!.procedureIds)).toEqual([["port_placement"], ["tace", "nephrostomy"], ["clinic"], ["y90"]]);
  });

  it("reads US dates, roles and mentions", () => {
    expect(result.rows[1]!.draft!.performedOn).toBe("2025-09-15");
    expect(result.rows[2]!.draft!.role).toBe("first_operator");
    expect(result.rows[3]!.draft!.supervisorSlackId).toBe("U0ATTEND");
    expect(result.rows[1]!.draft!.notes).toBe("difficult access");
  });

  it("hashes the file for import keys", () => {
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("encounter CSV with bad rows", () => {
  const result = check(fixture("bad.csv"));

  it("rejects every row", () => {
    expect(result.rows).toHaveLength(7);
    expect(result.rows.every((row) => row.draft === null)).toBe(true);
  });

  it("numbers rows from the header as row 1", () => {
    expect(result.rows.map((row) => row.rowNumber)).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  it("gives each row its reason", () => {
    expect(problemsOf(result, 2)).toContain("the date column is empty or not a date");
    expect(problemsOf(result, 2)).not.toContain("2025-02-30");
    expect(problemsOf(result, 3)).toContain("procedure words not recognized: wibble");
    expect(problemsOf(result, 4)).toContain("Only the first operator may count a procedure");
    expect(problemsOf(result, 5)).toContain("is in the future");
    expect(problemsOf(result, 6)).toContain("supervisor must be a Slack member ID");
    expect(problemsOf(result, 7)).toContain('column 5 ("notes") looks like it contains a medical record number');
    expect(problemsOf(result, 8)).toContain("A new outpatient clinic evaluation is its own encounter");
  });

  it("never repeats an identifier in a reason", () => {
    expect(problemsOf(result, 7)).not.toContain("12345678");
  });
});

describe("encounter CSV with mixed rows", () => {
  const result = check(fixture("mixed.csv"));

  it("separates valid from invalid rows", () => {
    expect(result.rows.filter((row) => row.draft).map((row) => row.rowNumber)).toEqual([2, 4]);
    expect(problemsOf(result, 3)).toContain("a date of birth");
    expect(problemsOf(result, 5)).toContain("non-catheter (diagnostic) vascular imaging");
  });
});

describe("encounter CSV file problems", () => {
  it("rejects a file without a procedures column", () => {
    expect(check("date,notes\n2025-09-02,x\n").fileProblem).toContain('"procedures" (or "procedure_ids") column');
  });

  it("rejects an empty file", () => {
    expect(check("").fileProblem).toContain("The file is empty");
  });

  it("rejects a header without rows", () => {
    expect(check("date,procedures\n").fileProblem).toContain("no data rows");
  });

  it("rejects malformed quoting", () => {
    expect(check('date,procedures\n2025-09-02,"port\n').fileProblem).toContain("not valid CSV");
  });

  it("guards cells past the header", () => {
    const result = check("date,procedures\n2025-09-02,port,555-12-3456\n");
    expect(problemsOf(result, 2)).toContain("column 3 looks like it contains a Social Security number");
  });

  it("prefers procedure ids when present", () => {
    const result = check("date,procedures,procedure_ids\n2025-09-02,whatever text,tace;nephrostomy\n");
    expect(result.rows[0]!.draft!.procedureIds).toEqual(["tace", "nephrostomy"]);
  });

  it("rejects a co-credit in the procedures column", () => {
    const result = check("date,procedures\n2025-09-02,port with <@U0SENIOR>\n");
    expect(problemsOf(result, 2)).toContain("log co-credits in Slack");
    expect(result.rows[0]!.draft).toBeNull();
  });

  it("rejects an unknown procedure id", () => {
    const result = check("date,procedure_ids\n2025-09-02,tace;not_a_thing\n");
    expect(problemsOf(result, 2)).toContain('procedure id "not_a_thing" is not in the Caselog catalogue');
  });
});

describe("parseDateCell", () => {
  it.each([
    ["2025-09-02", "2025-09-02"],
    ["9/2/2025", "2025-09-02"],
    ["12/31/2025", "2025-12-31"],
    ["2/30/2025", null],
    ["2025/09/02", null],
    ["", null],
  ])("reads %j as %j", (cell, expected) => {
    expect(parseDateCell(cell)).toBe(expected);
  });
});
