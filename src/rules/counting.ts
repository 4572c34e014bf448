import { z } from "zod";
import { academicYearOf, addDays, isIsoDate, pgyOn } from "./academic-year.js";
import { DIAGNOSTIC_VASCULAR_STUDIES, findProcedure, type Procedure } from "./catalogue.js";
import { findPatientIdentifier, patientIdentifierMessage } from "./privacy.js";
import {
  DR_CATEGORIES,
  ENCOUNTER_TARGETS,
  IR_CATEGORIES,
  drCategory,
  type DrCategoryId,
  type IrCategoryId,
} from "./taxonomy.js";

/**
 * The ACGME counting rules for patient procedural encounters ("Guidelines for Counting Patient
 * Procedural Encounters") and for who enters what ("Diagnostic radiology ... and integrated
 * interventional radiology programs enter ... diagnostic imaging exams (aggregate)").
 * Every entry path (Slack text, the modal, CSV import) goes through these functions.
 */

export const TRACKS = ["dr", "esir", "ir_integrated", "ir_independent"] as const;
export type Track = (typeof TRACKS)[number];

export const TRACK_NAMES: Record<Track, string> = {
  dr: "Diagnostic radiology",
  esir: "Diagnostic radiology with ESIR",
  ir_integrated: "Integrated interventional radiology",
  ir_independent: "Independent interventional radiology",
};

export const OPERATOR_ROLES = ["first_operator", "supervising_senior", "assistant"] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

export const OPERATOR_ROLE_NAMES: Record<OperatorRole, string> = {
  first_operator: "First operator",
  supervising_senior: "Senior resident supervising a junior",
  assistant: "Assistant (not first operator)",
};

export const MAX_NOTES_LENGTH = 500;
export const MAX_RESIDENTS_PER_PROCEDURE = 2;
// Five digits at most: the patient-identifier guard reads six or more digits as a record number,
// and no residency's yearly count of one category comes near 100,000.
export const MAX_DR_COUNT = 99_999;

export interface ResidentProfile {
  track: Track;
  pgy: number;
  residencyStart: string;
  esirStart?: string | null;
  esirEnd?: string | null;
}

export type ViolationField = "procedures" | "date" | "role" | "notes" | "co_credit" | "dr_count" | "track";

export interface RuleViolation {
  code: string;
  field: ViolationField;
  message: string;
}

export interface EncounterDraft {
  performedOn: string;
  procedureIds: readonly string[];
  /** Ids of non-catheter vascular studies the resident named, rejected by counting rule 4. */
  diagnosticVascularIds?: readonly string[];
  role: OperatorRole;
  supervisorSlackId?: string | null;
  notes?: string | null;
}

export interface NotCounted {
  procedure: Procedure;
  keptInstead: Procedure;
}

export interface CheckedEncounter {
  performedOn: string;
  academicYear: number;
  pgy: number;
  kind: "procedure" | "clinic";
  role: OperatorRole;
  /** The procedures to store: one per category, the most complex one. */
  procedures: Procedure[];
  /** Procedures left out because a more complex one of the same category was entered. */
  notCounted: NotCounted[];
  supervisorSlackId: string | null;
  notes: string | null;
}

export type CheckResult<T> = { ok: true; value: T } | { ok: false; violations: RuleViolation[] };

function violation(code: string, field: ViolationField, message: string): RuleViolation {
  return { code, field, message };
}

/** Checks a date of service: a real calendar date, not in the future, not before residency. */
export function checkServiceDate(performedOn: string, resident: ResidentProfile, today: string): RuleViolation | null {
  if (!isIsoDate(performedOn)) {
    return violation("invalid_date", "date", `"${performedOn}" is not a valid date. Write it as YYYY-MM-DD or words like "yesterday".`);
  }
  if (performedOn > today) {
    return violation(
      "future_date",
      "date",
      `The date ${performedOn} is in the future (today is ${today} in your time zone). Log a case on or after the day it happened.`,
    );
  }
  if (performedOn < resident.residencyStart) {
    return violation(
      "before_residency",
      "date",
      `The date ${performedOn} is before your residency start (${resident.residencyStart}). Check the date, or ask your program director to correct your residency start.`,
    );
  }
  return null;
}

