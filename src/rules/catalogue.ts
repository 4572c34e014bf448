import type { IrCategoryId, DrCategoryId } from "./taxonomy.js";

/**
 * The IR procedures residents name, each mapped to one ACGME IR case log category or to none.
 * A procedure with no category still counts as a patient procedural encounter toward the
 * 1000 (IR) or 500 (ESIR) total.
 *
 * `complexity` ranks procedures inside one category (higher is more complex) and decides which
 * one is counted when several procedures of one category are done in one encounter.
 * `minor` marks the procedures a senior resident may co-credit while supervising a junior.
 */
export interface Procedure {
  id: string;
  name: string;
  category: IrCategoryId | null;
  complexity: number;
  minor: boolean;
  /** Lower-case words and abbreviations, matched as whole words. */
  synonyms: readonly string[];
}

/**
 * Vascular imaging done without a catheter. ACGME counting rule 4 keeps these out of the IR
 * encounter log; `countUnder` names the DR aggregate category where they belong.
 */
export interface DiagnosticVascularStudy {
  id: string;
  name: string;
  countUnder: DrCategoryId | null;
  synonyms: readonly string[];
}

function procedure(
  id: string,
  name: string,
  category: IrCategoryId | null,
  complexity: number,
  minor: boolean,
  synonyms: readonly string[],
): Procedure {
  return { id, name, category, complexity, minor, synonyms };
}

