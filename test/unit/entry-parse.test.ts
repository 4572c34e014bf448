import { describe, expect, it } from "vitest";
import { parseCommandText, type DraftEncounterText } from "../../src/entry/parse-text.js";
import { findPatientIdentifier } from "../../src/rules/privacy.js";

// Friday 2026-12-04, 10:00 in Chicago.
const NOW = new Date("2026-12-04T16:00:00Z");

function encounter(text: string): DraftEncounterText {
  const parsed = parseCommandText(text, NOW, "America/Chicago");
  expect(parsed.kind, text).toBe("encounter");
  return parsed as DraftEncounterText;
}

describe("procedure words", () => {
  const rows: { text: string; procedures: string[] }[] = [
    { text: "port yesterday", procedures: ["port_placement"] },
    { text: "r ij port", procedures: ["port_placement"] },
    { text: "port and g-tube", procedures: ["port_placement", "gastrostomy"] },
    { text: "cholecystostomy tube exchange", procedures: ["tube_exchange"] },
    { text: "gj tube exchange", procedures: ["tube_exchange"] },
    { text: "pcn change", procedures: ["tube_exchange"] },
    { text: "g tube replacement", procedures: ["tube_exchange"] },
    { text: "picc removal", procedures: ["line_removal"] },
    { text: "port removal", procedures: ["port_removal"] },
    { text: "tips venogram", procedures: ["venogram"] },
    { text: "tips revision", procedures: ["tips_revision"] },
    { text: "paracentesis 4L", procedures: ["paracentesis"] },
    { text: "L tunneled HD cath", procedures: ["tunneled_line"] },
    { text: "liver mass bx", procedures: ["liver_biopsy"] },
    { text: "para at 11pm", procedures: ["paracentesis"] },
  ];

  for (const row of rows) {
    it(`reads "${row.text}"`, () => {
      const parsed = encounter(row.text);
      expect(parsed.procedureIds).toEqual(row.procedures);
      expect(parsed.unknownWords).toEqual([]);
    });
  }

  it("flags a count of procedures", () => {
    expect(encounter("2 paras").counts).toEqual(["2 paras"]);
  });
});

describe("dates", () => {
  const rows: { text: string; performedOn: string | null; invalid?: string }[] = [
    { text: "para monday", performedOn: "2026-11-30" },
    { text: "para on monday", performedOn: "2026-11-30" },
    { text: "para thursday", performedOn: "2026-12-03" },
    { text: "port 12/25", performedOn: "2025-12-25" },
    { text: "para 2026-13-01", performedOn: null, invalid: "2026-13-01" },
    { text: "port 2/29/2025", performedOn: null, invalid: "2/29/2025" },
  ];

  for (const row of rows) {
    it(`reads "${row.text}"`, () => {
      const parsed = encounter(row.text);
      expect(parsed.performedOn).toBe(row.performedOn);
      if (row.invalid) expect(parsed.invalidDates).toEqual([row.invalid]);
    });
  }
});

describe("DR counts", () => {
  it("reads the count before the date", () => {
    expect(parseCommandText("dr pet 25 dec 3", NOW, "America/Chicago")).toEqual({ kind: "dr_count", category: "pet", count: 25, performedOn: "2026-12-03" });
  });

  it("explains dr alone", () => {
    expect(parseCommandText("dr", NOW, "America/Chicago").kind).toBe("dr_invalid");
  });
});

describe("identifiers in notes", () => {
  for (const text of ["notes: pt John Smith", "notes: 93 yo M", "notes: Jane Doe 4/5/2001"]) {
    it(`catches "${text}"`, () => {
      expect(findPatientIdentifier(text)).not.toBeNull();
    });
  }
});
