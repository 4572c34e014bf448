import { Prisma, type Encounter, type Person, type Program } from "../generated/prisma/client.js";
import type { Tx } from "../db/client.js";
import type { ServiceContext } from "./context.js";
import { CaselogError, NotAllowedError, NotFoundError, StaleError } from "./errors.js";

/**
 * Attending verification of logged entries, and the authority and once-only rules shared by
 * every decision (entry verification and co-credit approval).
 */

export const VERIFICATION_STATES = ["not_required", "pending", "verified", "needs_info", "declined"] as const;
export type VerificationState = (typeof VERIFICATION_STATES)[number];

export type DecisionOutcome = "approved" | "needs_info" | "declined";
export type DecisionKind = "verification" | "co_credit_senior" | "co_credit_attending";

export const MAX_DECISION_NOTE_LENGTH = 500;

/** A click on a decision that was already made, carrying who made it and when. */
export class AlreadyDecidedError extends CaselogError {
  constructor(
    readonly deciderSlackId: string,
    readonly decidedAt: Date,
    readonly outcome: string,
  ) {
    super("already_decided", `This was already decided (${outcome.replace("_", " ")}) by <@${deciderSlackId}> at ${decidedAt.toISOString().slice(0, 16).replace("T", " ")} UTC. Nothing changed.`);
  }
}

/** Returns the verification state a new entry starts in under its program's setting. */
export function initialVerification(program: Pick<Program, "verificationRequired">): VerificationState {
  return program.verificationRequired ? "pending" : "not_required";
}

/** Reads the verification state a new entry of this resident starts in. */
export async function initialVerificationFor(tx: Tx, resident: Person): Promise<VerificationState> {
  const program = await tx.program.findUnique({ where: { id: resident.programId }, select: { verificationRequired: true } });
  return program ? initialVerification(program) : "not_required";
}

/**
 * True when the Slack user is a program director of the program: by role, by the program row,
 * or by configuration. A director named in CASELOG_PROGRAM_DIRECTORS counts only for the
 * program of their own Person row, or before they have one, for the program that findPerson
 * would create it in (the team's program named CASELOG_PROGRAM_NAME).
 */
export async function isProgramDirector(ctx: ServiceContext, program: Pick<Program, "id" | "directorSlackId" | "slackTeamId" | "name">, slackTeamId: string, slackUserId: string): Promise<boolean> {
  if (program.directorSlackId === slackUserId) return true;
  const person = await ctx.db.person.findUnique({ where: { slackTeamId_slackUserId: { slackTeamId, slackUserId } } });
  if (ctx.config.CASELOG_PROGRAM_DIRECTORS.includes(slackUserId)) {
    if (person) return person.programId === program.id && person.active;
    return program.slackTeamId === slackTeamId && program.name === ctx.config.CASELOG_PROGRAM_NAME;
  }
  return person?.role === "program_director" && person.programId === program.id && person.active;
}

export interface Authority {
  as: "attending" | "program_director";
}

/**
 * Checks that the clicking user may decide on the entry: the attending it names, or a
 * program director, and never a resident credited on it or any registered resident. Any other
 * click is written to the audit trail and rejected with NotAllowedError.
 */
export async function authorizeDecider(
  ctx: ServiceContext,
  input: { clickerSlackId: string; slackTeamId: string; encounter: Encounter & { resident: Person }; creditedSlackIds: string[]; kind: DecisionKind },
): Promise<Authority> {
  const { encounter, clickerSlackId } = input;

  if (input.creditedSlackIds.includes(clickerSlackId)) {
    await recordRejectedClick(ctx, { clickerSlackId, encounterId: encounter.id, kind: input.kind, reason: "self_approval" });
    throw new NotAllowedError("You cannot approve an entry that credits you. The supervising attending or a program director decides it.");
  }
  // A resident named as the attending (a peer, say) never decides, whatever the entry names.
  const clicker = await ctx.db.person.findUnique({ where: { slackTeamId_slackUserId: { slackTeamId: input.slackTeamId, slackUserId: clickerSlackId } } });
  if (clicker?.role === "resident") {
    await recordRejectedClick(ctx, { clickerSlackId, encounterId: encounter.id, kind: input.kind, reason: "resident_decider" });
    throw new NotAllowedError("You are registered as a resident, and residents cannot verify or approve entries. The supervising attending or a program director decides it. Nothing changed.");
  }
  if (encounter.supervisorSlackId && encounter.supervisorSlackId === clickerSlackId) return { as: "attending" };

  const program = await ctx.db.program.findUniqueOrThrow({ where: { id: encounter.resident.programId } });
  if (await isProgramDirector(ctx, program, input.slackTeamId, clickerSlackId)) return { as: "program_director" };

  await recordRejectedClick(ctx, { clickerSlackId, encounterId: encounter.id, kind: input.kind, reason: "not_supervisor" });
  const named = encounter.supervisorSlackId ? `<@${encounter.supervisorSlackId}>` : "the program director";
  throw new NotAllowedError(`Only ${named} or a program director can decide on this entry. Nothing changed.`);
}

