import type { Tx } from "../db/client.js";
import type { Person, Program } from "../generated/prisma/client.js";
import { addDays, dateInTimeZone, pgyOn } from "../rules/academic-year.js";
import { TRACKS, type ResidentProfile, type RuleViolation, type Track } from "../rules/counting.js";
import { registrationSchema, staffRoleSchema, type RegistrationInput, type StaffRole } from "../rules/schemas.js";
import { writeAudit } from "./audit.js";
import type { ServiceContext } from "./context.js";
import { NotAllowedError, NotRegisteredError, RuleViolationError } from "./errors.js";

export type { Person, Program };

/** Returns the team's program, creating it from configuration on first use. */
export async function ensureProgram(ctx: ServiceContext, slackTeamId: string): Promise<Program> {
  const { config } = ctx;
  return ctx.db.program.upsert({
    where: { slackTeamId_name: { slackTeamId, name: config.CASELOG_PROGRAM_NAME } },
    update: {},
    create: {
      slackTeamId,
      name: config.CASELOG_PROGRAM_NAME,
      kind: config.CASELOG_PROGRAM_KIND,
      acgmeNumber: config.CASELOG_ACGME_PROGRAM_NUMBER ?? null,
    },
  });
}

/** Returns the staff role configuration gives a Slack user, or null. */
function configuredRole(ctx: ServiceContext, slackUserId: string): StaffRole | null {
  if (ctx.config.CASELOG_PROGRAM_DIRECTORS.includes(slackUserId)) return "program_director";
  if (ctx.config.CASELOG_COORDINATORS.includes(slackUserId)) return "coordinator";
  return null;
}

/**
 * Finds the person behind a Slack user. Program directors and coordinators named in
 * configuration are created on their first command, without the registration modal.
 */
export async function findPerson(ctx: ServiceContext, slackTeamId: string, slackUserId: string): Promise<Person | null> {
  const person = await ctx.db.person.findUnique({ where: { slackTeamId_slackUserId: { slackTeamId, slackUserId } } });
  if (person) return person;

  const role = configuredRole(ctx, slackUserId);
  if (!role) return null;

  const program = await ensureProgram(ctx, slackTeamId);
  return ctx.db.person.upsert({
    where: { slackTeamId_slackUserId: { slackTeamId, slackUserId } },
    update: {},
    create: { programId: program.id, slackTeamId, slackUserId, role },
  });
}

export function isResident(person: Person): boolean {
  return person.role === "resident" && person.track !== null && person.pgy !== null && person.residencyStart !== null;
}

/** Returns the rules module's view of a resident, and throws NotRegisteredError for anyone else. */
export function residentProfile(person: Person): ResidentProfile {
  if (!isResident(person) || !TRACKS.includes(person.track as Track)) throw new NotRegisteredError();
  return {
    track: person.track as Track,
    pgy: person.pgy!,
    residencyStart: person.residencyStart!,
    esirStart: person.esirStart,
    esirEnd: person.esirEnd,
  };
}

export interface RegisterResidentInput {
  slackTeamId: string;
  slackUserId: string;
  displayName?: string | null;
  timeZone?: string | null;
  registration: RegistrationInput;
}

/** Registers a resident, or updates a resident's own registration. Staff keep their role. */
export async function registerResident(ctx: ServiceContext, input: RegisterResidentInput): Promise<Person> {
  const parsed = registrationSchema.safeParse(input.registration);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RuleViolationError([{ code: "invalid_registration", field: "track", message: `${issue.path.join(".") || "registration"}: ${issue.message}` }]);
  }

  const existing = await ctx.db.person.findUnique({
    where: { slackTeamId_slackUserId: { slackTeamId: input.slackTeamId, slackUserId: input.slackUserId } },
  });
  if (existing && existing.role !== "resident") {
    throw new NotAllowedError("You are registered as program staff. Ask your program director to change your role before you log cases.");
  }
  if (existing && isResident(existing)) {
    throw new NotAllowedError("You are already registered. Your program director changes track, PGY and dates with /caselog admin.");
  }

  const today = dateInTimeZone(ctx.now(), input.timeZone ?? ctx.config.CASELOG_DEFAULT_TIME_ZONE);
  const registrationProblem = checkRegistrationDates(parsed.data, today);
  if (registrationProblem) throw new RuleViolationError([registrationProblem]);

  const program = await ensureProgram(ctx, input.slackTeamId);
  const fields = {
    track: parsed.data.track,
    pgy: parsed.data.pgy,
    residencyStart: parsed.data.residencyStart,
    esirStart: parsed.data.esirStart ?? null,
    esirEnd: parsed.data.esirEnd ?? null,
    displayName: input.displayName ?? null,
    timeZone: input.timeZone ?? null,
  };

  return ctx.db.$transaction(async (tx) => {
    const person = existing
      ? await tx.person.update({ where: { id: existing.id }, data: fields })
      : await tx.person.create({
          data: { ...fields, programId: program.id, slackTeamId: input.slackTeamId, slackUserId: input.slackUserId, role: "resident" },
        });
    await auditPersonChange(tx, input.slackUserId, existing, person);
    return person;
  });
}

/**
 * Checks that a registration is consistent with today: a residency start at most a year ahead,
 * and a PGY level that was at least 1 when the residency started.
 */
