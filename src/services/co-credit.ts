import type { Tx } from "../db/client.js";
import type { CoCredit, Person } from "../generated/prisma/client.js";
import { findProcedure, type Procedure } from "../rules/catalogue.js";
import { checkCoCredit, type RuleViolation } from "../rules/counting.js";
import type { ServiceContext } from "./context.js";
import { NotAllowedError, NotFoundError, RuleViolationError, StaleError } from "./errors.js";
import { isResident } from "./people.js";
import { alreadyDecided, authorizeDecider, checkDecisionNote, isUniqueViolation, recordRejectedClick, type DecisionOutcome } from "./verification.js";

/**
 * Co-credit under counting rules 1 and 2: a junior resident logs a minor procedure and names
 * the senior who supervised it. The senior's credit stays pending until the senior confirms
 * and the supervising attending approves; only an approved co-credit counts for the senior.
 */

export const CO_CREDIT_STATUSES = ["awaiting_senior", "awaiting_attending", "approved", "needs_info", "declined", "cancelled"] as const;
export type CoCreditStatus = (typeof CO_CREDIT_STATUSES)[number];

/** Statuses in which the co-credit still names a second resident on the encounter. */
export const ACTIVE_CO_CREDIT_STATUSES: readonly CoCreditStatus[] = ["awaiting_senior", "awaiting_attending", "approved", "needs_info"];

/** Something the Slack layer must tell people after a co-credit changed. */
export type CoCreditEvent =
  | { type: "requested"; encounterId: number }
  | { type: "senior_confirmed"; encounterId: number }
  | { type: "senior_declined"; encounterId: number }
  | { type: "decided"; encounterId: number }
  | { type: "entry_edited"; encounterId: number }
  | {
      type: "entry_deleted";
      encounterId: number;
      juniorSlackId: string;
      seniorSlackId: string;
      attendingSlackId: string | null;
      procedures: string[];
      performedOn: string;
      status: string;
    };

export type CoCreditNotifier = (event: CoCreditEvent) => Promise<void>;

// Keyed by the service context, so two apps in one process (as in tests) keep their own notifier.
const notifiers = new WeakMap<ServiceContext, CoCreditNotifier>();

/** Sets the function that sends Slack messages for co-credit events of this context. */
export function setCoCreditNotifier(ctx: ServiceContext, notifier: CoCreditNotifier): void {
  notifiers.set(ctx, notifier);
}

/** Sends one co-credit event to the notifier, logging (not throwing) a failure: the change is already stored. */
export async function notifyCoCredit(ctx: ServiceContext, event: CoCreditEvent): Promise<void> {
  const notifier = notifiers.get(ctx);
  if (!notifier) {
    ctx.logger.warn({ event: event.type, encounterId: event.encounterId }, "no co-credit notifier registered; no notice sent");
    return;
  }
  try {
    await notifier(event);
  } catch (error) {
    ctx.logger.error({ err: error, event: event.type, encounterId: event.encounterId }, "co-credit notification failed");
  }
}

export interface CoCreditRequest {
  resident: Person;
  seniorSlackId: string;
  procedureIds: readonly string[];
  supervisorSlackId: string | null;
  /** Every other Slack user named in the same entry; a resident among them would be a third. */
  otherSlackIds?: readonly string[];
}

function violation(code: string, message: string): RuleViolation {
  return { code, field: "co_credit", message };
}

/**
 * Checks a co-credit request against counting rules 1 and 2 and returns the named senior.
 * Throws RuleViolationError with the reason when the request breaks a rule.
 */
export async function checkCoCreditRequest(ctx: ServiceContext, request: CoCreditRequest): Promise<Person> {
  const { resident } = request;
  const procedures = request.procedureIds.map((id) => findProcedure(id)).filter((entry): entry is Procedure => entry !== undefined);

  const senior = await ctx.db.person.findUnique({
    where: { slackTeamId_slackUserId: { slackTeamId: resident.slackTeamId, slackUserId: request.seniorSlackId } },
  });
  const sameResident = request.seniorSlackId === resident.slackUserId;
  if (!sameResident && (!senior || !isResident(senior) || !senior.active)) {
    throw new RuleViolationError([
      violation("co_credit_not_resident", `<@${request.seniorSlackId}> is not a registered resident. Only a registered senior resident can share credit; ask them to register with /caselog first.`),
    ]);
  }

  const others = [...new Set((request.otherSlackIds ?? []).filter((id) => id !== request.seniorSlackId && id !== resident.slackUserId))];
  const otherResidents = others.length === 0
    ? []
    : await ctx.db.person.findMany({ where: { slackTeamId: resident.slackTeamId, slackUserId: { in: others }, role: "resident" } });

  const ruleProblem = checkCoCredit({
    procedures,
    firstOperatorPgy: resident.pgy ?? 0,
    coCreditedPgy: senior?.pgy ?? resident.pgy ?? 0,
    // Residents credited before the named senior: the first operator and any other resident named in the entry.
    residentsCredited: 1 + otherResidents.length,
    sameResident,
  });
  if (ruleProblem) throw new RuleViolationError([ruleProblem]);

  if (!request.supervisorSlackId) {
    throw new RuleViolationError([
      violation("co_credit_no_attending", "Co-credit needs the supervising attending's approval. Name the attending with @, for example \"port with @senior @attending\"."),
    ]);
  }
  if (request.supervisorSlackId === request.seniorSlackId || request.supervisorSlackId === resident.slackUserId) {
    throw new RuleViolationError([
      violation("co_credit_resident_as_attending", "A resident cannot be the supervising attending who approves a co-credit. Name the attending with @."),
    ]);
  }
  const attending = await ctx.db.person.findUnique({
    where: { slackTeamId_slackUserId: { slackTeamId: resident.slackTeamId, slackUserId: request.supervisorSlackId } },
  });
  if (attending?.role === "resident") {
    throw new RuleViolationError([
      violation("co_credit_resident_as_attending", `<@${request.supervisorSlackId}> is registered as a resident and cannot be the supervising attending who approves a co-credit. Name the attending with @.`),
    ]);
  }
  return senior!;
}

