import { Prisma, type Encounter, type EncounterProcedure, type Person } from "../generated/prisma/client.js";
import { getProcedure } from "../rules/catalogue.js";
import { checkEncounter, type CheckedEncounter, type EncounterDraft } from "../rules/counting.js";
import { writeAudit } from "./audit.js";
import type { ServiceContext } from "./context.js";
import { NotAllowedError, NotFoundError, RuleViolationError, StaleError } from "./errors.js";
import { residentProfile } from "./people.js";
import { assertDateUnsigned, assertEncounterUnlocked } from "./esir.js";
import { createPendingCoCredit, notifyCoCredit, reopenCoCreditAfterEdit } from "./co-credit.js";
import { initialVerificationFor, verificationAfterEdit } from "./verification.js";

export type EncounterWithProcedures = Encounter & { procedures: EncounterProcedure[] };

export type EntrySource = "slash" | "modal" | "button" | "import";

export interface LogEncounterInput {
  resident: Person;
  draft: EncounterDraft;
  source: EntrySource;
  /** Identifies the Slack request, so a retry or a double click stores nothing new. */
  sourceKey: string;
  actorSlackId: string;
  today: string;
  /** The senior resident to co-credit, already checked with checkCoCreditRequest. */
  coCreditSeniorId?: number;
}

export interface LogEncounterResult {
  encounter: EncounterWithProcedures;
  checked: CheckedEncounter;
  /** False when the same request had already stored this encounter. */
  created: boolean;
}