export const PROCEDURES: readonly Procedure[] = [
  // Aortic Stent Grafting
  procedure("evar", "EVAR (endovascular aortic repair)", "aortic_stent_grafting", 2, false, ["evar", "endovascular aneurysm repair", "endovascular aortic repair", "aortic stent graft", "abdominal aortic stent graft"]),
  procedure("tevar", "TEVAR (thoracic endovascular aortic repair)", "aortic_stent_grafting", 3, false, ["tevar", "thoracic evar", "thoracic stent graft", "thoracic endovascular aortic repair"]),
  procedure("fevar", "Fenestrated or branched EVAR", "aortic_stent_grafting", 4, false, ["fevar", "bevar", "fenestrated evar", "branched evar"]),

  // Arterial PTA or Stent
  procedure("arterial_pta", "Arterial angioplasty (PTA)", "arterial_pta_stent", 1, false, ["arterial angioplasty", "arterial pta", "peripheral angioplasty", "sfa angioplasty", "sfa pta", "iliac angioplasty", "iliac pta", "renal artery angioplasty", "tibial angioplasty"]),
  procedure("arterial_atherectomy", "Atherectomy", "arterial_pta_stent", 2, false, ["atherectomy"]),
  procedure("arterial_stent", "Arterial stent", "arterial_pta_stent", 3, false, ["arterial stent", "iliac stent", "renal artery stent", "renal stent", "sfa stent", "mesenteric stent", "sma stent", "subclavian stent"]),

  // Embolization
  procedure("bland_embolization", "Embolization (bland or unspecified)", "embolization", 2, false, ["bland embolization", "bland embo", "tae", "transarterial embolization", "embolization", "embo"]),
  procedure("tace", "TACE (chemoembolization)", "embolization", 3, false, ["tace", "chemoembolization", "chemoembo", "deb-tace", "debtace", "ctace"]),
  procedure("y90", "Y-90 radioembolization", "embolization", 3, false, ["y90", "y-90", "y 90", "sirt", "tare", "radioembolization", "yttrium-90", "yttrium 90", "yttrium"]),
  procedure("y90_mapping", "Y-90 mapping angiogram", null, 2, false, ["y90 mapping", "y-90 mapping", "mapping angiogram", "y90 map", "mapping"]),
  procedure("emergency_embolization", "Emergency embolization (bleeding or trauma)", "embolization", 4, false, ["emergency embolization", "emergent embolization", "emergency embo", "emergent embo", "trauma embolization", "gi bleed embolization", "gib embolization", "bleed embo", "gi bleed embo", "splenic embolization", "pelvic trauma embolization", "hemorrhage embolization"]),
  procedure("ufe", "Uterine fibroid embolization (UFE)", "embolization", 3, false, ["ufe", "uae", "uterine fibroid embolization", "uterine artery embolization", "fibroid embolization"]),
  procedure("pae", "Prostate artery embolization (PAE)", "embolization", 3, false, ["pae", "prostate artery embolization", "prostatic artery embolization"]),
  procedure("gae", "Genicular artery embolization (GAE)", "embolization", 3, false, ["gae", "genicular artery embolization", "genicular embolization"]),
  procedure("bae", "Bronchial artery embolization", "embolization", 3, false, ["bae", "bronchial artery embolization", "hemoptysis embolization"]),
  procedure("pve", "Portal vein embolization", "embolization", 3, false, ["pve", "portal vein embolization"]),
  procedure("varicocele_embolization", "Varicocele or ovarian vein embolization", "embolization", 2, false, ["varicocele embolization", "gonadal vein embolization", "ovarian vein embolization", "varicocele embo"]),
  procedure("brto", "BRTO or variceal embolization", "embolization", 3, false, ["brto", "cardo", "parto", "variceal embolization", "balloon-occluded retrograde transvenous obliteration"]),
  procedure("endoleak_embolization", "Endoleak embolization", "embolization", 3, false, ["endoleak embolization", "endoleak repair", "type 2 endoleak"]),
  procedure("thoracic_duct_embolization", "Thoracic duct embolization", "embolization", 4, false, ["thoracic duct embolization", "tde", "thoracic duct"]),

  // Venous Intervention (Stent, PTA, or filter)
  procedure("ivc_filter_placement", "IVC filter placement", "venous_intervention", 1, false, ["ivc filter", "ivc filter placement", "ivcf", "ivcf placement", "filter placement", "ivc filter insertion"]),
  procedure("ivc_filter_retrieval", "IVC filter retrieval", "venous_intervention", 2, false, ["ivc filter retrieval", "ivc filter removal", "filter retrieval", "filter removal", "ivcf retrieval", "ivcf removal"]),
  procedure("venous_pta", "Venous angioplasty (PTA)", "venous_intervention", 2, false, ["venous angioplasty", "venous pta", "venoplasty", "central venous angioplasty"]),
  procedure("venous_stent", "Venous stent", "venous_intervention", 3, false, ["venous stent", "iliac vein stent", "iliac venous stent", "svc stent", "ivc stent", "may-thurner stent"]),
  procedure("ivc_filter_complex_retrieval", "Complex IVC filter retrieval", "venous_intervention", 3, false, ["complex ivc filter retrieval", "advanced filter retrieval", "laser filter retrieval"]),

  // Venous Port
  procedure("port_placement", "Venous port placement", "venous_port", 1, true, ["port", "port placement", "chest port", "arm port", "port-a-cath", "portacath", "mediport", "power port", "venous port", "port insertion"]),

  // Dialysis Access Intervention
  procedure("dialysis_fistulagram", "Dialysis fistulagram", "dialysis_access_intervention", 1, false, ["fistulagram", "dialysis fistulagram", "av fistulagram", "shuntogram", "graftogram"]),
  procedure("dialysis_pta", "Dialysis access angioplasty or stent", "dialysis_access_intervention", 2, false, ["fistuloplasty", "fistula angioplasty", "fistula pta", "graft angioplasty", "dialysis angioplasty", "dialysis access angioplasty", "dialysis intervention", "dialysis access intervention", "fistula stent", "dialysis stent graft"]),
  procedure("dialysis_declot", "Dialysis access declot (thrombectomy)", "dialysis_access_intervention", 3, false, ["declot", "dialysis declot", "fistula declot", "graft declot", "dialysis thrombectomy", "fistula thrombectomy", "graft thrombectomy"]),

  // Thrombolysis or Thrombectomy (Arterial or Venous)
  procedure("dvt_thrombectomy", "DVT thrombectomy", "thrombolysis_thrombectomy", 2, false, ["dvt thrombectomy", "venous thrombectomy", "mechanical thrombectomy dvt", "iliofemoral thrombectomy"]),
  procedure("pe_thrombectomy", "PE thrombectomy", "thrombolysis_thrombectomy", 3, false, ["pe thrombectomy", "pulmonary embolectomy", "pulmonary thrombectomy"]),
  procedure("arterial_thrombectomy", "Arterial thrombectomy", "thrombolysis_thrombectomy", 3, false, ["arterial thrombectomy", "ali thrombectomy", "limb ischemia thrombectomy", "mesenteric thrombectomy"]),
  procedure("thrombolysis", "Catheter-directed thrombolysis", "thrombolysis_thrombectomy", 1, false, ["thrombolysis", "cdt", "catheter-directed thrombolysis", "catheter directed thrombolysis", "lysis", "tpa infusion", "lysis check"]),

  // TIPS or TIPS Revision
  procedure("tips", "TIPS creation", "tips", 2, false, ["tips", "tips creation", "transjugular intrahepatic portosystemic shunt", "dips"]),
  procedure("tips_revision", "TIPS revision", "tips", 1, false, ["tips revision", "tips reduction", "tips venogram and revision"]),

  // Primary GI Intervention (PTBD, Cholecystostomy, Gastrostomy)
  procedure("ptbd", "Percutaneous transhepatic biliary drain (PTBD)", "primary_gi_intervention", 3, false, ["ptbd", "biliary drain", "transhepatic biliary drain", "percutaneous biliary drain", "ptc and drain"]),
  procedure("cholecystostomy", "Cholecystostomy", "primary_gi_intervention", 2, true, ["cholecystostomy", "perc chole", "chole tube", "cholecystostomy tube", "gallbladder drain"]),
  procedure("gastrostomy", "Gastrostomy tube placement", "primary_gi_intervention", 1, true, ["g-tube", "g tube", "gtube", "gastrostomy", "peg", "pig", "gastrostomy tube"]),
  procedure("gastrojejunostomy", "Gastrojejunostomy (GJ) tube placement", "primary_gi_intervention", 2, true, ["gj", "gj tube", "gj-tube", "g-j tube", "gastrojejunostomy", "gastrojejunostomy tube"]),
  procedure("cecostomy", "Cecostomy tube placement", "primary_gi_intervention", 2, true, ["cecostomy", "cecostomy tube"]),

  // Primary Nephrostomy
  procedure("nephrostomy", "Percutaneous nephrostomy (PCN)", "primary_nephrostomy", 1, true, ["nephrostomy", "pcn", "perc neph", "nephrostomy tube", "neph tube", "pcnl access"]),
  procedure("nephroureteral_stent", "Nephroureteral stent (primary)", "primary_nephrostomy", 2, false, ["nephroureteral stent", "nus", "nu stent", "nephroureteral", "antegrade ureteral stent"]),

  // Tumor Ablation
  procedure("rfa", "Radiofrequency ablation (RFA)", "tumor_ablation", 2, false, ["rfa", "radiofrequency ablation"]),
  procedure("mwa", "Microwave ablation (MWA)", "tumor_ablation", 2, false, ["mwa", "microwave ablation"]),
  procedure("cryoablation", "Cryoablation", "tumor_ablation", 2, false, ["cryoablation", "cryo", "cryo ablation"]),
  procedure("ire", "Irreversible electroporation (IRE)", "tumor_ablation", 3, false, ["ire", "irreversible electroporation", "histotripsy"]),

  // New Outpatient Clinic Evaluation
  procedure("clinic", "New outpatient clinic evaluation", "new_outpatient_clinic", 1, false, ["clinic", "new patient", "new clinic", "clinic visit", "new outpatient", "outpatient consult", "clinic evaluation"]),

  // No ACGME category: each still counts as a patient procedural encounter.
  procedure("picc", "PICC placement", null, 1, true, ["picc", "picc line", "picc placement"]),
  procedure("tunneled_line", "Tunneled central venous catheter", null, 2, true, ["tunneled line", "tunneled catheter", "tunneled cvc", "tunneled hd catheter", "tunneled dialysis catheter", "tdc", "hickman", "permcath", "tunneled hemodialysis catheter", "tunneled hd cath", "tunneled cath", "hd cath", "tunneled dialysis cath", "tunneled hd line"]),
  procedure("non_tunneled_line", "Non-tunneled central venous catheter", null, 1, true, ["non-tunneled line", "nontunneled line", "non tunneled line", "central line", "cvc", "non-tunneled catheter", "temporary dialysis catheter", "quinton", "trialysis"]),
  procedure("port_removal", "Port removal", null, 1, true, ["port removal", "port explant", "port removed"]),
  procedure("line_removal", "Tunneled catheter removal", null, 1, true, ["line removal", "catheter removal", "tunneled line removal"]),
  procedure("tube_exchange", "Drain or tube exchange, check or removal", null, 1, true, ["tube exchange", "drain exchange", "g-tube exchange", "g tube exchange", "nephrostomy exchange", "pcn exchange", "biliary exchange", "biliary drain exchange", "gj exchange", "exchange", "tube check", "drain check", "drain study", "sinogram", "abscessogram"]),
  procedure("abscess_drain", "Abscess or fluid collection drainage", null, 2, true, ["abscess drain", "abscess drainage", "drain placement", "fluid collection drainage", "collection drain", "percutaneous drain", "pigtail drain", "abscess"]),
  procedure("paracentesis", "Paracentesis", null, 1, true, ["paracentesis", "para", "large volume paracentesis", "lvp"]),
  procedure("thoracentesis", "Thoracentesis", null, 1, true, ["thoracentesis", "thora", "pleural tap"]),
  procedure("chest_tube", "Chest tube placement", null, 2, true, ["chest tube", "pleural drain", "thoracostomy"]),
  procedure("tunneled_pleural_catheter", "Tunneled pleural or peritoneal catheter", null, 2, true, ["pleurx", "tunneled pleural catheter", "tunneled peritoneal catheter", "aspira", "indwelling pleural catheter"]),
  procedure("liver_biopsy", "Liver biopsy", null, 1, true, ["liver biopsy", "liver bx", "random liver biopsy", "liver mass biopsy", "liver mass bx", "liver lesion biopsy", "liver lesion bx"]),
  procedure("transjugular_liver_biopsy", "Transjugular liver biopsy", null, 2, false, ["transjugular liver biopsy", "tjlb", "tj liver biopsy", "transjugular biopsy"]),
  procedure("renal_biopsy", "Renal biopsy", null, 1, true, ["renal biopsy", "kidney biopsy", "renal bx", "kidney bx", "transplant kidney biopsy"]),
  procedure("lung_biopsy", "Lung biopsy", null, 2, true, ["lung biopsy", "lung bx", "ct lung biopsy", "pulmonary nodule biopsy"]),
  procedure("bone_biopsy", "Bone biopsy", null, 2, true, ["bone biopsy", "bone bx", "bone marrow biopsy", "marrow biopsy"]),
  procedure("thyroid_biopsy", "Thyroid FNA or biopsy", null, 1, true, ["thyroid fna", "thyroid biopsy", "thyroid bx"]),
  procedure("lymph_node_biopsy", "Lymph node biopsy", null, 1, true, ["lymph node biopsy", "node biopsy", "ln biopsy", "lymph node bx"]),
  procedure("soft_tissue_biopsy", "Biopsy (other or unspecified site)", null, 1, true, ["soft tissue biopsy", "mass biopsy", "biopsy", "bx", "core biopsy", "fna"]),
  procedure("breast_biopsy", "Breast biopsy", null, 1, true, ["breast biopsy", "stereotactic biopsy", "us breast biopsy", "mri breast biopsy", "breast bx"]),
  procedure("lumbar_puncture", "Lumbar puncture", null, 1, true, ["lumbar puncture", "lp", "fluoro lp"]),
  procedure("myelogram", "Myelogram", null, 1, true, ["myelogram", "ct myelogram"]),
  procedure("arthrogram", "Arthrogram or joint injection", null, 1, true, ["arthrogram", "joint injection", "joint aspiration", "arthrocentesis"]),
  procedure("vertebral_augmentation", "Vertebroplasty or kyphoplasty", null, 2, false, ["vertebroplasty", "kyphoplasty", "vertebral augmentation"]),
  procedure("diagnostic_angiogram", "Diagnostic catheter angiogram", null, 1, false, ["angiogram", "angiography", "arteriogram", "diagnostic angiogram", "catheter angiogram", "cerebral angiogram", "mesenteric angiogram", "runoff angiogram", "diagnostic angiography"]),
  procedure("venogram", "Catheter venogram", null, 1, true, ["venogram", "venography", "catheter venogram", "tips venogram", "tips check", "tips evaluation"]),
  procedure("venous_sampling", "Venous sampling", null, 2, false, ["venous sampling", "adrenal vein sampling", "avs", "petrosal sinus sampling", "ipss"]),
  procedure("sclerotherapy", "Sclerotherapy", null, 1, true, ["sclerotherapy", "lymphocele sclerosis", "cyst sclerosis"]),
  procedure("endovenous_ablation", "Endovenous ablation", null, 1, true, ["endovenous ablation", "evla", "vein ablation", "saphenous ablation", "varicose vein ablation"]),
  procedure("foreign_body_retrieval", "Intravascular foreign body retrieval", null, 2, false, ["foreign body retrieval", "snare retrieval"]),
  procedure("lymphangiogram", "Lymphangiogram", null, 2, false, ["lymphangiogram", "lymphangiography"]),
  procedure("nerve_block", "Nerve block or neurolysis", null, 1, true, ["nerve block", "celiac plexus block", "celiac block", "neurolysis", "epidural steroid injection", "esi"]),
];

