import { NotAllowedError, NotRegisteredError } from "../../services/errors.js";
import { assertCanViewLog, exportProgramLogCsv, exportProgressReport, exportResidentLogCsv, findResidentBySlackId, isProgramStaff } from "../../services/exports.js";
import type { SubcommandInput } from "../commands/subcommands.js";
import { replyForError } from "../entry-flow.js";
import { plainReply } from "../views/messages.js";
import { firstMention, mentionReply, sendFiles } from "./delivery.js";

/**
 * `/caselog export` sends the caller's own log (CSV) and progress report (PDF);
 * `/caselog export @resident` does the same for a resident of the caller's program and
 * `/caselog export program` sends the whole program's log, both for program staff only.
 */
export async function exportSubcommand(input: SubcommandInput): Promise<void> {
  const { deps, command, client, person, rest, today, respond } = input;
  try {
    if (!person) throw new NotRegisteredError();

    if (/^program\b/i.test(rest.trim())) {
      if (!isProgramStaff(person)) throw new NotAllowedError("Only program directors and coordinators can export the whole program's log.");
      await respond(plainReply("Preparing the program's log. It arrives in your direct messages with Caselog."));
      const file = await exportProgramLogCsv(deps.ctx, person);
      await sendFiles(deps, client, person.slackUserId, [file], "Case log of the whole program (CSV).");
      return;
    }

    const mention = firstMention(rest);
    const resident = mention && mention !== person.slackUserId ? await findResidentBySlackId(deps.ctx, person, mention) : person;
    if (resident.role !== "resident") {
      throw new NotAllowedError("You have no case log of your own. Write `/caselog export @resident` or `/caselog export program`.");
    }
    assertCanViewLog(person, resident);

    await respond(mentionReply(`Preparing the case log of <@${resident.slackUserId}>. It arrives in your direct messages with Caselog.`));
    const csv = await exportResidentLogCsv(deps.ctx, person, resident);
    const pdf = await exportProgressReport(deps.ctx, person, resident, today);
    await sendFiles(deps, client, person.slackUserId, [pdf, csv], `Case log and progress report of ${resident.displayName ?? resident.slackUserId}.`);
  } catch (error) {
    await respond(replyForError(deps, error, { slackUserId: command.user_id }));
  }
}
