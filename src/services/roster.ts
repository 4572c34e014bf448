import type { Tx } from "../db/client.js";
import type { Person, Program } from "../generated/prisma/client.js";
import { isIsoDate, isValidTimeZone } from "../rules/academic-year.js";
import { registrationSchema } from "../rules/schemas.js";
import { writeAudit } from "./audit.js";
import type { ServiceContext } from "./context.js";
import { CaselogError, NotAllowedError, NotFoundError, StaleError } from "./errors.js";
import { auditPersonChange, isResident, personSnapshot, promote } from "./people.js";
import { parseReviewMonths } from "./reviews.js";

/** Lists a program's active, fully registered residents, ordered by PGY then name. */
export async function listResidents(ctx: ServiceContext, programId: number): Promise<Person[]> {
  const people = await ctx.db.person.findMany({
    where: { programId, role: "resident", active: true },
    orderBy: [{ pgy: "desc" }, { displayName: "asc" }, { id: "asc" }],
  });
  return people.filter(isResident);
}

export async function getProgram(ctx: ServiceContext, programId: number): Promise<Program> {
  return ctx.db.program.findUniqueOrThrow({ where: { id: programId } });
}

/** Returns true when `actor` directs or coordinates `programId`, so may see and manage its residents. */
export function managesProgram(actor: Person, programId: number): boolean {
  return actor.active && actor.programId === programId && (actor.role === "program_director" || actor.role === "coordinator");
}

/** Roster changes made by program directors and coordinators from Slack. */

export const RESIDENT_FIELDS = ["track", "pgy", "start", "graduation", "esir-start", "esir-end", "icu"] as const;
export type ResidentField = (typeof RESIDENT_FIELDS)[number];

function requireManager(actor: Person | null, programId: number): Person {
  if (!actor || !managesProgram(actor, programId)) {
    throw new NotAllowedError("Only the program's director or coordinator can change its roster or settings.");
  }
  return actor;
}

function invalid(message: string): CaselogError {
  return new CaselogError("invalid_roster_value", message);
}

const FIELD_LABELS: Record<string, string> = {
  track: "The track",
  pgy: "The PGY level",
  residencyStart: "The residency start",
  esirStart: "The ESIR start",
  esirEnd: "The ESIR end",
};

function checkProfile(fields: { track: string | null; pgy: number | null; residencyStart: string | null; esirStart: string | null; esirEnd: string | null }): void {
  const parsed = registrationSchema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = FIELD_LABELS[String(issue.path[0] ?? "")] ?? "The resident's profile";
    throw invalid(`${field} is invalid: ${issue.message}.`);
  }
}

async function findInTeam(ctx: ServiceContext, slackTeamId: string, slackUserId: string): Promise<Person | null> {
  return ctx.db.person.findUnique({ where: { slackTeamId_slackUserId: { slackTeamId, slackUserId } } });
}

async function saveAudited(ctx: ServiceContext, actor: Person, before: Person | null, write: (tx: Tx) => Promise<Person>): Promise<Person> {
  return ctx.db.$transaction(async (tx) => {
    const person = await write(tx);
    await auditPersonChange(tx, actor.slackUserId, before, person);
    return person;
  });
}

export interface AddResidentInput {
  slackUserId: string;
  track: string;
  pgy: number;
  residencyStart: string;
  expectedGraduation?: string | null;
}

/** Adds a resident to the actor's program, or re-adds and reactivates one already known. */
export async function addResident(ctx: ServiceContext, actor: Person | null, input: AddResidentInput): Promise<Person> {
  const manager = requireManager(actor, actor?.programId ?? -1);
  checkProfile({ track: input.track, pgy: input.pgy, residencyStart: input.residencyStart, esirStart: null, esirEnd: null });
  if (input.expectedGraduation && (!isIsoDate(input.expectedGraduation) || input.expectedGraduation <= input.residencyStart)) {
    throw invalid(`Expected graduation "${input.expectedGraduation}" must be a date written YYYY-MM-DD after the residency start.`);
  }

  const existing = await findInTeam(ctx, manager.slackTeamId, input.slackUserId);
  if (existing && existing.role !== "resident") {
    throw new NotAllowedError(`<@${input.slackUserId}> is registered as ${existing.role.replace("_", " ")}, not as a resident.`);
  }
  if (existing && existing.programId !== manager.programId) {
    throw new NotAllowedError(`<@${input.slackUserId}> belongs to another program. Their director can move them with \`/caselog admin move\`.`);
  }

  const fields = {
    track: input.track,
    pgy: input.pgy,
    residencyStart: input.residencyStart,
    expectedGraduation: input.expectedGraduation ?? existing?.expectedGraduation ?? null,
    active: true,
  };
  return saveAudited(ctx, manager, existing, (tx) =>
    existing
      ? tx.person.update({ where: { id: existing.id }, data: fields })
      : tx.person.create({ data: { ...fields, programId: manager.programId, slackTeamId: manager.slackTeamId, slackUserId: input.slackUserId, role: "resident" } }),
  );
}

