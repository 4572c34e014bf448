import type { Person, Program } from "../generated/prisma/client.js";
import { TRACKS, type ResidentProfile, type Track } from "../rules/counting.js";
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

/** The role configuration gives a Slack user, if any. */
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

/** The rules module's view of a resident; throws NotRegisteredError for anyone else. */
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
    await writeAudit(tx, {
      actorSlackId: input.slackUserId,
      action: existing ? "update" : "create",
      entity: "person",
      entityId: person.id,
      before: existing ? personSnapshot(existing) : undefined,
      after: personSnapshot(person),
    });
    return person;
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

/** Gives another Slack user a staff role. Only program directors and coordinators may. */
export async function promote(ctx: ServiceContext, actor: Person, targetSlackUserId: string, role: string): Promise<Person> {
  if (actor.role !== "program_director" && actor.role !== "coordinator") {
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
    const person = await tx.person.upsert({
      where,
      update: { role: parsedRole.data },
      create: { programId: actor.programId, slackTeamId: actor.slackTeamId, slackUserId: targetSlackUserId, role: parsedRole.data },
    });
    await writeAudit(tx, {
      actorSlackId: actor.slackUserId,
      action: before ? "update" : "create",
      entity: "person",
      entityId: person.id,
      before: before ? personSnapshot(before) : undefined,
      after: personSnapshot(person),
    });
    return person;
  });
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
