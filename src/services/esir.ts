import type { EsirVerification, Person } from "../generated/prisma/client.js";
import { addDays } from "../rules/academic-year.js";
import { esirWindow } from "../rules/counting.js";
import { IR_CATEGORY_IDS, type IrCategoryId } from "../rules/taxonomy.js";
import { residentLogCsv } from "../reports/csv.js";
import { esirEligibility, esirFormPdf, type EsirFormData } from "../reports/esir-form.js";
import { CREDITED_STATES, PENDING_STATES, personName } from "../reports/log-entries.js";
import type { ServiceContext } from "./context.js";
import { NotAllowedError, NotFoundError, StaleError } from "./errors.js";
import { loadLogEntries, type ExportFile } from "./exports.js";
import { writeAudit } from "./audit.js";
import { isResident } from "./people.js";
import { isUniqueViolation } from "./verification.js";

/**
 * ESIR verification: the form a diagnostic radiology program director signs when a resident
 * completes ESIR with at least 500 credited patient procedural encounters. Signing locks the
 * encounters the form covers, and only a program director can unlock them again.
 */

export interface EsirPeriod {
  from: string;
  /** First day after the period. */
  until: string;
}

export interface EsirSummary {
  form: EsirFormData;
  eligible: boolean;
  missing: number;
  /** The signed verification in force, or null when none is. */
  verification: EsirVerification | null;
}

export function assertProgramDirector(actor: Person, resident: Person): void {
  if (actor.role !== "program_director") {
    throw new NotAllowedError("Only a program director can create, sign or unlock an ESIR verification form.");
  }
  if (actor.programId !== resident.programId) {
    throw new NotAllowedError("That resident belongs to another program.");
  }
}

/** Rejects a change to an encounter that a signed ESIR verification covers. */
export function assertEncounterUnlocked(encounter: { lockedByVerificationId: number | null }): void {
  if (encounter.lockedByVerificationId === null) return;
  throw new NotAllowedError(
    "This entry is covered by a signed ESIR verification form, so it cannot be changed or deleted. Ask your program director to unlock the form (/caselog esir unlock @you) first.",
  );
}

/** Rejects a new or moved entry dated inside the period of the resident's signed ESIR form. */
export async function assertDateUnsigned(ctx: ServiceContext, residentId: number, performedOn: string): Promise<void> {
  const signed = await ctx.db.esirVerification.findFirst({
    where: { residentId, unlockedAt: null, periodFrom: { lte: performedOn }, periodUntil: { gt: performedOn } },
  });
  if (!signed) return;
  throw new NotAllowedError(
    `${performedOn} is inside the ESIR period of your signed verification form, which is locked. Ask your program director to unlock the form (/caselog esir unlock @you) first.`,
  );
}

export async function activeVerification(ctx: ServiceContext, residentId: number): Promise<EsirVerification | null> {
  return ctx.db.esirVerification.findFirst({ where: { residentId, unlockedAt: null }, orderBy: { signedAt: "desc" } });
}

/**
 * Returns the ESIR period: the signed form's period when one is in force, else the resident's
 * ESIR dates, ending after `today` while no end date is set. Returns null for a resident who
 * has neither.
 */
export async function esirPeriod(ctx: ServiceContext, resident: Person, today: string): Promise<EsirPeriod | null> {
  const signed = await activeVerification(ctx, resident.id);
  if (signed) return { from: signed.periodFrom, until: signed.periodUntil };

  const latest = await ctx.db.esirVerification.findFirst({ where: { residentId: resident.id }, orderBy: { signedAt: "desc" } });
  if (resident.track === "esir" && resident.residencyStart) {
    const window = esirWindow({
      track: "esir",
      pgy: resident.pgy ?? 1,
      residencyStart: resident.residencyStart,
      esirStart: resident.esirStart,
      esirEnd: resident.esirEnd,
    });
    return { from: window.from, until: window.until ?? addDays(today, 1) };
  }
  return latest ? { from: latest.periodFrom, until: latest.periodUntil } : null;
}

async function directorName(ctx: ServiceContext, slackUserId: string, teamId: string): Promise<string> {
  const person = await ctx.db.person.findUnique({ where: { slackTeamId_slackUserId: { slackTeamId: teamId, slackUserId } } });
  return person ? personName(person) : slackUserId;
}