export function checkRegistrationDates(registration: RegistrationInput, today: string): RuleViolation | null {
  if (registration.residencyStart > addDays(today, 366)) {
    return { code: "invalid_registration", field: "date", message: `residencyStart: ${registration.residencyStart} is more than a year ahead. Pick the first day of your radiology residency.` };
  }
  if (registration.esirStart && registration.esirStart < registration.residencyStart) {
    return { code: "invalid_registration", field: "date", message: `esirStart: the ESIR start ${registration.esirStart} is before the residency start ${registration.residencyStart}. Check both.` };
  }
  const pgyAtStart = pgyOn(registration.residencyStart, registration.pgy, today);
  if (pgyAtStart < 1) {
    return {
      code: "invalid_registration",
      field: "date",
      message: `residencyStart: PGY-${registration.pgy} today does not fit a residency start of ${registration.residencyStart}, which is ${1 - pgyAtStart} years before you would have been PGY-1. Check both.`,
    };
  }
  return null;
}

/** Writes the audit row of a person's creation (no `before`) or change, in the caller's transaction. */
export async function auditPersonChange(tx: Tx, actorSlackId: string, before: Person | null, after: Person): Promise<void> {
  await writeAudit(tx, {
    actorSlackId,
    action: before ? "update" : "create",
    entity: "person",
    entityId: after.id,
    before: before ? personSnapshot(before) : undefined,
    after: personSnapshot(after),
  });
}

export function personSnapshot(person: Person) {
  return {
    role: person.role,
    track: person.track,
    pgy: person.pgy,
    residencyStart: person.residencyStart,
    esirStart: person.esirStart,
    esirEnd: person.esirEnd,
    active: person.active,
  };
}

/**
 * Gives a Slack user of the actor's program a staff role; a user new to Caselog joins the
 * actor's program. Only an active program director or coordinator may, and only a program
 * director may make or change a program director. The last active program director of a
 * program keeps the role.
 */
export async function promote(ctx: ServiceContext, actor: Person, targetSlackUserId: string, role: string): Promise<Person> {
  if (!actor.active || (actor.role !== "program_director" && actor.role !== "coordinator")) {
    throw new NotAllowedError("Only a program director or coordinator can change roles.");
  }
  const parsedRole = staffRoleSchema.safeParse(role);
  if (!parsedRole.success) {
    throw new NotAllowedError(`"${role}" is not a role. Use supervisor, coordinator or program_director.`);
  }
  if (parsedRole.data === "program_director" && actor.role !== "program_director") {
    throw new NotAllowedError("Only a program director can make someone a program director.");
  }

  const where = { slackTeamId_slackUserId: { slackTeamId: actor.slackTeamId, slackUserId: targetSlackUserId } };
  return ctx.db.$transaction(async (tx) => {
    const before = await tx.person.findUnique({ where });
    if (before) await checkRoleChange(tx, actor, before, parsedRole.data);

    const person = before
      ? await tx.person.update({ where: { id: before.id }, data: { role: parsedRole.data } })
      : await tx.person.create({ data: { programId: actor.programId, slackTeamId: actor.slackTeamId, slackUserId: targetSlackUserId, role: parsedRole.data } });
    if (before?.role === "program_director" && person.role !== "program_director") await handOverDirectorSlot(tx, before);

    await auditPersonChange(tx, actor.slackUserId, before, person);
    return person;
  });
}

/** Rejects a role change of an existing person that the actor may not make, reading the program's directors from the database. */
async function checkRoleChange(tx: Tx, actor: Person, target: Person, role: StaffRole): Promise<void> {
  if (target.programId !== actor.programId) {
    throw new NotAllowedError(`<@${target.slackUserId}> belongs to another program. Only that program's director or coordinator can change their role.`);
  }
  if (target.role !== "program_director" || role === "program_director") return;

  if (actor.role !== "program_director") {
    throw new NotAllowedError(`<@${target.slackUserId}> is a program director. Only a program director can change a program director's role.`);
  }
  const otherDirectors = await tx.person.count({ where: { programId: target.programId, role: "program_director", active: true, id: { not: target.id } } });
  if (target.active && otherDirectors === 0) {
    throw new NotAllowedError(`<@${target.slackUserId}> is the program's last program director. Make someone else program director first, then change this role.`);
  }
}

/**
 * Points the program's stored director at another active program director when the stored one
 * loses the role, because isProgramDirector accepts the stored director whatever their role.
 */
async function handOverDirectorSlot(tx: Tx, former: Person): Promise<void> {
  const program = await tx.program.findUniqueOrThrow({ where: { id: former.programId } });
  if (program.directorSlackId !== former.slackUserId) return;
  const successor = await tx.person.findFirst({ where: { programId: program.id, role: "program_director", active: true }, orderBy: { id: "asc" } });
  await tx.program.update({ where: { id: program.id }, data: { directorSlackId: successor?.slackUserId ?? null } });
}

/** Normalizes the role words people type ("attending", "pd") to stored role names. */
export function roleFromWord(word: string | null): StaffRole | null {
  if (!word) return null;
  const normalized = word.toLowerCase().replace(/[\s-]+/g, "_");
  if (normalized === "attending" || normalized === "supervisor") return "supervisor";
  if (normalized === "coordinator") return "coordinator";
  if (["pd", "director", "program_director", "programdirector"].includes(normalized)) return "program_director";
  return null;
}

/** Stores the user's Slack time zone when it changed. */
export async function rememberTimeZone(ctx: ServiceContext, person: Person, timeZone: string): Promise<void> {
  if (person.timeZone === timeZone) return;
  await ctx.db.person.update({ where: { id: person.id }, data: { timeZone } });
}