async function managedResident(ctx: ServiceContext, actor: Person | null, slackUserId: string): Promise<{ manager: Person; resident: Person }> {
  const resident = actor ? await findInTeam(ctx, actor.slackTeamId, slackUserId) : null;
  if (!resident || resident.role !== "resident") throw new NotFoundError(`<@${slackUserId}> is not a resident in Caselog. Add them with \`/caselog admin add\`.`);
  return { manager: requireManager(actor, resident.programId), resident };
}

function parseBoolean(value: string): boolean {
  if (/^(yes|y|true|done|completed)$/i.test(value)) return true;
  if (/^(no|n|false|none)$/i.test(value)) return false;
  throw invalid(`"${value}" is not yes or no.`);
}

function dateOrNull(value: string, field: string): string | null {
  if (/^(none|clear|-)$/i.test(value)) return null;
  if (!isIsoDate(value)) throw invalid(`${field} "${value}" must be a date written YYYY-MM-DD, or "none".`);
  return value;
}

/** Changes one field of a resident's record: track, PGY, dates or the ICU rotation. */
export async function updateResident(ctx: ServiceContext, actor: Person | null, slackUserId: string, field: ResidentField, value: string): Promise<Person> {
  const { manager, resident } = await managedResident(ctx, actor, slackUserId);
  const data: Partial<Person> = {};
  if (field === "track") data.track = value.toLowerCase();
  if (field === "pgy") data.pgy = Number(value);
  if (field === "start") data.residencyStart = dateOrNull(value, "Residency start");
  if (field === "graduation") data.expectedGraduation = dateOrNull(value, "Expected graduation");
  if (field === "esir-start") data.esirStart = dateOrNull(value, "ESIR start");
  if (field === "esir-end") data.esirEnd = dateOrNull(value, "ESIR end");
  if (field === "icu") data.icuRotationCompleted = parseBoolean(value);

  const merged = { ...resident, ...data };
  checkProfile({ track: merged.track, pgy: merged.pgy, residencyStart: merged.residencyStart, esirStart: merged.esirStart, esirEnd: merged.esirEnd });
  return saveAudited(ctx, manager, resident, (tx) => tx.person.update({ where: { id: resident.id }, data }));
}

/** Deactivates a resident (kept with their log, left out of digests, reviews and nudges) or reactivates one. */
export async function setResidentActive(ctx: ServiceContext, actor: Person | null, slackUserId: string, active: boolean): Promise<Person> {
  const { manager, resident } = await managedResident(ctx, actor, slackUserId);
  return saveAudited(ctx, manager, resident, (tx) => tx.person.update({ where: { id: resident.id }, data: { active } }));
}

/**
 * Moves a resident to another program of the same workspace. Only a director or coordinator of
 * the resident's current program may. The destination program is not asked to consent. Its
 * roster lists the resident after the move, and the audit trail records both programs.
 */
