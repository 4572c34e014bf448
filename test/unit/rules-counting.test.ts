import { describe, expect, it } from "vitest";
import { getProcedure } from "../../src/rules/catalogue.js";
import {
  MAX_DR_COUNT,
  MAX_NOTES_LENGTH,
  MAX_RESIDENTS_PER_PROCEDURE,
  buildProgress,
  checkCoCredit,
  checkDrCount,
  checkDrCountAllowed,
  checkEncounter,
  encounterTarget,
  esirWindow,
  selectCreditedProcedures,
  type CheckResult,
  type CheckedEncounter,
  type EncounterDraft,
  type ResidentProfile,
  type RuleViolation,
  type Track,
} from "../../src/rules/counting.js";

const TODAY = "2026-09-15";

const RESIDENT: ResidentProfile = { track: "ir_integrated", pgy: 4, residencyStart: "2023-07-01" };

function draft(overrides: Partial<EncounterDraft>): EncounterDraft {
  return { performedOn: "2026-09-10", procedureIds: ["port_placement"], role: "first_operator", ...overrides };
}

function accepted(result: CheckResult<CheckedEncounter>): CheckedEncounter {
  if (!result.ok) throw new Error(`expected the encounter to pass, got ${JSON.stringify(result.violations)}`);
  return result.value;
}

function violationsOf(result: CheckResult<CheckedEncounter>): RuleViolation[] {
  if (result.ok) throw new Error("expected the encounter to be rejected, but it passed");
  return result.violations;
}

function codesOf(result: CheckResult<CheckedEncounter>): string[] {
  return violationsOf(result).map((found) => found.code);
}

describe("rule 1: first operator only", () => {
  it("accepts the first operator", () => {
    expect(checkEncounter(draft({ role: "first_operator" }), RESIDENT, TODAY).ok).toBe(true);
  });

  it("rejects an assistant", () => {
    const violations = violationsOf(checkEncounter(draft({ role: "assistant" }), RESIDENT, TODAY));
    expect(violations.map((found) => found.code)).toEqual(["not_first_operator"]);
    expect(violations[0]?.field).toBe("role");
  });

  it("rejects a senior's own entry", () => {
    // The senior is credited through the junior's entry, by checkCoCredit below.
    expect(codesOf(checkEncounter(draft({ role: "supervising_senior" }), RESIDENT, TODAY))).toEqual(["senior_logs_own_entry"]);
  });
});

describe("checkCoCredit: minor procedures, two residents", () => {
  const rows: readonly {
    name: string;
    procedureIds: string[];
    firstOperatorPgy: number;
    coCreditedPgy: number;
    residentsCredited: number;
    sameResident: boolean;
    expected: string | null;
  }[] = [
    { name: "senior on minor procedure", procedureIds: ["port_placement"], firstOperatorPgy: 2, coCreditedPgy: 4, residentsCredited: 1, sameResident: false, expected: null },
    { name: "senior on two minor procedures", procedureIds: ["paracentesis", "thoracentesis"], firstOperatorPgy: 3, coCreditedPgy: 5, residentsCredited: 1, sameResident: false, expected: null },
    { name: "senior one year ahead", procedureIds: ["gastrostomy"], firstOperatorPgy: 4, coCreditedPgy: 5, residentsCredited: 1, sameResident: false, expected: null },
    { name: "major procedure", procedureIds: ["tace"], firstOperatorPgy: 2, coCreditedPgy: 4, residentsCredited: 1, sameResident: false, expected: "co_credit_major" },
    { name: "TIPS is major", procedureIds: ["tips"], firstOperatorPgy: 2, coCreditedPgy: 4, residentsCredited: 1, sameResident: false, expected: "co_credit_major" },
    { name: "minor plus major", procedureIds: ["port_placement", "evar"], firstOperatorPgy: 2, coCreditedPgy: 4, residentsCredited: 1, sameResident: false, expected: "co_credit_major" },
    { name: "equal PGY", procedureIds: ["port_placement"], firstOperatorPgy: 3, coCreditedPgy: 3, residentsCredited: 1, sameResident: false, expected: "co_credit_same_level" },
    { name: "junior named by senior", procedureIds: ["port_placement"], firstOperatorPgy: 5, coCreditedPgy: 2, residentsCredited: 1, sameResident: false, expected: "co_credit_junior_named" },
    { name: "naming yourself", procedureIds: ["port_placement"], firstOperatorPgy: 3, coCreditedPgy: 3, residentsCredited: 1, sameResident: true, expected: "co_credit_self" },
    { name: "second resident", procedureIds: ["picc"], firstOperatorPgy: 2, coCreditedPgy: 4, residentsCredited: 1, sameResident: false, expected: null },
    { name: "third resident", procedureIds: ["picc"], firstOperatorPgy: 2, coCreditedPgy: 4, residentsCredited: 2, sameResident: false, expected: "third_resident" },
    { name: "fourth resident", procedureIds: ["picc"], firstOperatorPgy: 2, coCreditedPgy: 4, residentsCredited: 3, sameResident: false, expected: "third_resident" },
  ];

  it.each(rows)("$name gives $expected", ({ procedureIds, firstOperatorPgy, coCreditedPgy, residentsCredited, sameResident, expected }) => {
    const result = checkCoCredit({
      procedures: procedureIds.map(getProcedure),
      firstOperatorPgy,
      coCreditedPgy,
      residentsCredited,
      sameResident,
    });
    expect(result?.code ?? null).toBe(expected);
    if (result) expect(result.field).toBe("co_credit");
  });

  it("caps credit at two residents", () => {
    expect(MAX_RESIDENTS_PER_PROCEDURE).toBe(2);
  });

  it("names the major procedure", () => {
    const result = checkCoCredit({
      procedures: [getProcedure("port_placement"), getProcedure("tace")],
      firstOperatorPgy: 2,
      coCreditedPgy: 4,
      residentsCredited: 1,
      sameResident: false,
    });
    expect(result?.message).toContain(getProcedure("tace").name);
    expect(result?.message).not.toContain(getProcedure("port_placement").name);
  });
});