export const DIAGNOSTIC_VASCULAR_STUDIES: readonly DiagnosticVascularStudy[] = [
  { id: "cta", name: "CT angiography (CTA)", countUnder: "cta_mra", synonyms: ["cta", "ct angiogram", "ct angiography", "ct angio", "cta chest", "cta runoff"] },
  { id: "mra", name: "MR angiography (MRA)", countUnder: "cta_mra", synonyms: ["mra", "mr angiogram", "mr angiography", "mrv", "mr venogram"] },
  { id: "ctv", name: "CT venography", countUnder: "cta_mra", synonyms: ["ctv", "ct venogram", "ct venography"] },
  { id: "vascular_ultrasound", name: "Vascular ultrasound (duplex or Doppler)", countUnder: null, synonyms: ["duplex", "doppler", "venous duplex", "arterial duplex", "carotid duplex", "carotid ultrasound", "dvt ultrasound", "dvt study", "venous doppler", "vascular ultrasound", "abi", "ankle brachial index"] },
];

/** Words that can mean more than one catalogue procedure: the resident must choose. */
export const AMBIGUOUS_TERMS: Readonly<Record<string, readonly string[]>> = {
  line: ["picc", "tunneled_line", "non_tunneled_line"],
  drain: ["abscess_drain", "ptbd", "cholecystostomy", "nephrostomy", "chest_tube"],
  stent: ["arterial_stent", "venous_stent", "nephroureteral_stent", "dialysis_pta"],
  angioplasty: ["arterial_pta", "venous_pta", "dialysis_pta"],
  pta: ["arterial_pta", "venous_pta", "dialysis_pta"],
  thrombectomy: ["dvt_thrombectomy", "pe_thrombectomy", "arterial_thrombectomy", "dialysis_declot"],
  ablation: ["rfa", "mwa", "cryoablation", "endovenous_ablation"],
  filter: ["ivc_filter_placement", "ivc_filter_retrieval"],
  tube: ["gastrostomy", "gastrojejunostomy", "nephrostomy", "chest_tube", "tube_exchange"],
  catheter: ["picc", "tunneled_line", "non_tunneled_line"],
};

const procedureById = new Map(PROCEDURES.map((entry) => [entry.id, entry]));

export function findProcedure(id: string): Procedure | undefined {
  return procedureById.get(id);
}

export function getProcedure(id: string): Procedure {
  const entry = procedureById.get(id);
  if (!entry) throw new Error(`Unknown procedure id: ${id}`);
  return entry;
}
