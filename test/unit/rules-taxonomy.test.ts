import { describe, expect, it } from "vitest";
import {
  DR_CATEGORIES,
  DR_CATEGORY_IDS,
  ENCOUNTER_TARGETS,
  IR_CATEGORIES,
  IR_CATEGORY_IDS,
  IR_GROUP_NAMES,
  drCategory,
  findDrCategory,
  irCategory,
  isDrCategoryId,
  isIrCategoryId,
  type DrCategoryId,
  type IrCategoryGroup,
  type IrCategoryId,
} from "../../src/rules/taxonomy.js";

// Expected values below are typed from the ACGME "Radiology Case Log Guidelines" (Case Log
// System 2024 revision): Table 1, Table 2 and the ESIR verification form in Appendix 1.

const TABLE_1: readonly { name: string; minimum: number }[] = [
  { name: "Chest X-Ray", minimum: 1900 },
  { name: "CTA/MRA", minimum: 100 },
  { name: "Mammography", minimum: 300 },
  { name: "CT Abdominal/Pelvic", minimum: 600 },
  { name: "US Abdominal/Pelvic", minimum: 350 },
  { name: "Image Guided Biopsy/Drainage", minimum: 25 },
  { name: "MRI Lower Extremity Joints", minimum: 20 },
  { name: "MRI Brain", minimum: 110 },
  { name: "PET", minimum: 30 },
  { name: "MRI Body", minimum: 20 },
  { name: "MRI Spine", minimum: 60 },
];

// Table 2 lists the IR categories alphabetically.
const TABLE_2_NAMES: readonly string[] = [
  "Aortic Stent Grafting",
  "Arterial PTA or Stent",
  "Dialysis Access Intervention",
  "Embolization",
  "New Outpatient Clinic Evaluation",
  "Primary GI Intervention (PTBD, Cholecystostomy, Gastrostomy)",
  "Primary Nephrostomy",
  "Thrombolysis or Thrombectomy (Arterial or Venous)",
  "TIPS or TIPS Revision",
  "Tumor Ablation",
  "Venous Port",
  "Venous Intervention (Stent, PTA, or filter)",
];

// The ESIR verification form lists the same 12 categories under VASCULAR and NON-VASCULAR
// headings, with the clinic evaluation last and on its own.
const ESIR_FORM: readonly { name: string; group: IrCategoryGroup }[] = [
  { name: "Aortic Stent Grafting", group: "vascular" },
  { name: "Arterial PTA or Stent", group: "vascular" },
  { name: "Embolization", group: "vascular" },
  { name: "Venous Intervention (Stent, PTA, or filter)", group: "vascular" },
  { name: "Venous Port", group: "vascular" },
  { name: "Dialysis Access Intervention", group: "vascular" },
  { name: "Thrombolysis or Thrombectomy (Arterial or Venous)", group: "vascular" },
  { name: "TIPS or TIPS Revision", group: "vascular" },
  { name: "Primary GI Intervention (PTBD, Cholecystostomy, Gastrostomy)", group: "non_vascular" },
  { name: "Primary Nephrostomy", group: "non_vascular" },
  { name: "Tumor Ablation", group: "non_vascular" },
  { name: "New Outpatient Clinic Evaluation", group: "clinic" },
];

describe("DR categories (Table 1)", () => {
  it("has exactly 11 categories", () => {
    expect(DR_CATEGORIES).toHaveLength(11);
    expect(DR_CATEGORY_IDS).toHaveLength(11);
  });

  it("lists names in Table 1 order", () => {
    expect(DR_CATEGORIES.map((category) => category.name)).toEqual(TABLE_1.map((row) => row.name));
  });

  it.each(TABLE_1)("$name requires $minimum", ({ name, minimum }) => {
    const matches = DR_CATEGORIES.filter((category) => category.name === name);
    expect(matches).toHaveLength(1);
    expect(matches[0]?.minimum).toBe(minimum);
  });

  it("matches DR_CATEGORY_IDS one to one", () => {
    expect(DR_CATEGORIES.map((category) => category.id)).toEqual([...DR_CATEGORY_IDS]);
    expect(new Set(DR_CATEGORY_IDS).size).toBe(DR_CATEGORY_IDS.length);
  });

  it("has lower-case aliases unique across categories", () => {
    const aliases = DR_CATEGORIES.flatMap((category) => category.aliases);
    for (const alias of aliases) {
      expect(alias).toBe(alias.toLowerCase());
    }
    expect(new Set(aliases).size).toBe(aliases.length);
  });
});