describe("rule 3: one procedure per category", () => {
  const rows: readonly { name: string; procedureIds: string[]; credited: string[]; notCounted: string[] }[] = [
    { name: "chest port and gastrostomy", procedureIds: ["port_placement", "gastrostomy"], credited: ["gastrostomy", "port_placement"], notCounted: [] },
    { name: "venous PTA and stent", procedureIds: ["venous_pta", "venous_stent"], credited: ["venous_stent"], notCounted: ["venous_pta"] },
    { name: "venous stent and PTA", procedureIds: ["venous_stent", "venous_pta"], credited: ["venous_stent"], notCounted: ["venous_pta"] },
    { name: "IVC filter and venous stent", procedureIds: ["ivc_filter_placement", "venous_stent"], credited: ["venous_stent"], notCounted: ["ivc_filter_placement"] },
    { name: "TACE and emergency embolization", procedureIds: ["tace", "emergency_embolization"], credited: ["emergency_embolization"], notCounted: ["tace"] },
    { name: "TIPS and TIPS revision", procedureIds: ["tips_revision", "tips"], credited: ["tips"], notCounted: ["tips_revision"] },
    { name: "arterial PTA and stent", procedureIds: ["arterial_pta", "arterial_stent"], credited: ["arterial_stent"], notCounted: ["arterial_pta"] },
    { name: "two uncategorized procedures", procedureIds: ["liver_biopsy", "paracentesis"], credited: ["liver_biopsy", "paracentesis"], notCounted: [] },
    { name: "PICC and tunneled line", procedureIds: ["picc", "tunneled_line"], credited: ["picc", "tunneled_line"], notCounted: [] },
    { name: "nephrostomy and abscess drain", procedureIds: ["nephrostomy", "abscess_drain"], credited: ["abscess_drain", "nephrostomy"], notCounted: [] },
    { name: "three embolization procedures", procedureIds: ["bland_embolization", "emergency_embolization", "bae"], credited: ["emergency_embolization"], notCounted: ["bae", "bland_embolization"] },
  ];

  it.each(rows)("$name", ({ procedureIds, credited, notCounted }) => {
    const result = selectCreditedProcedures(procedureIds.map(getProcedure));
    expect(result.credited.map((entry) => entry.id).sort()).toEqual(credited);
    expect(result.notCounted.map((entry) => entry.procedure.id).sort()).toEqual(notCounted);
  });

  it("names the kept procedure", () => {
    const result = selectCreditedProcedures([getProcedure("venous_pta"), getProcedure("venous_stent")]);
    expect(result.notCounted).toHaveLength(1);
    expect(result.notCounted[0]?.keptInstead.id).toBe("venous_stent");
  });

  it("credits a duplicate procedure once", () => {
    const result = selectCreditedProcedures([getProcedure("picc"), getProcedure("picc")]);
    expect(result.credited.map((entry) => entry.id)).toEqual(["picc"]);
    expect(result.notCounted).toEqual([]);
  });

  it("checkEncounter stores the kept procedures", () => {
    const value = accepted(checkEncounter(draft({ procedureIds: ["venous_pta", "venous_stent", "port_placement"] }), RESIDENT, TODAY));
    expect(value.procedures.map((entry) => entry.id).sort()).toEqual(["port_placement", "venous_stent"]);
    expect(value.notCounted.map((entry) => entry.procedure.id)).toEqual(["venous_pta"]);
  });

  it("checkEncounter stores a duplicate once", () => {
    const value = accepted(checkEncounter(draft({ procedureIds: ["port_placement", "port_placement"] }), RESIDENT, TODAY));
    expect(value.procedures.map((entry) => entry.id)).toEqual(["port_placement"]);
    expect(value.notCounted).toEqual([]);
  });
});