/** Loads everything the ESIR form shows. The caller must be the resident's program director. */
export async function loadEsirSummary(ctx: ServiceContext, director: Person, resident: Person, today: string): Promise<EsirSummary> {
  assertProgramDirector(director, resident);
  if (!isResident(resident)) throw new NotFoundError(`${personName(resident)} is not a registered resident.`);

  const period = await esirPeriod(ctx, resident, today);
  if (!period) {
    throw new NotFoundError(`${personName(resident)} is not on the ESIR track and has no signed ESIR form, so there is no ESIR period to report.`);
  }

  const [program, verification, entries] = await Promise.all([
    ctx.db.program.findUniqueOrThrow({ where: { id: resident.programId } }),
    activeVerification(ctx, resident.id),
    loadLogEntries(ctx, resident.id, period),
  ]);

  const credited = entries.filter((entry) => entry.credited);
  const pendingTotal = entries.filter((entry) => PENDING_STATES.includes(entry.verification)).length;
  const categoryCounts = Object.fromEntries(IR_CATEGORY_IDS.map((id) => [id, 0])) as Record<IrCategoryId, number>;
  for (const entry of credited) {
    for (const id of entry.categoryIds) {
      if (id in categoryCounts) categoryCounts[id as IrCategoryId] += 1;
    }
  }

  const signerName = verification ? await directorName(ctx, verification.signedBySlackId, resident.slackTeamId) : null;
  const form: EsirFormData = {
    programName: program.name,
    programNumber: program.acgmeNumber,
    residentName: personName(resident),
    period,
    categoryCounts,
    icuRotationCompleted: resident.icuRotationCompleted,
    creditedTotal: credited.length,
    pendingTotal,
    directorName: signerName ?? personName(director),
    signature: verification && signerName ? { signerName, signedOn: verification.signedAt.toISOString().slice(0, 10) } : null,
    generatedOn: today,
    entries: credited,
  };
  const { eligible, missing } = esirEligibility(form.creditedTotal);
  return { form, eligible, missing, verification };
}

/** Renders the form PDF (with the detailed log attached) and the detailed log as CSV. */
export async function esirFormFiles(summary: EsirSummary): Promise<{ pdf: ExportFile; csv: ExportFile }> {
  const stem = summary.form.residentName.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase() || "resident";
  const pdf = await esirFormPdf(summary.form);
  return {
    pdf: { filename: `esir-verification-${stem}.pdf`, contentType: "application/pdf", data: pdf },
    csv: { filename: `esir-log-${stem}.csv`, contentType: "text/csv", data: Buffer.from(residentLogCsv(summary.form.entries), "utf8") },
  };
}

export interface SignInput {
  director: Person;
  resident: Person;
  /** The period and total of the form the director read, so a log changed since then is not signed. */
  expected: { from: string; until: string; total: number };
  today: string;
}

/**
 * Records the director's signature and locks the credited encounters of the period. Signing
 * again while a form is in force returns that form unchanged. Two signing requests at once store
 * one form, because a partial unique index allows one form in force per resident.
 */