/** Checks free-text notes: length and the patient-identifier guard. */
export function checkNotes(notes: string | null | undefined): RuleViolation | null {
  if (!notes) return null;
  if (notes.length > MAX_NOTES_LENGTH) {
    return violation("notes_too_long", "notes", `Notes are limited to ${MAX_NOTES_LENGTH} characters (yours has ${notes.length}). Shorten them.`);
  }
  const finding = findPatientIdentifier(notes);
  if (finding) return violation("patient_identifier", "notes", patientIdentifierMessage(finding, "The notes"));
  return null;
}

/**
 * Counting rule 3: disparate procedures in one encounter are each entered, but within one
 * category only the most complex procedure is entered. Procedures without a category are kept
 * once each.
 */
export function selectCreditedProcedures(procedures: readonly Procedure[]): { credited: Procedure[]; notCounted: NotCounted[] } {
  const bestByGroup = new Map<string, Procedure>();
  for (const entry of procedures) {
    const group = entry.category ?? `procedure:${entry.id}`;
    const best = bestByGroup.get(group);
    if (!best || entry.complexity > best.complexity) bestByGroup.set(group, entry);
  }

  const credited = [...bestByGroup.values()];
  const notCounted: NotCounted[] = [];
  const seen = new Set<string>();
  for (const entry of procedures) {
    const kept = bestByGroup.get(entry.category ?? `procedure:${entry.id}`)!;
    if (kept.id !== entry.id && !seen.has(entry.id)) notCounted.push({ procedure: entry, keptInstead: kept });
    seen.add(entry.id);
  }
  return { credited, notCounted };
}