describe("rule 4: diagnostic vascular imaging", () => {
  it.each([
    { id: "cta", where: "CTA/MRA" },
    { id: "mra", where: "CTA/MRA" },
    { id: "ctv", where: "CTA/MRA" },
    { id: "vascular_ultrasound", where: "not to the procedure log" },
  ])("rejects $id", ({ id, where }) => {
    const violations = violationsOf(checkEncounter(draft({ procedureIds: [], diagnosticVascularIds: [id] }), RESIDENT, TODAY));
    expect(violations.map((found) => found.code)).toEqual(["diagnostic_vascular_imaging"]);
    expect(violations[0]?.field).toBe("procedures");
    expect(violations[0]?.message).toContain(where);
  });

  it("tells how to count a CTA", () => {
    const violations = violationsOf(checkEncounter(draft({ procedureIds: [], diagnosticVascularIds: ["cta"] }), RESIDENT, TODAY));
    expect(violations[0]?.message).toContain('"dr cta 1"');
  });

  it("rejects imaging beside a procedure", () => {
    const result = checkEncounter(draft({ procedureIds: ["port_placement"], diagnosticVascularIds: ["vascular_ultrasound"] }), RESIDENT, TODAY);
    expect(codesOf(result)).toEqual(["diagnostic_vascular_imaging"]);
  });

  it("rejects an unknown study id", () => {
    const result = checkEncounter(draft({ procedureIds: [], diagnosticVascularIds: ["no_such_study"] }), RESIDENT, TODAY);
    expect(codesOf(result)).toEqual(["unknown_procedure"]);
  });

  it("accepts a catheter angiogram", () => {
    expect(checkEncounter(draft({ procedureIds: ["diagnostic_angiogram"] }), RESIDENT, TODAY).ok).toBe(true);
  });
});

describe("checkEncounter other checks", () => {
  it("rejects an empty procedure list", () => {
    expect(codesOf(checkEncounter(draft({ procedureIds: [] }), RESIDENT, TODAY))).toEqual(["no_procedure"]);
  });

  it("rejects an unknown procedure id", () => {
    const violations = violationsOf(checkEncounter(draft({ procedureIds: ["port_placement", "warp_drive"] }), RESIDENT, TODAY));
    expect(violations.map((found) => found.code)).toEqual(["unknown_procedure"]);
    expect(violations[0]?.message).toContain("warp_drive");
  });

  it("accepts a clinic visit alone", () => {
    const value = accepted(checkEncounter(draft({ procedureIds: ["clinic"] }), RESIDENT, TODAY));
    expect(value.kind).toBe("clinic");
    expect(value.procedures.map((entry) => entry.id)).toEqual(["clinic"]);
  });

  it("rejects clinic with a procedure", () => {
    expect(codesOf(checkEncounter(draft({ procedureIds: ["clinic", "port_placement"] }), RESIDENT, TODAY))).toEqual(["clinic_with_procedure"]);
  });

  it("marks a procedure encounter", () => {
    expect(accepted(checkEncounter(draft({}), RESIDENT, TODAY)).kind).toBe("procedure");
  });

  it("rejects notes with an identifier", () => {
    const violations = violationsOf(checkEncounter(draft({ notes: "difficult access, MRN 7654321" }), RESIDENT, TODAY));
    expect(violations.map((found) => found.code)).toEqual(["patient_identifier"]);
    expect(violations[0]?.field).toBe("notes");
    expect(violations[0]?.message).not.toContain("7654321");
  });

  it("rejects notes over the limit", () => {
    const notes = "a".repeat(MAX_NOTES_LENGTH + 1);
    expect(codesOf(checkEncounter(draft({ notes }), RESIDENT, TODAY))).toEqual(["notes_too_long"]);
  });

  it("accepts notes at the limit", () => {
    const notes = "a".repeat(MAX_NOTES_LENGTH);
    expect(accepted(checkEncounter(draft({ notes }), RESIDENT, TODAY)).notes).toBe(notes);
  });

  it.each([
    { notes: "  difficult access  ", stored: "difficult access" },
    { notes: "   ", stored: null },
    { notes: null, stored: null },
  ])("stores notes $notes as $stored", ({ notes, stored }) => {
    expect(accepted(checkEncounter(draft({ notes }), RESIDENT, TODAY)).notes).toBe(stored);
  });

  it("reports every violation together", () => {
    const result = checkEncounter(draft({ performedOn: "2026-09-16", role: "assistant", procedureIds: ["warp_drive"] }), RESIDENT, TODAY);
    expect(codesOf(result).sort()).toEqual(["future_date", "not_first_operator", "unknown_procedure"]);
  });

  it("keeps the supervisor id", () => {
    expect(accepted(checkEncounter(draft({ supervisorSlackId: "U012ABCDEF" }), RESIDENT, TODAY)).supervisorSlackId).toBe("U012ABCDEF");
  });
});