describe("findDrCategory", () => {
  it.each([
    { word: "chest", expected: "chest_xray" },
    { word: "Chest X-Ray", expected: "chest_xray" },
    { word: "cxr", expected: "chest_xray" },
    { word: "cta", expected: "cta_mra" },
    { word: "MRA", expected: "cta_mra" },
    { word: "mammo", expected: "mammography" },
    { word: "CT Abdominal/Pelvic", expected: "ct_abdomen_pelvis" },
    { word: "us", expected: "us_abdomen_pelvis" },
    { word: "image guided biopsy/drainage", expected: "image_guided_biopsy_drainage" },
    { word: "MRI Lower Extremity Joints", expected: "mri_lower_extremity_joints" },
    { word: "mri brain", expected: "mri_brain" },
    { word: "pet-ct", expected: "pet" },
    { word: "mri_body", expected: "mri_body" },
    { word: "  spine ", expected: "mri_spine" },
  ])("finds $expected for $word", ({ word, expected }) => {
    expect(findDrCategory(word)?.id).toBe(expected);
  });

  it.each(["", "fluoroscopy", "nuclear", "chest x ray film"])("finds nothing for %j", (word) => {
    expect(findDrCategory(word)).toBeUndefined();
  });
});

describe("IR categories (Table 2, Appendix 1)", () => {
  it("has exactly 12 categories", () => {
    expect(IR_CATEGORIES).toHaveLength(12);
    expect(IR_CATEGORY_IDS).toHaveLength(12);
  });

  it("uses the exact Table 2 names", () => {
    const names = IR_CATEGORIES.map((category) => category.name);
    expect([...names].sort()).toEqual([...TABLE_2_NAMES].sort());
  });

  it("follows the ESIR form order and grouping", () => {
    expect(IR_CATEGORIES.map(({ name, group }) => ({ name, group }))).toEqual(ESIR_FORM);
  });

  it.each([
    { group: "vascular" as const, size: 8 },
    { group: "non_vascular" as const, size: 3 },
    { group: "clinic" as const, size: 1 },
  ])("puts $size categories in group $group", ({ group, size }) => {
    expect(IR_CATEGORIES.filter((category) => category.group === group)).toHaveLength(size);
  });

  it("names the groups as the form does", () => {
    expect(IR_GROUP_NAMES.vascular).toBe("Vascular");
    expect(IR_GROUP_NAMES.non_vascular).toBe("Non-vascular");
  });

  it("matches IR_CATEGORY_IDS one to one", () => {
    expect(IR_CATEGORIES.map((category) => category.id)).toEqual([...IR_CATEGORY_IDS]);
    expect(new Set(IR_CATEGORY_IDS).size).toBe(IR_CATEGORY_IDS.length);
  });
});

describe("category lookups", () => {
  it("drCategory returns the category by id", () => {
    expect(drCategory("mri_spine").name).toBe("MRI Spine");
  });

  it("irCategory returns the category by id", () => {
    expect(irCategory("tips").name).toBe("TIPS or TIPS Revision");
  });

  it("drCategory rejects an unknown id", () => {
    expect(() => drCategory("fluoroscopy" as DrCategoryId)).toThrow(/fluoroscopy/);
  });

  it("irCategory rejects an unknown id", () => {
    expect(() => irCategory("picc" as IrCategoryId)).toThrow(/picc/);
  });

  it.each([
    { value: "chest_xray", dr: true, ir: false },
    { value: "venous_port", dr: false, ir: true },
    { value: "Chest X-Ray", dr: false, ir: false },
    { value: "picc", dr: false, ir: false },
  ])("classifies id $value", ({ value, dr, ir }) => {
    expect(isDrCategoryId(value)).toBe(dr);
    expect(isIrCategoryId(value)).toBe(ir);
  });
});

describe("ENCOUNTER_TARGETS", () => {
  it("requires 1000 encounters in IR residency", () => {
    expect(ENCOUNTER_TARGETS.ir_residency).toBe(1000);
  });

  it("requires 500 encounters during ESIR", () => {
    expect(ENCOUNTER_TARGETS.esir).toBe(500);
  });
});