/** Writes a rejected decision click to the audit trail, outside any transaction. */
export async function recordRejectedClick(
  ctx: ServiceContext,
  input: { clickerSlackId: string; encounterId: number; kind: DecisionKind; reason: string },
): Promise<void> {
  await ctx.db.auditEvent.create({
    data: {
      actorSlackId: input.clickerSlackId,
      action: "decision_rejected",
      entity: "encounter",
      entityId: input.encounterId,
      after: JSON.stringify({ kind: input.kind, reason: input.reason }),
    },
  });
  ctx.logger.warn({ slackUserId: input.clickerSlackId, encounterId: input.encounterId, kind: input.kind, reason: input.reason }, "decision click rejected");
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** Turns a unique-key failure on Decision into AlreadyDecidedError naming the earlier decision. */
export async function alreadyDecided(ctx: ServiceContext, encounterId: number, version: number, kind: DecisionKind): Promise<AlreadyDecidedError | null> {
  const earlier = await ctx.db.decision.findUnique({ where: { encounterId_encounterVersion_kind: { encounterId, encounterVersion: version, kind } } });
  return earlier ? new AlreadyDecidedError(earlier.deciderSlackId, earlier.decidedAt, earlier.outcome) : null;
}

/** Rejects a decision note that is missing where required, or too long. */
export function checkDecisionNote(outcome: DecisionOutcome, note: string | null | undefined): string | null {
  const trimmed = note?.trim() ?? "";
  if (outcome === "needs_info" && trimmed === "") {
    throw new CaselogError("note_required", "Needs info requires a note that tells the resident what is missing.");
  }
  if (trimmed.length > MAX_DECISION_NOTE_LENGTH) {
    throw new CaselogError("note_too_long", `A note is limited to ${MAX_DECISION_NOTE_LENGTH} characters (this one has ${trimmed.length}).`);
  }
  return trimmed === "" ? null : trimmed;
}

const VERIFICATION_BY_OUTCOME: Record<DecisionOutcome, VerificationState> = {
  approved: "verified",
  needs_info: "needs_info",
  declined: "declined",
};

export interface VerificationDecisionInput {
  clickerSlackId: string;
  slackTeamId: string;
  encounterId: number;
  /** The encounter's version printed on the card that was clicked. */
  version: number;
  outcome: DecisionOutcome;
  note?: string | null;
}

export type DecidedEncounter = Encounter & { resident: Person };

/**
 * Records one attending decision on an entry's verification. The Decision row's unique key
 * (entry, version, kind) and the conditional update make a double click, a retry or two
 * deciders at once produce exactly one decision.
 */
export async function decideVerification(ctx: ServiceContext, input: VerificationDecisionInput): Promise<DecidedEncounter> {
  const note = checkDecisionNote(input.outcome, input.note);
  const encounter = await ctx.db.encounter.findUnique({ where: { id: input.encounterId }, include: { resident: true, coCredit: { include: { senior: true } } } });
  if (!encounter) throw new NotFoundError(`Entry #${input.encounterId} no longer exists: the resident deleted it.`);

  const credited = [encounter.resident.slackUserId, ...(encounter.coCredit ? [encounter.coCredit.senior.slackUserId] : [])];
  await authorizeDecider(ctx, { clickerSlackId: input.clickerSlackId, slackTeamId: input.slackTeamId, encounter, creditedSlackIds: credited, kind: "verification" });

  if (encounter.version !== input.version) {
    throw new StaleError(`Entry #${encounter.id} changed after this card was sent, so nothing was decided. Decide on the newer card.`);
  }
  const previous = await alreadyDecided(ctx, encounter.id, input.version, "verification");
  if (previous) throw previous;
  if (encounter.verification !== "pending") {
    throw new StaleError(`Entry #${encounter.id} is not waiting for verification (it is ${encounter.verification.replace("_", " ")}). Nothing changed.`);
  }

  const decidedAt = ctx.now();
  try {
    const updated = await ctx.db.$transaction(async (tx) => {
      await tx.decision.create({
        data: { encounterId: encounter.id, encounterVersion: input.version, kind: "verification", outcome: input.outcome, deciderSlackId: input.clickerSlackId, note, decidedAt },
      });
      const claimed = await tx.encounter.updateMany({
        where: { id: encounter.id, version: input.version, verification: "pending" },
        data: { verification: VERIFICATION_BY_OUTCOME[input.outcome], verifiedBySlackId: input.clickerSlackId, verifiedAt: decidedAt, verificationNote: note },
      });
      if (claimed.count === 0) throw new StaleError(`Entry #${encounter.id} changed while you decided, so nothing was decided. Decide on the newer card.`);

      await tx.auditEvent.create({
        data: {
          actorSlackId: input.clickerSlackId,
          action: "update",
          entity: "encounter",
          entityId: encounter.id,
          before: JSON.stringify({ verification: encounter.verification }),
          after: JSON.stringify({ verification: VERIFICATION_BY_OUTCOME[input.outcome], note }),
        },
      });
      return tx.encounter.findUniqueOrThrow({ where: { id: encounter.id }, include: { resident: true } });
    });
    ctx.logger.info({ encounterId: encounter.id, slackUserId: input.clickerSlackId, outcome: input.outcome }, "entry verification decided");
    return updated;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw (await alreadyDecided(ctx, encounter.id, input.version, "verification")) ?? error;
  }
}

/** Returns the verification fields an edit writes, so a decided entry goes back to pending. */
export function verificationAfterEdit(current: string): { verification?: VerificationState; verifiedBySlackId?: null; verifiedAt?: null; verificationNote?: null } {
  if (current === "not_required" || current === "pending") return {};
  return { verification: "pending", verifiedBySlackId: null, verifiedAt: null, verificationNote: null };
}

export interface PendingBatch {
  programId: number;
  /** The attending named on the entries, or the program director for entries that name none or name a registered resident. */
  deciderSlackId: string;
  encounters: (Encounter & { resident: Person; procedures: { procedureId: string }[] })[];
}

/** The largest number of entries in one batch message, so the message stays within Slack's 50 blocks. */
export const MAX_ENTRIES_PER_BATCH = 15;

/**
 * Finds, for every program that requires verification, the attendings whose pending entries
 * (not yet sent in a batch) reach the program's batch size, or whose oldest such entry has
 * waited the program's maximum days. Each returned batch contains at most MAX_ENTRIES_PER_BATCH entries.
 */
export async function findDueBatches(ctx: ServiceContext): Promise<PendingBatch[]> {
  const programs = await ctx.db.program.findMany({ where: { verificationRequired: true } });
  const batches: PendingBatch[] = [];

  for (const program of programs) {
    const sent = await ctx.db.verificationRequest.findMany({ where: { programId: program.id }, select: { encounterIds: true } });
    const sentKeys = new Set<string>();
    for (const request of sent) {
      for (const [id, version] of parseBatchItems(request.encounterIds)) sentKeys.add(`${id}:${version}`);
    }

    const pending = await ctx.db.encounter.findMany({
      where: { verification: "pending", resident: { programId: program.id } },
      include: { resident: true, procedures: { select: { procedureId: true } } },
      orderBy: { createdAt: "asc" },
    });
    const waiting = pending.filter((entry) => !sentKeys.has(`${entry.id}:${entry.version}`));

    // Residents cannot verify (authorizeDecider rejects them), so an entry naming a registered
    // resident as its attending, including its own resident, goes to the director.
    const named = [...new Set(waiting.map((entry) => entry.supervisorSlackId).filter((id): id is string => id !== null))];
    const namedResidents = named.length === 0
      ? []
      : await ctx.db.person.findMany({ where: { slackTeamId: program.slackTeamId, slackUserId: { in: named }, role: "resident" }, select: { slackUserId: true } });
    const residentSlackIds = new Set(namedResidents.map((person) => person.slackUserId));
    const director = await batchDirectorSlackId(ctx, program);

    const byDecider = new Map<string, PendingBatch["encounters"]>();
    for (const entry of waiting) {
      const namedAttending = entry.supervisorSlackId === entry.resident.slackUserId || residentSlackIds.has(entry.supervisorSlackId ?? "") ? null : entry.supervisorSlackId;
      const decider = namedAttending ?? director;
      if (!decider) {
        ctx.logger.warn({ encounterId: entry.id, programId: program.id }, "pending entry names no attending and the program has no director; it cannot be verified");
        continue;
      }
      byDecider.set(decider, [...(byDecider.get(decider) ?? []), entry]);
    }

    const maxWaitMs = program.verificationMaxWaitDays * 24 * 60 * 60 * 1000;
    for (const [deciderSlackId, encounters] of byDecider) {
      const oldestWaitMs = ctx.now().getTime() - encounters[0]!.createdAt.getTime();
      const due = encounters.length >= program.verificationBatchSize || oldestWaitMs >= maxWaitMs;
      if (due) batches.push({ programId: program.id, deciderSlackId, encounters: encounters.slice(0, MAX_ENTRIES_PER_BATCH) });
    }
  }
  return batches;
}

/**
 * Returns the program director who verifies entries that name no attending: the program's stored
 * director, else its earliest active program director, else a configured director who counts for
 * this program.
 */
async function batchDirectorSlackId(ctx: ServiceContext, program: Program): Promise<string | null> {
  if (program.directorSlackId) return program.directorSlackId;
  const person = await ctx.db.person.findFirst({ where: { programId: program.id, role: "program_director", active: true }, orderBy: { id: "asc" } });
  if (person) return person.slackUserId;
  for (const slackUserId of ctx.config.CASELOG_PROGRAM_DIRECTORS) {
    if (await isProgramDirector(ctx, program, program.slackTeamId, slackUserId)) return slackUserId;
  }
  return null;
}

/** Reads a VerificationRequest's `encounterIds` JSON: [encounterId, version] pairs. */
export function parseBatchItems(json: string): [number, number][] {
  try {
    const parsed = JSON.parse(json) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((item): item is [number, number] => Array.isArray(item) && typeof item[0] === "number" && typeof item[1] === "number");
  } catch {
    return [];
  }
}

/** Stores a batch as sent, before the message goes out, so a second run does not send it again. */
export async function recordBatch(ctx: ServiceContext, batch: PendingBatch): Promise<number> {
  const request = await ctx.db.verificationRequest.create({
    data: {
      programId: batch.programId,
      attendingSlackId: batch.deciderSlackId,
      encounterIds: JSON.stringify(batch.encounters.map((entry) => [entry.id, entry.version])),
      sentAt: ctx.now(),
    },
  });
  return request.id;
}

/** Stores where a batch message was posted, so decisions can update it in place. */
export async function recordBatchMessage(ctx: ServiceContext, requestId: number, channelId: string, messageTs: string): Promise<void> {
  await ctx.db.verificationRequest.update({ where: { id: requestId }, data: { channelId, messageTs } });
}

/** Loads a batch and the current state of its entries, in the order they were sent. */
export async function loadBatch(ctx: ServiceContext, requestId: number) {
  const request = await ctx.db.verificationRequest.findUnique({ where: { id: requestId } });
  if (!request) return null;
  const items = parseBatchItems(request.encounterIds);
  const rows = await ctx.db.encounter.findMany({ where: { id: { in: items.map(([id]) => id) } }, include: { resident: true, procedures: { select: { procedureId: true } } } });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return { request, items: items.map(([id, version]) => ({ id, version, encounter: byId.get(id) ?? null })) };
}

/** Counts a resident's entries still waiting for a decision, shown apart from the counted ones. */
export async function countPendingEntries(ctx: ServiceContext, residentId: number): Promise<number> {
  return ctx.db.encounter.count({ where: { residentId, verification: { in: ["pending", "needs_info"] } } });
}

/**
 * Checks, before a note modal opens, that the clicking user may decide on the entry. Throws
 * NotFoundError or NotAllowedError (the latter written to the audit trail).
 */
export async function checkMayDecide(ctx: ServiceContext, input: { clickerSlackId: string; slackTeamId: string; encounterId: number; kind: DecisionKind }): Promise<void> {
  const encounter = await ctx.db.encounter.findUnique({ where: { id: input.encounterId }, include: { resident: true, coCredit: { include: { senior: true } } } });
  if (!encounter) throw new NotFoundError(`Entry #${input.encounterId} no longer exists: the resident deleted it.`);
  const credited = [encounter.resident.slackUserId, ...(encounter.coCredit ? [encounter.coCredit.senior.slackUserId] : [])];
  await authorizeDecider(ctx, { clickerSlackId: input.clickerSlackId, slackTeamId: input.slackTeamId, encounter, creditedSlackIds: credited, kind: input.kind });
}