/** Creates the pending co-credit row for a new encounter, inside the caller's transaction. */
export async function createPendingCoCredit(tx: Tx, encounterId: number, seniorId: number): Promise<CoCredit> {
  return tx.coCredit.create({ data: { encounterId, seniorId, status: "awaiting_senior" } });
}

/**
 * Re-opens an active co-credit after the junior edited the encounter, inside the edit's
 * transaction: the senior must confirm the changed entry again. A co-credit whose edited
 * procedures are no longer all minor is cancelled, because rule 1 no longer allows it.
 * Returns what happened, so the caller can notify after the commit.
 */
export async function reopenCoCreditAfterEdit(tx: Tx, encounterId: number, procedureIds: readonly string[]): Promise<"none" | "reopened" | "cancelled"> {
  const coCredit = await tx.coCredit.findUnique({ where: { encounterId } });
  if (!coCredit || !ACTIVE_CO_CREDIT_STATUSES.includes(coCredit.status as CoCreditStatus)) return "none";

  const allMinor = procedureIds.every((id) => findProcedure(id)?.minor === true);
  const status: CoCreditStatus = allMinor ? "awaiting_senior" : "cancelled";
  await tx.coCredit.update({
    where: { id: coCredit.id },
    data: { status, seniorConfirmedAt: null, decidedBySlackId: null, decidedAt: null, ...(allMinor ? {} : { note: "Cancelled: the edited entry includes a procedure that is not minor." }) },
  });
  return allMinor ? "reopened" : "cancelled";
}

export type CoCreditWithPeople = CoCredit & { senior: Person; encounter: { id: number; version: number; performedOn: string; supervisorSlackId: string | null; residentId: number; resident: Person; procedures: { procedureId: string }[] } };

/** Loads a co-credit with the two residents and the encounter's procedures, or null. */
export async function loadCoCredit(ctx: ServiceContext, encounterId: number): Promise<CoCreditWithPeople | null> {
  return ctx.db.coCredit.findUnique({
    where: { encounterId },
    include: { senior: true, encounter: { include: { resident: true, procedures: { select: { procedureId: true } } } } },
  });
}

export interface SeniorResponseInput {
  clickerSlackId: string;
  encounterId: number;
  version: number;
  confirm: boolean;
}

/**
 * Records the named senior's confirmation or refusal, once per encounter version. Only the senior
 * may respond. A confirmation moves the co-credit on to the attending, and a refusal declines it.
 */