export async function moveResident(ctx: ServiceContext, actor: Person | null, slackUserId: string, programName: string): Promise<{ resident: Person; program: Program }> {
  const { manager, resident } = await managedResident(ctx, actor, slackUserId);
  const program = await ctx.db.program.findUnique({ where: { slackTeamId_name: { slackTeamId: manager.slackTeamId, name: programName } } });
  if (!program) throw new NotFoundError(`No program is named "${programName}". \`/caselog admin programs\` lists them.`);
  if (program.id === resident.programId) throw invalid(`<@${slackUserId}> is already in ${program.name}.`);

  const moved = await ctx.db.$transaction(async (tx) => {
    // Both rows are read again inside the transaction, so a manager who lost the role or a resident
    // moved by someone else since the command started changes nothing.
    const currentManager = await tx.person.findUnique({ where: { id: manager.id } });
    if (!currentManager || !managesProgram(currentManager, resident.programId)) {
      throw new NotAllowedError("Only the program's director or coordinator can change its roster or settings.");
    }
    const claimed = await tx.person.updateMany({ where: { id: resident.id, programId: resident.programId, role: "resident" }, data: { programId: program.id } });
    if (claimed.count === 0) throw new StaleError(`<@${slackUserId}> changed programs or role while you moved them. Nothing was changed; check \`/caselog admin list\`.`);

    const person = await tx.person.findUniqueOrThrow({ where: { id: resident.id } });
    await writeAudit(tx, {
      actorSlackId: manager.slackUserId,
      action: "update",
      entity: "person",
      entityId: person.id,
      before: { ...personSnapshot(resident), programId: resident.programId },
      after: { ...personSnapshot(person), programId: person.programId },
    });
    return person;
  });
  ctx.logger.info({ residentId: resident.id, fromProgramId: resident.programId, toProgramId: program.id, actorSlackId: manager.slackUserId }, "resident moved to another program");
  return { resident: moved, program };
}

export async function listPrograms(ctx: ServiceContext, slackTeamId: string): Promise<Program[]> {
  return ctx.db.program.findMany({ where: { slackTeamId }, orderBy: { id: "asc" } });
}

/**
 * Creates a second program in the workspace (such as an IR program beside the DR program)
 * with its own director. Only a program director may. The director named must be new to
 * Caselog or a supervisor, who then moves to the new program.
 */
export async function createProgram(ctx: ServiceContext, actor: Person | null, input: { name: string; kind: string; directorSlackId: string }): Promise<Program> {
  if (!actor || !actor.active || actor.role !== "program_director") throw new NotAllowedError("Only a program director can create a program.");
  if (input.kind !== "dr" && input.kind !== "ir") throw invalid(`Program kind "${input.kind}" must be dr or ir.`);
  const name = input.name.trim();
  if (name.length === 0 || name.length > 120) throw invalid("A program name must have 1 to 120 characters.");

  const existingProgram = await ctx.db.program.findUnique({ where: { slackTeamId_name: { slackTeamId: actor.slackTeamId, name } } });
  if (existingProgram) throw invalid(`A program named "${name}" already exists.`);
  const director = await findInTeam(ctx, actor.slackTeamId, input.directorSlackId);
  await checkNewProgramDirector(ctx, actor, input.directorSlackId, director);

  const program = await ctx.db.$transaction(async (tx) => {
    const created = await tx.program.create({
      data: { slackTeamId: actor.slackTeamId, name, kind: input.kind, directorSlackId: input.directorSlackId, timeZone: (await tx.program.findUniqueOrThrow({ where: { id: actor.programId } })).timeZone },
    });
    let person: Person;
    if (director) {
      // Conditional on the supervisor still being in the actor's program, so a concurrent move or promotion wins.
      const claimed = await tx.person.updateMany({
        where: { id: director.id, programId: actor.programId, role: "supervisor" },
        data: { programId: created.id, role: "program_director" },
      });
      if (claimed.count === 0) throw new StaleError(`<@${input.directorSlackId}> changed program or role a moment ago. Nothing was created; try again.`);
      person = await tx.person.findUniqueOrThrow({ where: { id: director.id } });
    } else {
      person = await tx.person.create({ data: { programId: created.id, slackTeamId: actor.slackTeamId, slackUserId: input.directorSlackId, role: "program_director" } });
    }
    await writeAudit(tx, { actorSlackId: actor.slackUserId, action: director ? "update" : "create", entity: "person", entityId: person.id, before: director ? personSnapshot(director) : undefined, after: personSnapshot(person) });
    return created;
  });
  ctx.logger.info({ programId: program.id, actorSlackId: actor.slackUserId }, "program created");
  return program;
}

/**
 * Rejects a named director of a new program who already has a place elsewhere: anyone but a
 * supervisor of the actor's own program, the actor, a director or coordinator named in
 * configuration, or the stored director of another program.
 */