/** Applies every ACGME counting rule to one encounter a resident wants to log. */
export function checkEncounter(draft: EncounterDraft, resident: ResidentProfile, today: string): CheckResult<CheckedEncounter> {
  const violations: RuleViolation[] = [];

  const dateProblem = checkServiceDate(draft.performedOn, resident, today);
  if (dateProblem) violations.push(dateProblem);

  const notesProblem = checkNotes(draft.notes);
  if (notesProblem) violations.push(notesProblem);

  // Rule 1: only the first operator counts the encounter. The senior/junior exception is
  // recorded on the junior's encounter as a co-credit, not as an entry of the senior's own.
  if (draft.role === "assistant") {
    violations.push(
      violation(
        "not_first_operator",
        "role",
        "Only the first operator may count a procedure in the ACGME case log. If you supervised a junior resident on a minor procedure, ask them to log it and name you as co-credited.",
      ),
    );
  } else if (draft.role === "supervising_senior") {
    violations.push(
      violation(
        "senior_logs_own_entry",
        "role",
        "A supervising senior is credited through the junior resident's entry: the junior logs the procedure and names you with \"with @you\".",
      ),
    );
  }

  // Rule 4: non-catheter (diagnostic) vascular imaging is not an IR procedure.
  for (const id of draft.diagnosticVascularIds ?? []) {
    const study = DIAGNOSTIC_VASCULAR_STUDIES.find((entry) => entry.id === id);
    if (!study) {
      // Skipping an unknown id would let a draft with no procedures pass as a valid encounter.
      violations.push(violation("unknown_procedure", "procedures", `"${id}" is not a vascular imaging study in the Caselog catalogue. Name the procedure you performed instead.`));
      continue;
    }
    const where = study.countUnder
      ? `Count it in the diagnostic imaging category ${drCategory(study.countUnder).name} instead (for example "dr ${study.countUnder === "cta_mra" ? "cta" : study.countUnder} 1").`
      : "It belongs to the diagnostic imaging experience, not to the procedure log.";
    violations.push(
      violation(
        "diagnostic_vascular_imaging",
        "procedures",
        `${study.name} is non-catheter (diagnostic) vascular imaging, which does not count as an IR patient procedural encounter. ${where}`,
      ),
    );
  }

  const procedures: Procedure[] = [];
  for (const id of draft.procedureIds) {
    const entry = findProcedure(id);
    if (!entry) {
      violations.push(violation("unknown_procedure", "procedures", `"${id}" is not a procedure in the Caselog catalogue. Pick one from the list, or type "/caselog help" to see examples.`));
      continue;
    }
    if (!procedures.some((known) => known.id === entry.id)) procedures.push(entry);
  }

  if (procedures.length === 0 && (draft.diagnosticVascularIds ?? []).length === 0 && !violations.some((found) => found.field === "procedures")) {
    violations.push(violation("no_procedure", "procedures", "No procedure was given. Name at least one procedure, or \"clinic\" for a new outpatient evaluation."));
  }

  const clinic = procedures.filter((entry) => entry.category === "new_outpatient_clinic");
  if (clinic.length > 0 && procedures.length > clinic.length) {
    violations.push(
      violation(
        "clinic_with_procedure",
        "procedures",
        "A new outpatient clinic evaluation is its own encounter. Log the clinic visit and the procedure as two entries.",
      ),
    );
  }

  const pgy = isIsoDate(draft.performedOn) ? pgyOn(draft.performedOn, resident.pgy, today) : resident.pgy;
  if (!dateProblem && pgy < 1) {
    violations.push(
      violation(
        "before_pgy1",
        "date",
        `On ${draft.performedOn} you were not yet PGY-1 by your registration (PGY-${resident.pgy} today). Check the date, or ask your program director to correct your PGY.`,
      ),
    );
  }

  if (violations.length > 0) return { ok: false, violations };

  const { credited, notCounted } = selectCreditedProcedures(procedures);
  return {
    ok: true,
    value: {
      performedOn: draft.performedOn,
      academicYear: academicYearOf(draft.performedOn),
      pgy,
      kind: clinic.length > 0 ? "clinic" : "procedure",
      role: draft.role,
      procedures: credited,
      notCounted,
      supervisorSlackId: draft.supervisorSlackId ?? null,
      notes: draft.notes?.trim() ? draft.notes.trim() : null,
    },
  };
}

export interface CoCreditCheck {
  procedures: readonly Procedure[];
  firstOperatorPgy: number;
  coCreditedPgy: number;
  /** Residents already credited for this encounter, the first operator included. */
  residentsCredited: number;
  sameResident: boolean;
}

/**
 * Counting rules 1 and 2: a senior resident may share credit only for a minor procedure the
 * junior performed while the senior supervised, and no more than two residents are credited.
 */
export function checkCoCredit(check: CoCreditCheck): RuleViolation | null {
  if (check.sameResident) {
    return violation("co_credit_self", "co_credit", "You named yourself as the co-credited resident. Name the senior resident who supervised you.");
  }
  if (check.residentsCredited >= MAX_RESIDENTS_PER_PROCEDURE) {
    return violation(
      "third_resident",
      "co_credit",
      `No more than ${MAX_RESIDENTS_PER_PROCEDURE} residents can take credit for the same procedure, and this encounter already has ${check.residentsCredited}.`,
    );
  }
  const major = check.procedures.filter((entry) => !entry.minor);
  if (major.length > 0) {
    return violation(
      "co_credit_major",
      "co_credit",
      `Co-credit is allowed only for minor procedures, and ${major.map((entry) => entry.name).join(", ")} ${major.length === 1 ? "is" : "are"} not minor. Only the first operator counts it.`,
    );
  }
  if (check.coCreditedPgy === check.firstOperatorPgy) {
    return violation(
      "co_credit_same_level",
      "co_credit",
      `Both residents are PGY-${check.firstOperatorPgy}. Co-credit needs a senior supervising a junior, so only the first operator counts this procedure.`,
    );
  }
  if (check.coCreditedPgy < check.firstOperatorPgy) {
    return violation(
      "co_credit_junior_named",
      "co_credit",
      `The resident you named is PGY-${check.coCreditedPgy}, junior to you (PGY-${check.firstOperatorPgy}). The junior who performed the procedure logs it and names the supervising senior.`,
    );
  }
  return null;
}