export function encounterSnapshot(encounter: EncounterWithProcedures) {
  return {
    residentId: encounter.residentId,
    performedOn: encounter.performedOn,
    kind: encounter.kind,
    role: encounter.role,
    supervisorSlackId: encounter.supervisorSlackId,
    notes: encounter.notes,
    procedures: encounter.procedures.map((entry) => entry.procedureId),
    enteredInAcgme: encounter.enteredInAcgme,
  };
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** Returns the encounter columns a checked entry sets, on create and on edit alike. */
function encounterFields(checked: CheckedEncounter) {
  return {
    performedOn: checked.performedOn,
    academicYear: checked.academicYear,
    pgy: checked.pgy,
    kind: checked.kind,
    role: checked.role,
    supervisorSlackId: checked.supervisorSlackId,
    notes: checked.notes,
  };
}

function procedureRows(checked: CheckedEncounter) {
  return checked.procedures.map((entry) => ({ procedureId: entry.id, category: entry.category, complexity: entry.complexity }));
}

/** Checks an encounter against the ACGME rules and stores it with its audit row, once. */
export async function logEncounter(ctx: ServiceContext, input: LogEncounterInput): Promise<LogEncounterResult> {
  const result = checkEncounter(input.draft, residentProfile(input.resident), input.today);
  if (!result.ok) throw new RuleViolationError(result.violations);
  const checked = result.value;

  const existing = await ctx.db.encounter.findUnique({ where: { sourceKey: input.sourceKey }, include: { procedures: true } });
  if (existing) return { encounter: existing, checked, created: false };
  await assertDateUnsigned(ctx, input.resident.id, checked.performedOn);

  try {
    const encounter = await ctx.db.$transaction(async (tx) => {
      const created = await tx.encounter.create({
        data: {
          residentId: input.resident.id,
          ...encounterFields(checked),
          source: input.source,
          sourceKey: input.sourceKey,
          verification: await initialVerificationFor(tx, input.resident),
          procedures: { create: procedureRows(checked) },
        },
        include: { procedures: true },
      });
      if (input.coCreditSeniorId !== undefined) await createPendingCoCredit(tx, created.id, input.coCreditSeniorId);
      await writeAudit(tx, { actorSlackId: input.actorSlackId, action: "create", entity: "encounter", entityId: created.id, after: encounterSnapshot(created) });
      return created;
    });
    ctx.logger.info({ encounterId: encounter.id, residentId: input.resident.id, source: input.source }, "encounter logged");
    if (input.coCreditSeniorId !== undefined) await notifyCoCredit(ctx, { type: "requested", encounterId: encounter.id });
    return { encounter, checked, created: true };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;

    // A concurrent copy of the same Slack request won the race: return what it stored.
    const stored = await ctx.db.encounter.findUnique({ where: { sourceKey: input.sourceKey }, include: { procedures: true } });
    if (!stored) throw error;
    ctx.logger.info({ encounterId: stored.id, source: input.source }, "duplicate request ignored");
    return { encounter: stored, checked, created: false };
  }
}

async function ownEncounter(ctx: ServiceContext, actor: Person, encounterId: number): Promise<EncounterWithProcedures> {
  const encounter = await ctx.db.encounter.findUnique({ where: { id: encounterId }, include: { procedures: true } });
  if (!encounter) throw new NotFoundError("That entry no longer exists: it was already undone or deleted.");
  if (encounter.residentId !== actor.id) throw new NotAllowedError("You can change only your own entries.");
  return encounter;
}

export async function getOwnEncounter(ctx: ServiceContext, actor: Person, encounterId: number): Promise<EncounterWithProcedures> {
  return ownEncounter(ctx, actor, encounterId);
}

/** Deletes a resident's own encounter and records the deleted values in the audit trail. */
export async function deleteEncounter(ctx: ServiceContext, actor: Person, encounterId: number): Promise<EncounterWithProcedures> {
  const encounter = await ownEncounter(ctx, actor, encounterId);
  assertEncounterUnlocked(encounter);
  const coCredit = await ctx.db.coCredit.findUnique({ where: { encounterId }, include: { senior: true } });

  const deleted = await ctx.db.$transaction(async (tx) => {
    const removed = await tx.encounter.deleteMany({ where: { id: encounter.id, version: encounter.version } });
    if (removed.count === 0) throw new NotFoundError("That entry changed or was removed a moment ago. Nothing was undone.");
    await writeAudit(tx, { actorSlackId: actor.slackUserId, action: "delete", entity: "encounter", entityId: encounter.id, before: encounterSnapshot(encounter) });
    return encounter;
  });
  ctx.logger.info({ encounterId, residentId: actor.id }, "encounter deleted");

  // The co-credit row goes with the encounter, so the senior and the attending are told.
  if (coCredit && coCredit.status !== "cancelled") {
    await notifyCoCredit(ctx, {
      type: "entry_deleted",
      encounterId,
      juniorSlackId: actor.slackUserId,
      seniorSlackId: coCredit.senior.slackUserId,
      attendingSlackId: encounter.supervisorSlackId,
      procedures: encounter.procedures.map((entry) => entry.procedureId),
      performedOn: encounter.performedOn,
      status: coCredit.status,
    });
  }
  return deleted;
}

export interface UpdateEncounterInput {
  actor: Person;
  encounterId: number;
  draft: EncounterDraft;
  today: string;
  /** The encounter's version when the edit form was opened. */
  expectedVersion: number;
}

/** Replaces an encounter's fields after checking the rules, refusing a stale edit form. */
export async function updateEncounter(ctx: ServiceContext, input: UpdateEncounterInput): Promise<LogEncounterResult> {
  const result = checkEncounter(input.draft, residentProfile(input.actor), input.today);
  if (!result.ok) throw new RuleViolationError(result.violations);
  const checked = result.value;

  const before = await ownEncounter(ctx, input.actor, input.encounterId);
  assertEncounterUnlocked(before);
  if (checked.performedOn !== before.performedOn) await assertDateUnsigned(ctx, input.actor.id, checked.performedOn);
  if (before.version !== input.expectedVersion) {
    throw new StaleError("This entry changed after the form was opened, so your edit was not saved. Open Edit again.");
  }

  let coCreditChange: Awaited<ReturnType<typeof reopenCoCreditAfterEdit>> = "none";
  const encounter = await ctx.db.$transaction(async (tx) => {
    const claimed = await tx.encounter.updateMany({
      where: { id: before.id, version: before.version },
      data: {
        version: { increment: 1 },
        ...encounterFields(checked),
        // The ACGME system still has the old values, so the entry goes back on the worklist.
        enteredInAcgme: false,
        enteredInAcgmeAt: null,
        ...verificationAfterEdit(before.verification),
      },
    });
    if (claimed.count === 0) throw new StaleError("This entry changed while you were editing it, so your edit was not saved. Open Edit again.");
    coCreditChange = await reopenCoCreditAfterEdit(tx, before.id, checked.procedures.map((entry) => entry.id));

    await tx.encounterProcedure.deleteMany({ where: { encounterId: before.id } });
    await tx.encounterProcedure.createMany({ data: procedureRows(checked).map((row) => ({ ...row, encounterId: before.id })) });
    const after = await tx.encounter.findUniqueOrThrow({ where: { id: before.id }, include: { procedures: true } });
    await writeAudit(tx, { actorSlackId: input.actor.slackUserId, action: "update", entity: "encounter", entityId: before.id, before: encounterSnapshot(before), after: encounterSnapshot(after) });
    return after;
  });
  ctx.logger.info({ encounterId: encounter.id, residentId: input.actor.id }, "encounter updated");
  if (coCreditChange !== "none") await notifyCoCredit(ctx, { type: "entry_edited", encounterId: encounter.id });
  return { encounter, checked, created: false };
}

export function procedureNames(encounter: EncounterWithProcedures): string[] {
  return encounter.procedures.map((entry) => getProcedure(entry.procedureId).name);
}