async function checkNewProgramDirector(ctx: ServiceContext, actor: Person, directorSlackId: string, director: Person | null): Promise<void> {
  if (directorSlackId === actor.slackUserId) {
    throw new NotAllowedError("You already direct a program. Name the new program's director.");
  }
  if (director && director.role !== "supervisor") {
    throw new NotAllowedError(`<@${directorSlackId}> is registered as ${director.role.replace("_", " ")} and cannot direct the new program.`);
  }
  if (director && director.programId !== actor.programId) {
    throw new NotAllowedError(`<@${directorSlackId}> is a supervisor of another program. Only a supervisor of your program, or someone new to Caselog, can direct the new program.`);
  }
  if (ctx.config.CASELOG_PROGRAM_DIRECTORS.includes(directorSlackId) || ctx.config.CASELOG_COORDINATORS.includes(directorSlackId)) {
    throw new NotAllowedError(`<@${directorSlackId}> is named as program staff in Caselog's configuration and cannot direct the new program.`);
  }
  const directed = await ctx.db.program.findFirst({ where: { slackTeamId: actor.slackTeamId, directorSlackId } });
  if (directed) {
    throw new NotAllowedError(`<@${directorSlackId}> is the director of ${directed.name} and cannot direct the new program.`);
  }
}

export const PROGRAM_SETTINGS = ["channel", "director", "tz", "reviews", "digest", "nudge"] as const;
export type ProgramSetting = (typeof PROGRAM_SETTINGS)[number];

/** Changes one setting of the actor's program; every value is validated before it is saved. */
export async function updateProgramSetting(ctx: ServiceContext, actor: Person | null, setting: ProgramSetting, value: string): Promise<Program> {
  const manager = requireManager(actor, actor?.programId ?? -1);
  const data: Partial<Program> = {};

  if (setting === "channel") {
    const channel = /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(value)?.[1] ?? (/^[CG][A-Z0-9]{2,}$/.test(value) ? value : null);
    if (!channel) throw invalid(`"${value}" is not a channel. Write it as #channel.`);
    data.channelId = channel;
  }
  if (setting === "director") {
    const director = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(value)?.[1];
    if (!director) throw invalid(`"${value}" is not a person. Write it as @name.`);
    if (manager.role !== "program_director") throw new NotAllowedError("Only a program director can hand the program to another director.");
    const existing = await findInTeam(ctx, manager.slackTeamId, director);
    if (existing && (existing.programId !== manager.programId || existing.role === "resident")) {
      throw new NotAllowedError(`<@${director}> is a ${existing.role.replace("_", " ")}${existing.programId !== manager.programId ? " of another program" : ""} and cannot direct this program.`);
    }
    // The new director gets the role too, so they can use /caselog admin and review logs.
    await promote(ctx, manager, director, "program_director");
    data.directorSlackId = director;
  }
  if (setting === "tz") {
    if (!isValidTimeZone(value)) throw invalid(`"${value}" is not an IANA time zone. Use a name such as America/Chicago.`);
    data.timeZone = value;
  }
  if (setting === "reviews") {
    try {
      data.reviewMonths = parseReviewMonths(value).join(",");
    } catch (error) {
      throw invalid((error as Error).message);
    }
  }
  if (setting === "digest") {
    if (!["weekly", "monthly", "off"].includes(value)) throw invalid(`Digest frequency "${value}" must be weekly, monthly or off.`);
    data.digestFrequency = value;
  }
  if (setting === "nudge") {
    const days = Number(value);
    if (value !== "off" && (!Number.isInteger(days) || days < 1 || days > 90)) throw invalid(`Nudge delay "${value}" must be a number of days from 1 to 90, or off.`);
    data.nudgeAfterDays = value === "off" ? null : days;
  }

  const program = await ctx.db.program.update({ where: { id: manager.programId }, data });
  ctx.logger.info({ programId: program.id, setting, actorSlackId: manager.slackUserId }, "program setting changed");
  return program;
}

/**
 * Returns the Slack user who receives the program's reminders: the director stored on the
 * program, else its earliest active program director (such as one named in configuration).
 */
export async function programDirectorSlackId(ctx: ServiceContext, program: Program): Promise<string | null> {
  if (program.directorSlackId) return program.directorSlackId;
  const director = await ctx.db.person.findFirst({ where: { programId: program.id, role: "program_director", active: true }, orderBy: { id: "asc" } });
  return director?.slackUserId ?? null;
}