export async function signEsirVerification(ctx: ServiceContext, input: SignInput): Promise<{ verification: EsirVerification; created: boolean }> {
  const summary = await loadEsirSummary(ctx, input.director, input.resident, input.today);
  if (summary.verification) return { verification: summary.verification, created: false };

  const { form } = summary;
  if (form.period.from !== input.expected.from || form.period.until !== input.expected.until || form.creditedTotal !== input.expected.total) {
    throw new StaleError(
      `The log changed after this form was made (it now has ${form.creditedTotal} credited encounters), so it was not signed. Run /caselog esir again for a new form.`,
    );
  }
  if (!summary.eligible) {
    throw new NotAllowedError(
      `The form cannot be signed: ${form.creditedTotal} of 500 encounters are credited, ${summary.missing} are missing and ${form.pendingTotal} are pending verification.`,
    );
  }

  let verification: EsirVerification | null;
  try {
    verification = await ctx.db.$transaction(async (tx) => {
      // Another request may have signed since the summary was read, and then its form is returned.
      if (await tx.esirVerification.findFirst({ where: { residentId: input.resident.id, unlockedAt: null } })) return null;
      const created = await tx.esirVerification.create({
        data: {
          residentId: input.resident.id,
          signedBySlackId: input.director.slackUserId,
          signedAt: ctx.now(),
          periodFrom: form.period.from,
          periodUntil: form.period.until,
          totalEncounters: form.creditedTotal,
        },
      });
      const locked = await tx.encounter.updateMany({
        where: {
          residentId: input.resident.id,
          performedOn: { gte: form.period.from, lt: form.period.until },
          verification: { in: [...CREDITED_STATES] },
          lockedByVerificationId: null,
        },
        data: { lockedByVerificationId: created.id },
      });
      await tx.auditEvent.create({
        data: {
          actorSlackId: input.director.slackUserId,
          action: "create",
          entity: "esir_verification",
          entityId: created.id,
          after: JSON.stringify({ residentId: input.resident.id, periodFrom: created.periodFrom, periodUntil: created.periodUntil, totalEncounters: created.totalEncounters, lockedEncounters: locked.count }),
        },
      });
      return created;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    verification = null;
  }

  if (!verification) {
    const signed = await activeVerification(ctx, input.resident.id);
    if (!signed) throw new StaleError("Another request changed this ESIR form while you signed it, so nothing was signed. Run /caselog esir again.");
    ctx.logger.info({ verificationId: signed.id, residentId: input.resident.id, directorSlackId: input.director.slackUserId }, "ESIR verification already signed by a concurrent request");
    return { verification: signed, created: false };
  }
  ctx.logger.info({ verificationId: verification.id, residentId: input.resident.id, directorSlackId: input.director.slackUserId }, "ESIR verification signed");
  return { verification, created: true };
}

/**
 * Unlocks the encounters of the signed form in force and records who unlocked it and when. The
 * write is conditional on the form still being in force, so two unlock requests write once.
 */
export async function unlockEsirVerification(ctx: ServiceContext, director: Person, resident: Person): Promise<EsirVerification> {
  assertProgramDirector(director, resident);
  const verification = await activeVerification(ctx, resident.id);
  const notSigned = () => new NotFoundError(`${personName(resident)} has no signed ESIR verification form to unlock.`);
  if (!verification) throw notSigned();

  const unlockedAt = ctx.now();
  const unlocked = await ctx.db.$transaction(async (tx) => {
    const claimed = await tx.esirVerification.updateMany({
      where: { id: verification.id, unlockedAt: null },
      data: { unlockedAt, unlockedBySlackId: director.slackUserId },
    });
    if (claimed.count === 0) return null;

    const released = await tx.encounter.updateMany({ where: { lockedByVerificationId: verification.id }, data: { lockedByVerificationId: null } });
    await tx.auditEvent.create({
      data: {
        actorSlackId: director.slackUserId,
        action: "update",
        entity: "esir_verification",
        entityId: verification.id,
        before: JSON.stringify({ unlockedAt: null }),
        after: JSON.stringify({ unlockedAt: unlockedAt.toISOString(), unlockedBySlackId: director.slackUserId, releasedEncounters: released.count }),
      },
    });
    return tx.esirVerification.findUniqueOrThrow({ where: { id: verification.id } });
  });
  if (!unlocked) throw notSigned();

  ctx.logger.info({ verificationId: verification.id, residentId: resident.id, directorSlackId: director.slackUserId }, "ESIR verification unlocked");
  return unlocked;
}

export interface CombinedTotal {
  esirPeriod: EsirPeriod;
  esir: number;
  ir: number;
  total: number;
}

/**
 * For an independent IR resident who completed ESIR, combines the credited encounters of the
 * ESIR period with those of the IR residency, because the ACGME counts both in the total
 * documented experience. Returns null for other residents or when no ESIR period is known.
 */
export async function combinedEsirIrTotal(ctx: ServiceContext, resident: Person): Promise<CombinedTotal | null> {
  if (resident.track !== "ir_independent" || !resident.residencyStart) return null;

  const signed = await ctx.db.esirVerification.findFirst({ where: { residentId: resident.id }, orderBy: [{ unlockedAt: { sort: "asc", nulls: "first" } }, { signedAt: "desc" }] });
  const period = signed
    ? { from: signed.periodFrom, until: signed.periodUntil }
    : resident.esirStart && resident.esirEnd
      ? { from: resident.esirStart, until: addDays(resident.esirEnd, 1) }
      : null;
  if (!period) return null;

  const credited = { residentId: resident.id, verification: { in: [...CREDITED_STATES] } };
  const [esir, ir] = await Promise.all([
    ctx.db.encounter.count({ where: { ...credited, performedOn: { gte: period.from, lt: period.until } } }),
    ctx.db.encounter.count({
      where: { ...credited, performedOn: { gte: resident.residencyStart }, NOT: { performedOn: { gte: period.from, lt: period.until } } },
    }),
  ]);
  return { esirPeriod: period, esir, ir, total: esir + ir };
}

/** Records whether the resident completed an ICU rotation, which the ESIR form reports. */
export async function setIcuRotation(ctx: ServiceContext, director: Person, resident: Person, completed: boolean): Promise<Person> {
  assertProgramDirector(director, resident);
  if (!isResident(resident)) throw new NotFoundError(`${personName(resident)} is not a registered resident.`);
  if (resident.icuRotationCompleted === completed) return resident;

  return ctx.db.$transaction(async (tx) => {
    const updated = await tx.person.update({ where: { id: resident.id }, data: { icuRotationCompleted: completed } });
    await writeAudit(tx, {
      actorSlackId: director.slackUserId,
      action: "update",
      entity: "person",
      entityId: resident.id,
      before: { icuRotationCompleted: resident.icuRotationCompleted },
      after: { icuRotationCompleted: completed },
    });
    return updated;
  });
}
