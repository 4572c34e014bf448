import { CaselogError } from "../../services/errors.js";
import { promote, roleFromWord } from "../../services/people.js";
import {
  PROGRAM_SETTINGS,
  RESIDENT_FIELDS,
  addResident,
  createProgram,
  getProgram,
  listPrograms,
  listResidents,
  managesProgram,
  moveResident,
  setResidentActive,
  updateProgramSetting,
  updateResident,
  type ProgramSetting,
  type ResidentField,
} from "../../services/roster.js";
import type { SubcommandInput } from "../commands/subcommands.js";
import { republishHome } from "../home/publish.js";
import type { Reply } from "../views/messages.js";
import { adminHelpReply, programReply, programsReply, rosterReply, textReply } from "../views/admin.js";

const MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;

/** Splits command text into words, keeping "quoted names" together. */
export function splitWords(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2]!);
}

function mentioned(word: string | undefined): string | null {
  return word ? (MENTION.exec(word)?.[1] ?? null) : null;
}

const USAGE = "Type `/caselog admin help` for the commands and their arguments.";

/**
 * `/caselog admin ...`: roster and program settings for program directors and coordinators.
 * Every change is checked by the roster service, which also enforces who may make it.
 */
export async function adminCommand(input: SubcommandInput): Promise<void> {
  const { deps, person, respond } = input;
  const [verb = "help", ...args] = splitWords(input.rest);
  const ctx = deps.ctx;

  if (!person || !managesProgram(person, person.programId)) {
    await respond(textReply("Only a program director or coordinator can use `/caselog admin`. Ask your program director to promote you."));
    return;
  }

  try {
    const reply = await runAdmin(input, verb.toLowerCase(), args);
    await respond(reply);
    await republishHome(deps, input.client, person.slackTeamId, person.slackUserId);
  } catch (error) {
    if (!(error instanceof CaselogError)) {
      ctx.logger.error({ err: error, slackUserId: person.slackUserId, verb }, "admin command failed");
      await respond(textReply("The change failed because of an error on Caselog's side. Nothing was saved; try again in a minute."));
      return;
    }
    ctx.logger.info({ slackUserId: person.slackUserId, verb, code: error.code }, "admin command rejected");
    await respond(textReply(`Nothing was changed. ${error.userMessage}`));
  }
}

async function runAdmin(input: SubcommandInput, verb: string, args: string[]): Promise<Reply> {
  const { deps, person } = input;
  const ctx = deps.ctx;
  const actor = person!;
  const target = mentioned(args[0]);

  switch (verb) {
    case "help":
      return adminHelpReply();

    case "list": {
      const program = await getProgram(ctx, actor.programId);
      return rosterReply(program, await listResidents(ctx, program.id));
    }

    case "add": {
      const [, track, pgy, start, graduation] = args;
      if (!target || !track || !pgy || !start) return textReply(`Write it as \`/caselog admin add @resident ir_integrated 3 2024-07-01 [2029-06-30]\`. ${USAGE}`);
      const resident = await addResident(ctx, actor, { slackUserId: target, track: track.toLowerCase(), pgy: Number(pgy), residencyStart: start, expectedGraduation: graduation ?? null });
      return textReply(`<@${resident.slackUserId}> is on the roster: ${resident.track}, PGY-${resident.pgy}, residency start ${resident.residencyStart}.`);
    }

    case "set": {
      const [, field = "", ...value] = args;
      if (!target || !RESIDENT_FIELDS.includes(field as ResidentField) || value.length === 0) {
        return textReply(`Write it as \`/caselog admin set @resident <field> <value>\` with a field among ${RESIDENT_FIELDS.join(", ")}. ${USAGE}`);
      }
      const resident = await updateResident(ctx, actor, target, field as ResidentField, value.join(" "));
      await republishHome(deps, input.client, resident.slackTeamId, resident.slackUserId);
      return textReply(`Updated <@${resident.slackUserId}>: ${field} is now ${value.join(" ")}.`);
    }

    case "deactivate":
    case "activate": {
      if (!target) return textReply(`Write it as \`/caselog admin ${verb} @resident\`.`);
      const resident = await setResidentActive(ctx, actor, target, verb === "activate");
      return textReply(`<@${resident.slackUserId}> is ${resident.active ? "active again" : "deactivated: their log is kept, and digests, reviews and reminders leave them out"}.`);
    }

    case "promote": {
      const role = roleFromWord(args[1] ?? null);
      if (!target || !role) return textReply("Write it as `/caselog admin promote @person supervisor` (or coordinator, or program_director).");
      await promote(ctx, actor, target, role);
      return textReply(`<@${target}> is now a ${role.replace("_", " ")}.`);
    }

    case "move": {
      const programName = args[1];
      if (!target || !programName) return textReply('Write it as `/caselog admin move @resident "IR Residency"`.');
      const moved = await moveResident(ctx, actor, target, programName);
      return textReply(`<@${moved.resident.slackUserId}> moved to ${moved.program.name}.`);
    }

    case "programs":
      return programsReply(await listPrograms(ctx, actor.slackTeamId));

    case "program":
      return runProgram(input, args);

    default:
      return textReply(`"${verb}" is not an admin command. ${USAGE}`);
  }
}

async function runProgram(input: SubcommandInput, args: string[]): Promise<Reply> {
  const ctx = input.deps.ctx;
  const actor = input.person!;
  const [setting = "", ...rest] = args;

  if (setting === "") return programReply(await getProgram(ctx, actor.programId));

  if (setting === "add") {
    const [name, kind, director] = rest;
    const directorSlackId = mentioned(director);
    if (!name || !kind || !directorSlackId) return textReply('Write it as `/caselog admin program add "IR Residency" ir @director`.');
    const program = await createProgram(ctx, actor, { name, kind: kind.toLowerCase(), directorSlackId });
    return textReply(`Created ${program.name} with <@${directorSlackId}> as program director. They set its channel and schedule with \`/caselog admin program\`.`);
  }

  if (!PROGRAM_SETTINGS.includes(setting as ProgramSetting) || rest.length === 0) {
    return textReply(`Write it as \`/caselog admin program <setting> <value>\` with a setting among ${PROGRAM_SETTINGS.join(", ")}, or \`program add\`. ${USAGE}`);
  }
  const program = await updateProgramSetting(ctx, actor, setting as ProgramSetting, rest.join(" "));
  return programReply(program, `Saved ${setting}.`);
}
