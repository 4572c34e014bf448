/**
 * ACGME case log categories for diagnostic and interventional radiology, with the exact names
 * and minimums of the ACGME "Radiology Case Log Guidelines" (Table 1 and Table 2, 2024 revision
 * of the Resident Case Log System).
 */

export interface DrCategory {
  id: DrCategoryId;
  name: string;
  minimum: number;
  /** Words a resident may type after `dr` to name the category. */
  aliases: readonly string[];
}

export const DR_CATEGORY_IDS = [
  "chest_xray",
  "cta_mra",
  "mammography",
  "ct_abdomen_pelvis",
  "us_abdomen_pelvis",
  "image_guided_biopsy_drainage",
  "mri_lower_extremity_joints",
  "mri_brain",
  "pet",
  "mri_body",
  "mri_spine",
] as const;

export type DrCategoryId = (typeof DR_CATEGORY_IDS)[number];

/** Table 1: the 11 diagnostic imaging categories, entered as aggregate counts. */
export const DR_CATEGORIES: readonly DrCategory[] = [
  { id: "chest_xray", name: "Chest X-Ray", minimum: 1900, aliases: ["chest", "cxr", "chest-xray", "chest-x-ray", "xray", "x-ray"] },
  { id: "cta_mra", name: "CTA/MRA", minimum: 100, aliases: ["cta", "mra", "cta/mra", "cta-mra"] },
  { id: "mammography", name: "Mammography", minimum: 300, aliases: ["mammo", "mammography", "mammogram", "mammograms"] },
  { id: "ct_abdomen_pelvis", name: "CT Abdominal/Pelvic", minimum: 600, aliases: ["ct", "ct-ap", "ctap", "ct-abd", "ct-abdomen", "ct-abdominal", "ct-pelvis"] },
  { id: "us_abdomen_pelvis", name: "US Abdominal/Pelvic", minimum: 350, aliases: ["us", "ultrasound", "us-ap", "usap", "us-abd", "us-abdomen", "us-abdominal", "us-pelvis"] },
  { id: "image_guided_biopsy_drainage", name: "Image Guided Biopsy/Drainage", minimum: 25, aliases: ["biopsy", "biopsies", "ig", "igbd", "image-guided", "biopsy/drainage", "drainage"] },
  { id: "mri_lower_extremity_joints", name: "MRI Lower Extremity Joints", minimum: 20, aliases: ["mri-joint", "mri-joints", "mri-le", "mri-knee", "msk", "joint", "joints", "mri-lower-extremity"] },
  { id: "mri_brain", name: "MRI Brain", minimum: 110, aliases: ["mri-brain", "brain", "neuro"] },
  { id: "pet", name: "PET", minimum: 30, aliases: ["pet", "pet-ct", "petct"] },
  { id: "mri_body", name: "MRI Body", minimum: 20, aliases: ["mri-body", "body", "mri-abdomen", "mri-abd"] },
  { id: "mri_spine", name: "MRI Spine", minimum: 60, aliases: ["mri-spine", "spine"] },
];

export const IR_CATEGORY_IDS = [
  "aortic_stent_grafting",
  "arterial_pta_stent",
  "embolization",
  "venous_intervention",
  "venous_port",
  "dialysis_access_intervention",
  "thrombolysis_thrombectomy",
  "tips",
  "primary_gi_intervention",
  "primary_nephrostomy",
  "tumor_ablation",
  "new_outpatient_clinic",
] as const;

export type IrCategoryId = (typeof IR_CATEGORY_IDS)[number];

export type IrCategoryGroup = "vascular" | "non_vascular" | "clinic";

export interface IrCategory {
  id: IrCategoryId;
  name: string;
  group: IrCategoryGroup;
}

/**
 * Table 2: the 12 IR categories, in the order and grouping of the ESIR verification form
 * (Appendix 1): eight vascular, three non-vascular, then the clinic evaluation. The ACGME has
 * set no minimums for them yet ("TBD").
 */
export const IR_CATEGORIES: readonly IrCategory[] = [
  { id: "aortic_stent_grafting", name: "Aortic Stent Grafting", group: "vascular" },
  { id: "arterial_pta_stent", name: "Arterial PTA or Stent", group: "vascular" },
  { id: "embolization", name: "Embolization", group: "vascular" },
  { id: "venous_intervention", name: "Venous Intervention (Stent, PTA, or filter)", group: "vascular" },
  { id: "venous_port", name: "Venous Port", group: "vascular" },
  { id: "dialysis_access_intervention", name: "Dialysis Access Intervention", group: "vascular" },
  { id: "thrombolysis_thrombectomy", name: "Thrombolysis or Thrombectomy (Arterial or Venous)", group: "vascular" },
  { id: "tips", name: "TIPS or TIPS Revision", group: "vascular" },
  { id: "primary_gi_intervention", name: "Primary GI Intervention (PTBD, Cholecystostomy, Gastrostomy)", group: "non_vascular" },
  { id: "primary_nephrostomy", name: "Primary Nephrostomy", group: "non_vascular" },
  { id: "tumor_ablation", name: "Tumor Ablation", group: "non_vascular" },
  { id: "new_outpatient_clinic", name: "New Outpatient Clinic Evaluation", group: "clinic" },
];

export const IR_GROUP_NAMES: Record<IrCategoryGroup, string> = {
  vascular: "Vascular",
  non_vascular: "Non-vascular",
  clinic: "Clinic",
};

const drById = new Map(DR_CATEGORIES.map((category) => [category.id, category]));
const irById = new Map(IR_CATEGORIES.map((category) => [category.id, category]));

export function drCategory(id: DrCategoryId): DrCategory {
  const category = drById.get(id);
  if (!category) throw new Error(`Unknown DR category id: ${id}`);
  return category;
}

export function irCategory(id: IrCategoryId): IrCategory {
  const category = irById.get(id);
  if (!category) throw new Error(`Unknown IR category id: ${id}`);
  return category;
}

export function isDrCategoryId(value: string): value is DrCategoryId {
  return drById.has(value as DrCategoryId);
}

export function isIrCategoryId(value: string): value is IrCategoryId {
  return irById.has(value as IrCategoryId);
}

/** Finds the DR category a resident named after `dr`, by id, exact name or alias. */
export function findDrCategory(word: string): DrCategory | undefined {
  const key = word.trim().toLowerCase().replace(/\s+/g, "-");
  return DR_CATEGORIES.find(
    (category) =>
      category.id === key.replace(/-/g, "_") ||
      category.name.toLowerCase().replace(/\s+/g, "-") === key ||
      category.aliases.includes(key),
  );
}

/** Procedural encounters required by the IR program requirements, per track. */
export const ENCOUNTER_TARGETS = {
  ir_residency: 1000,
  esir: 500,
} as const;