describe("who enters diagnostic counts", () => {
  it.each([
    { track: "dr" as Track, allowed: true },
    { track: "esir" as Track, allowed: true },
    { track: "ir_integrated" as Track, allowed: true },
    { track: "ir_independent" as Track, allowed: false },
  ])("$track allowed: $allowed", ({ track, allowed }) => {
    const result = checkDrCountAllowed(track);
    expect(result === null).toBe(allowed);
    if (result) {
      expect(result.code).toBe("dr_counts_not_for_track");
      expect(result.field).toBe("track");
    }
  });

  it.each([
    { count: 0, expected: null },
    { count: 1900, expected: null },
    { count: MAX_DR_COUNT, expected: null },
    { count: MAX_DR_COUNT + 1, expected: "invalid_dr_count" },
    { count: -1, expected: "invalid_dr_count" },
    { count: 2.5, expected: "invalid_dr_count" },
    { count: Number.NaN, expected: "invalid_dr_count" },
  ])("checkDrCount $count gives $expected", ({ count, expected }) => {
    expect(checkDrCount(count, "dr")?.code ?? null).toBe(expected);
  });

  it("checkDrCount rejects independent IR", () => {
    expect(checkDrCount(10, "ir_independent")?.code).toBe("dr_counts_not_for_track");
  });
});

describe("encounter targets", () => {
  it.each([
    { track: "ir_integrated" as Track, target: 1000 },
    { track: "ir_independent" as Track, target: 1000 },
    { track: "esir" as Track, target: 500 },
    { track: "dr" as Track, target: null },
  ])("$track needs $target", ({ track, target }) => {
    expect(encounterTarget(track)).toBe(target);
  });
});

describe("esirWindow", () => {
  it.each([
    {
      name: "uses ESIR dates",
      resident: { track: "esir" as Track, pgy: 5, residencyStart: "2022-07-01", esirStart: "2025-07-01", esirEnd: "2026-06-30" },
      expected: { from: "2025-07-01", until: "2026-07-01" },
    },
    {
      name: "falls back to residency start",
      resident: { track: "esir" as Track, pgy: 4, residencyStart: "2023-07-01" },
      expected: { from: "2023-07-01", until: null },
    },
    {
      name: "stays open without an end",
      resident: { track: "esir" as Track, pgy: 4, residencyStart: "2023-07-01", esirStart: "2026-07-01", esirEnd: null },
      expected: { from: "2026-07-01", until: null },
    },
  ])("$name", ({ resident, expected }) => {
    expect(esirWindow(resident)).toEqual(expected);
  });
});

describe("buildProgress", () => {
  const input = {
    encountersTowardTarget: 120,
    encountersAll: 150,
    irCounts: { venous_port: 12, tips: 1 },
    drCounts: { chest_xray: 400 },
  };

  it("lists all 11 DR minimums", () => {
    const progress = buildProgress({ ...input, track: "esir" });
    expect(progress.dr).toHaveLength(11);
    expect(progress.dr.find((row) => row.id === "chest_xray")).toEqual({ id: "chest_xray", name: "Chest X-Ray", count: 400, minimum: 1900 });
    expect(progress.dr.find((row) => row.id === "pet")?.count).toBe(0);
  });

  it("lists 12 IR categories without minimums", () => {
    const progress = buildProgress({ ...input, track: "ir_integrated" });
    expect(progress.ir).toHaveLength(12);
    expect(progress.ir.every((row) => row.minimum === null)).toBe(true);
    expect(progress.ir.find((row) => row.id === "venous_port")?.count).toBe(12);
    expect(progress.ir.find((row) => row.id === "embolization")?.count).toBe(0);
  });

  it.each([
    { track: "dr" as Track, showsDrCategories: true, target: null },
    { track: "esir" as Track, showsDrCategories: true, target: 500 },
    { track: "ir_integrated" as Track, showsDrCategories: true, target: 1000 },
    { track: "ir_independent" as Track, showsDrCategories: false, target: 1000 },
  ])("sets $track totals", ({ track, showsDrCategories, target }) => {
    const progress = buildProgress({ ...input, track });
    expect(progress.showsDrCategories).toBe(showsDrCategories);
    expect(progress.encounters).toEqual({ count: 120, target, all: 150 });
  });
});