/** Who enters what: independent IR residents enter no diagnostic imaging aggregate counts. */
export function checkDrCountAllowed(track: Track): RuleViolation | null {
  if (track !== "ir_independent") return null;
  return violation(
    "dr_counts_not_for_track",
    "track",
    "Independent interventional radiology residents enter procedural and clinic encounters only; diagnostic imaging counts are entered by DR, ESIR and integrated IR residents.",
  );
}

export const drCountSchema = z.number().int().min(0).max(MAX_DR_COUNT);

/** Checks the academic year a DR count is for: not one that has not started, not before residency. */
export function checkDrCountYear(dateInYear: string, resident: ResidentProfile, today: string): RuleViolation | null {
  if (academicYearOf(dateInYear) > academicYearOf(today)) {
    return violation("future_date", "date", `The academic year of ${dateInYear} has not started yet. Give a date in the academic year the count covers, or none for this year.`);
  }
  if (academicYearOf(dateInYear) < academicYearOf(resident.residencyStart)) {
    return violation(
      "before_residency",
      "date",
      `The academic year of ${dateInYear} ended before your residency start (${resident.residencyStart}). Check the date, or ask your program director to correct your residency start.`,
    );
  }
  return null;
}

export function checkDrCount(count: number, track: Track): RuleViolation | null {
  const trackProblem = checkDrCountAllowed(track);
  if (trackProblem) return trackProblem;
  if (!drCountSchema.safeParse(count).success) {
    return violation("invalid_dr_count", "dr_count", `A diagnostic imaging count must be a whole number from 0 to ${MAX_DR_COUNT}; got ${count}.`);
  }
  return null;
}

/** Encounters required for the track, or null where the ACGME sets no encounter total. */
export function encounterTarget(track: Track): number | null {
  if (track === "ir_integrated" || track === "ir_independent") return ENCOUNTER_TARGETS.ir_residency;
  if (track === "esir") return ENCOUNTER_TARGETS.esir;
  return null;
}

/** The date range whose encounters count toward the ESIR 500: the ESIR dates when set. */
export function esirWindow(resident: ResidentProfile): { from: string; until: string | null } {
  return {
    from: resident.esirStart ?? resident.residencyStart,
    until: resident.esirEnd ? addDays(resident.esirEnd, 1) : null,
  };
}

export interface ProgressInput {
  track: Track;
  /** Credited encounters toward the track's total (ESIR: inside the ESIR window). */
  encountersTowardTarget: number;
  encountersAll: number;
  irCounts: Partial<Record<IrCategoryId, number>>;
  drCounts: Partial<Record<DrCategoryId, number>>;
}

export interface CategoryProgress {
  id: string;
  name: string;
  count: number;
  minimum: number | null;
}

export interface Progress {
  track: Track;
  showsDrCategories: boolean;
  dr: CategoryProgress[];
  ir: (CategoryProgress & { group: string })[];
  encounters: { count: number; target: number | null; all: number };
}

export function buildProgress(input: ProgressInput): Progress {
  return {
    track: input.track,
    showsDrCategories: input.track !== "ir_independent",
    dr: DR_CATEGORIES.map((category) => ({
      id: category.id,
      name: category.name,
      count: input.drCounts[category.id] ?? 0,
      minimum: category.minimum,
    })),
    ir: IR_CATEGORIES.map((category) => ({
      id: category.id,
      name: category.name,
      group: category.group,
      count: input.irCounts[category.id] ?? 0,
      minimum: null,
    })),
    encounters: { count: input.encountersTowardTarget, target: encounterTarget(input.track), all: input.encountersAll },
  };
}
