import { getProcedure } from "../rules/catalogue.js";
import { OPERATOR_ROLE_NAMES, type OperatorRole } from "../rules/counting.js";
import { IR_CATEGORY_IDS, irCategory, isIrCategoryId } from "../rules/taxonomy.js";

/**
 * One row of a resident's detailed encounter log, in the shape that the CSV export, the PDF
 * tables and the ACGME worklist share. Built from stored rows by `toLogEntry`.
 */
export interface LogEntry {
  encounterId: number;
  residentSlackId: string;
  residentName: string;
  performedOn: string;
  academicYear: number;
  pgy: number | null;
  kind: string;
  role: string;
  roleName: string;
  procedureIds: string[];
  procedureNames: string[];
  categoryIds: string[];
  categoryNames: string[];
  supervisorSlackId: string | null;
  verification: string;
  credited: boolean;
  enteredInAcgme: boolean;
  locked: boolean;
  source: string;
  notes: string | null;
}

/**
 * Verification states whose encounters count toward totals. "not_required" is the state of
 * every entry in a program that does not require attending verification.
 */
export const CREDITED_STATES: readonly string[] = ["not_required", "verified"];

/** Verification states still waiting for an attending's decision. */
export const PENDING_STATES: readonly string[] = ["pending", "needs_info"];

export interface StoredEncounter {
  id: number;
  performedOn: string;
  academicYear: number;
  pgy: number | null;
  kind: string;
  role: string;
  supervisorSlackId: string | null;
  verification: string;
  enteredInAcgme: boolean;
  lockedByVerificationId: number | null;
  source: string;
  notes: string | null;
  procedures: { procedureId: string; category: string | null }[];
  resident: { slackUserId: string; displayName: string | null };
}

export function personName(person: { slackUserId: string; displayName: string | null }): string {
  return person.displayName?.trim() ? person.displayName.trim() : person.slackUserId;
}

function categoryRank(category: string | null): number {
  const index = category && isIrCategoryId(category) ? IR_CATEGORY_IDS.indexOf(category) : -1;
  return index === -1 ? IR_CATEGORY_IDS.length : index;
}

export function toLogEntry(encounter: StoredEncounter): LogEntry {
  const procedures = [...encounter.procedures].sort((left, right) => categoryRank(left.category) - categoryRank(right.category));
  const categoryIds = [...new Set(procedures.map((entry) => entry.category).filter((id): id is string => id !== null))];

  return {
    encounterId: encounter.id,
    residentSlackId: encounter.resident.slackUserId,
    residentName: personName(encounter.resident),
    performedOn: encounter.performedOn,
    academicYear: encounter.academicYear,
    pgy: encounter.pgy,
    kind: encounter.kind,
    role: encounter.role,
    roleName: OPERATOR_ROLE_NAMES[encounter.role as OperatorRole] ?? encounter.role,
    procedureIds: procedures.map((entry) => entry.procedureId),
    procedureNames: procedures.map((entry) => getProcedure(entry.procedureId).name),
    categoryIds,
    categoryNames: categoryIds.map((id) => (isIrCategoryId(id) ? irCategory(id).name : id)),
    supervisorSlackId: encounter.supervisorSlackId,
    verification: encounter.verification,
    credited: CREDITED_STATES.includes(encounter.verification),
    enteredInAcgme: encounter.enteredInAcgme,
    locked: encounter.lockedByVerificationId !== null,
    source: encounter.source,
    notes: encounter.notes,
  };
}

/** Sorts entries in ACGME category order (Table 2 as the ESIR form lists it), then by date. */
export function sortByAcgmeCategory(entries: readonly LogEntry[]): LogEntry[] {
  const rank = (entry: LogEntry) => Math.min(...entry.categoryIds.map(categoryRank), IR_CATEGORY_IDS.length);
  return [...entries].sort(
    (left, right) => rank(left) - rank(right) || left.performedOn.localeCompare(right.performedOn) || left.encounterId - right.encounterId,
  );
}
