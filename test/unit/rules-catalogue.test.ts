import { describe, expect, it } from "vitest";
import {
  AMBIGUOUS_TERMS,
  DIAGNOSTIC_VASCULAR_STUDIES,
  PROCEDURES,
  findProcedure,
  getProcedure,
  type Procedure,
} from "../../src/rules/catalogue.js";
import { DR_CATEGORY_IDS, IR_CATEGORY_IDS, type IrCategoryId } from "../../src/rules/taxonomy.js";

/** Returns the one catalogue procedure that lists `synonym`, failing the test if none or several do. */
function procedureWithSynonym(synonym: string): Procedure {
  const matches = PROCEDURES.filter((entry) => entry.synonyms.includes(synonym));
  expect(matches, `procedures with synonym "${synonym}"`).toHaveLength(1);
  return matches[0]!;
}

describe("catalogue structure", () => {
  it("has unique procedure ids", () => {
    const ids = PROCEDURES.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("has study ids distinct from procedures", () => {
    const ids = [...PROCEDURES, ...DIAGNOSTIC_VASCULAR_STUDIES].map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("uses only real IR categories", () => {
    const known = new Set<string>(IR_CATEGORY_IDS);
    for (const entry of PROCEDURES) {
      if (entry.category !== null) {
        expect(known.has(entry.category), `${entry.id} category ${entry.category}`).toBe(true);
      }
    }
  });

  it("covers every IR category", () => {
    const used = new Set(PROCEDURES.map((entry) => entry.category));
    for (const id of IR_CATEGORY_IDS) {
      expect(used.has(id), id).toBe(true);
    }
  });

  it("has lower-case synonyms", () => {
    for (const entry of [...PROCEDURES, ...DIAGNOSTIC_VASCULAR_STUDIES]) {
      for (const synonym of entry.synonyms) {
        expect(synonym, entry.id).toBe(synonym.toLowerCase());
        expect(synonym, entry.id).toBe(synonym.trim());
      }
    }
  });

  it("has synonyms unique across the catalogue", () => {
    const owners = new Map<string, string[]>();
    for (const entry of [...PROCEDURES, ...DIAGNOSTIC_VASCULAR_STUDIES]) {
      for (const synonym of entry.synonyms) {
        owners.set(synonym, [...(owners.get(synonym) ?? []), entry.id]);
      }
    }
    const shared = [...owners].filter(([, ids]) => ids.length > 1);
    expect(shared).toEqual([]);
  });

  it("has positive integer complexities", () => {
    for (const entry of PROCEDURES) {
      expect(Number.isInteger(entry.complexity), entry.id).toBe(true);
      expect(entry.complexity, entry.id).toBeGreaterThan(0);
    }
  });

  it("maps ambiguous terms to known procedures", () => {
    for (const [term, ids] of Object.entries(AMBIGUOUS_TERMS)) {
      expect(ids.length, term).toBeGreaterThan(1);
      for (const id of ids) {
        expect(findProcedure(id), `${term} -> ${id}`).toBeDefined();
      }
    }
  });

  it("keeps ambiguous terms out of synonyms", () => {
    const synonyms = new Set([...PROCEDURES, ...DIAGNOSTIC_VASCULAR_STUDIES].flatMap((entry) => entry.synonyms));
    for (const term of Object.keys(AMBIGUOUS_TERMS)) {
      expect(synonyms.has(term), term).toBe(false);
    }
  });

  it("sends CT and MR angiography to CTA/MRA", () => {
    const cta = DIAGNOSTIC_VASCULAR_STUDIES.find((study) => study.id === "cta");
    const mra = DIAGNOSTIC_VASCULAR_STUDIES.find((study) => study.id === "mra");
    expect(cta?.countUnder).toBe("cta_mra");
    expect(mra?.countUnder).toBe("cta_mra");
  });

  it("sends studies only to real DR categories", () => {
    const known = new Set<string>(DR_CATEGORY_IDS);
    for (const study of DIAGNOSTIC_VASCULAR_STUDIES) {
      if (study.countUnder !== null) {
        expect(known.has(study.countUnder), study.id).toBe(true);
      }
    }
  });
});

describe("procedure categories", () => {
  const rows: readonly { synonym: string; category: IrCategoryId | null }[] = [
    { synonym: "port", category: "venous_port" },
    { synonym: "chest port", category: "venous_port" },
    { synonym: "mediport", category: "venous_port" },
    { synonym: "picc", category: null },
    { synonym: "tunneled line", category: null },
    { synonym: "tunneled dialysis catheter", category: null },
    { synonym: "non-tunneled line", category: null },
    { synonym: "central line", category: null },
    { synonym: "g-tube", category: "primary_gi_intervention" },
    { synonym: "gastrostomy", category: "primary_gi_intervention" },
    { synonym: "gj", category: "primary_gi_intervention" },
    { synonym: "gj tube", category: "primary_gi_intervention" },
    { synonym: "ptbd", category: "primary_gi_intervention" },
    { synonym: "biliary drain", category: "primary_gi_intervention" },
    { synonym: "cholecystostomy", category: "primary_gi_intervention" },
    { synonym: "nephrostomy", category: "primary_nephrostomy" },
    { synonym: "pcn", category: "primary_nephrostomy" },
    { synonym: "tips", category: "tips" },
    { synonym: "tips revision", category: "tips" },
    { synonym: "tace", category: "embolization" },
    { synonym: "y90", category: "embolization" },
    { synonym: "y-90", category: "embolization" },
    { synonym: "bland embolization", category: "embolization" },
    { synonym: "emergency embolization", category: "embolization" },
    { synonym: "ufe", category: "embolization" },
    { synonym: "uterine fibroid embolization", category: "embolization" },
    { synonym: "pae", category: "embolization" },
    { synonym: "gae", category: "embolization" },
    { synonym: "evar", category: "aortic_stent_grafting" },
    { synonym: "tevar", category: "aortic_stent_grafting" },
    { synonym: "arterial angioplasty", category: "arterial_pta_stent" },
    { synonym: "arterial pta", category: "arterial_pta_stent" },
    { synonym: "arterial stent", category: "arterial_pta_stent" },
    { synonym: "venous angioplasty", category: "venous_intervention" },
    { synonym: "venous stent", category: "venous_intervention" },
    { synonym: "ivc filter placement", category: "venous_intervention" },
    { synonym: "ivc filter retrieval", category: "venous_intervention" },
    { synonym: "dvt thrombectomy", category: "thrombolysis_thrombectomy" },
    { synonym: "pe thrombectomy", category: "thrombolysis_thrombectomy" },
    { synonym: "thrombolysis", category: "thrombolysis_thrombectomy" },
    { synonym: "catheter-directed thrombolysis", category: "thrombolysis_thrombectomy" },
    { synonym: "fistulagram", category: "dialysis_access_intervention" },
    { synonym: "dialysis fistulagram", category: "dialysis_access_intervention" },
    { synonym: "dialysis intervention", category: "dialysis_access_intervention" },
    { synonym: "declot", category: "dialysis_access_intervention" },
    { synonym: "rfa", category: "tumor_ablation" },
    { synonym: "mwa", category: "tumor_ablation" },
    { synonym: "cryo", category: "tumor_ablation" },
    { synonym: "cryoablation", category: "tumor_ablation" },
    { synonym: "clinic", category: "new_outpatient_clinic" },
    { synonym: "new patient", category: "new_outpatient_clinic" },
    { synonym: "biopsy", category: null },
    { synonym: "liver biopsy", category: null },
    { synonym: "lung biopsy", category: null },
    { synonym: "renal biopsy", category: null },
    { synonym: "abscess drain", category: null },
    { synonym: "paracentesis", category: null },
    { synonym: "thoracentesis", category: null },
    { synonym: "endovenous ablation", category: null },
  ];

  it.each(rows)("$synonym maps to $category", ({ synonym, category }) => {
    expect(procedureWithSynonym(synonym).category).toBe(category);
  });

  it("does not treat a consult as clinic", () => {
    // Only a new outpatient clinic evaluation fills that category, and "consult" alone is
    // usually an inpatient consult.
    expect(PROCEDURES.filter((entry) => entry.synonyms.includes("consult"))).toEqual([]);
  });
});

describe("complexity within a category", () => {
  it.each([
    { simpler: "venous angioplasty", harder: "venous stent" },
    { simpler: "ivc filter placement", harder: "venous stent" },
    { simpler: "arterial angioplasty", harder: "arterial stent" },
    { simpler: "bland embolization", harder: "tace" },
    { simpler: "tace", harder: "emergency embolization" },
    { simpler: "tips revision", harder: "tips" },
    { simpler: "evar", harder: "tevar" },
    { simpler: "fistulagram", harder: "dialysis intervention" },
    { simpler: "gastrostomy", harder: "gj" },
  ])("ranks $harder above $simpler", ({ simpler, harder }) => {
    const low = procedureWithSynonym(simpler);
    const high = procedureWithSynonym(harder);
    expect(high.category).toBe(low.category);
    expect(high.complexity).toBeGreaterThan(low.complexity);
  });
});

describe("procedure lookups", () => {
  it("findProcedure returns the entry by id", () => {
    expect(findProcedure("port_placement")?.category).toBe("venous_port");
  });

  it("findProcedure returns undefined for unknown", () => {
    expect(findProcedure("port")).toBeUndefined();
  });

  it("getProcedure rejects an unknown id", () => {
    expect(() => getProcedure("no_such_procedure")).toThrow(/no_such_procedure/);
  });
});