export async function respondAsSenior(ctx: ServiceContext, input: SeniorResponseInput): Promise<CoCreditWithPeople> {
  const coCredit = await loadCoCredit(ctx, input.encounterId);
  if (!coCredit) throw new NotFoundError(`Entry #${input.encounterId} no longer has a co-credit: it was deleted or changed.`);

  if (coCredit.senior.slackUserId !== input.clickerSlackId) {
    const reason = coCredit.encounter.resident.slackUserId === input.clickerSlackId ? "self_approval" : "not_named_senior";
    await recordRejectedClick(ctx, { clickerSlackId: input.clickerSlackId, encounterId: input.encounterId, kind: "co_credit_senior", reason });
    throw new NotAllowedError(`Only <@${coCredit.senior.slackUserId}>, the senior resident named on this entry, can confirm it. Nothing changed.`);
  }
  if (coCredit.encounter.version !== input.version) {
    throw new StaleError(`Entry #${input.encounterId} changed after this card was sent, so nothing was confirmed. Use the newer card.`);
  }
  const previous = await alreadyDecided(ctx, input.encounterId, input.version, "co_credit_senior");
  if (previous) throw previous;
  if (coCredit.status !== "awaiting_senior") {
    throw new StaleError(`This co-credit is not waiting for your confirmation (it is ${coCredit.status.replace("_", " ")}). Nothing changed.`);
  }

  const at = ctx.now();
  const status: CoCreditStatus = input.confirm ? "awaiting_attending" : "declined";
  try {
    await ctx.db.$transaction(async (tx) => {
      await tx.decision.create({
        data: {
          encounterId: input.encounterId,
          encounterVersion: input.version,
          kind: "co_credit_senior",
          outcome: input.confirm ? "confirmed" : "declined",
          deciderSlackId: input.clickerSlackId,
          decidedAt: at,
        },
      });
      const claimed = await tx.coCredit.updateMany({
        where: { id: coCredit.id, status: "awaiting_senior" },
        data: input.confirm ? { status, seniorConfirmedAt: at } : { status, decidedBySlackId: input.clickerSlackId, decidedAt: at },
      });
      if (claimed.count === 0) throw new StaleError("This co-credit changed a moment ago. Nothing changed.");
      await writeCoCreditAudit(tx, input.clickerSlackId, coCredit, status, null);
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw (await alreadyDecided(ctx, input.encounterId, input.version, "co_credit_senior")) ?? error;
  }

  ctx.logger.info({ encounterId: input.encounterId, slackUserId: input.clickerSlackId, status }, "co-credit confirmed or declined by the senior");
  await notifyCoCredit(ctx, { type: input.confirm ? "senior_confirmed" : "senior_declined", encounterId: input.encounterId });
  return (await loadCoCredit(ctx, input.encounterId))!;
}

export interface CoCreditDecisionInput {
  clickerSlackId: string;
  slackTeamId: string;
  encounterId: number;
  version: number;
  outcome: DecisionOutcome;
  note?: string | null;
}

const STATUS_BY_OUTCOME: Record<DecisionOutcome, CoCreditStatus> = { approved: "approved", needs_info: "needs_info", declined: "declined" };

/**
 * Records the supervising attending's decision on a co-credit the senior confirmed. Only the
 * named attending or a program director may decide, never one of the two residents; one
 * decision per encounter version, enforced by the Decision table's unique key.
 */
export async function decideCoCredit(ctx: ServiceContext, input: CoCreditDecisionInput): Promise<CoCreditWithPeople> {
  const note = checkDecisionNote(input.outcome, input.note);
  const coCredit = await loadCoCredit(ctx, input.encounterId);
  if (!coCredit) throw new NotFoundError(`Entry #${input.encounterId} no longer has a co-credit: it was deleted or changed.`);

  const encounter = await ctx.db.encounter.findUniqueOrThrow({ where: { id: input.encounterId }, include: { resident: true } });
  await authorizeDecider(ctx, {
    clickerSlackId: input.clickerSlackId,
    slackTeamId: input.slackTeamId,
    encounter,
    creditedSlackIds: [coCredit.encounter.resident.slackUserId, coCredit.senior.slackUserId],
    kind: "co_credit_attending",
  });

  if (encounter.version !== input.version) {
    throw new StaleError(`Entry #${input.encounterId} changed after this card was sent, so nothing was decided. Decide on the newer card.`);
  }
  const previous = await alreadyDecided(ctx, input.encounterId, input.version, "co_credit_attending");
  if (previous) throw previous;
  if (coCredit.status !== "awaiting_attending") {
    throw new StaleError(`This co-credit is not waiting for an attending's decision (it is ${coCredit.status.replace("_", " ")}). Nothing changed.`);
  }

  const at = ctx.now();
  const status = STATUS_BY_OUTCOME[input.outcome];
  try {
    await ctx.db.$transaction(async (tx) => {
      await tx.decision.create({
        data: { encounterId: input.encounterId, encounterVersion: input.version, kind: "co_credit_attending", outcome: input.outcome, deciderSlackId: input.clickerSlackId, note, decidedAt: at },
      });
      const claimed = await tx.coCredit.updateMany({
        where: { id: coCredit.id, status: "awaiting_attending" },
        data: { status, decidedBySlackId: input.clickerSlackId, decidedAt: at, note },
      });
      if (claimed.count === 0) throw new StaleError("This co-credit changed a moment ago. Nothing changed.");
      await writeCoCreditAudit(tx, input.clickerSlackId, coCredit, status, note);
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw (await alreadyDecided(ctx, input.encounterId, input.version, "co_credit_attending")) ?? error;
  }

  ctx.logger.info({ encounterId: input.encounterId, slackUserId: input.clickerSlackId, status }, "co-credit decided by the attending");
  await notifyCoCredit(ctx, { type: "decided", encounterId: input.encounterId });
  return (await loadCoCredit(ctx, input.encounterId))!;
}

async function writeCoCreditAudit(tx: Tx, actorSlackId: string, coCredit: CoCredit, status: string, note: string | null): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorSlackId,
      action: "update",
      entity: "co_credit",
      entityId: coCredit.id,
      before: JSON.stringify({ encounterId: coCredit.encounterId, status: coCredit.status }),
      after: JSON.stringify({ encounterId: coCredit.encounterId, status, note }),
    },
  });
}
