import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { parseCommandText } from "../../entry/parse-text.js";
import { findPatientIdentifier, patientIdentifierMessage } from "../../rules/privacy.js";
import { drCategory } from "../../rules/taxonomy.js";
import { setDrCount } from "../../services/dr-counts.js";
import { findPerson, isResident, promote, roleFromWord } from "../../services/people.js";
import { getProgress } from "../../services/progress.js";
import { responderFor, type SlackDeps } from "../context.js";
import { handleEncounterText, replyForError, showEntryModal } from "../entry-flow.js";
import type { RegistrationMetadata } from "../payloads.js";
import { drCountReply, helpReply, plainReply, registerPromptReply } from "../views/messages.js";
import { loadingModal, messageModal, registrationModal } from "../views/modals.js";
import { progressBlocks } from "../views/progress.js";
import { MAX_COMMAND_TEXT_LENGTH } from "../../entry/parse-text.js";
import { ACTIONS } from "../ids.js";

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * `/caselog [text]`. Acknowledges at once, then replies through the response_url. With no
 * text it opens the entry modal; a new user gets the registration modal first.
 */
export function caselogCommand(deps: SlackDeps) {
  return async ({ command, ack, client }: CommandArgs): Promise<void> => {
    await ack();

    // The trigger_id expires 3 seconds after the command, so the form opens outside the queue.
    if ((command.text ?? "").trim() === "") {
      await openEntryForm(deps, command, client);
      return;
    }
    await deps.work.run(() => handleCommandText(deps, command, client));
  };
}

async function openEntryForm(deps: SlackDeps, command: CommandArgs["command"], client: CommandArgs["client"]): Promise<void> {
  const respond = responderFor(deps, command.response_url);
  try {
    // Open the modal before any database work, then fill it.
    const opened = await client.views.open({ trigger_id: command.trigger_id, view: loadingModal() });
    const viewId = opened.view?.id;
    if (!viewId) return;

    const person = await findPerson(deps.ctx, command.team_id, command.user_id);
    if (person && !isResident(person)) {
      await client.views.update({ view_id: viewId, view: messageModal(`You are registered as ${person.role.replace("_", " ")}. Only residents log cases.`) });
      return;
    }
    if (!person) {
      await client.views.update({ view_id: viewId, view: registrationModal(JSON.stringify({ responseUrl: command.response_url } satisfies RegistrationMetadata)) });
      return;
    }
    const timeZone = await deps.timeZones.lookup(deps, client, command.user_id, person);
    await showEntryModal(client, { viewId }, { resident: person, timeZone, today: deps.timeZones.today(deps, timeZone), responseUrl: command.response_url });
  } catch (error) {
    await respond(replyForError(deps, error, { slackUserId: command.user_id, slackTeamId: command.team_id }));
  }
}

async function handleCommandText(deps: SlackDeps, command: CommandArgs["command"], client: CommandArgs["client"]): Promise<void> {
  const respond = responderFor(deps, command.response_url);
  const ids = { slackUserId: command.user_id, slackTeamId: command.team_id };
  const text = command.text ?? "";

  try {
    if (text.length > MAX_COMMAND_TEXT_LENGTH) {
      await respond(plainReply(`Nothing was saved: the text is ${text.length} characters long, and /caselog accepts at most ${MAX_COMMAND_TEXT_LENGTH}. Log one encounter per command.`));
      return;
    }

    const person = await findPerson(deps.ctx, command.team_id, command.user_id);
    const timeZone = await deps.timeZones.lookup(deps, client, command.user_id, person);
    const today = deps.timeZones.today(deps, timeZone);

    // Every subcommand's text passes the patient-identifier guard too.
    const subcommand = deps.subcommands.match(text);
    const finding = subcommand ? findPatientIdentifier(text) : null;
    if (finding) {
      await respond(plainReply(patientIdentifierMessage(finding)));
      return;
    }
    if (subcommand) {
      await subcommand.handler({ deps, command, client, person, rest: subcommand.rest, timeZone, today, respond });
      return;
    }

    const parsed = parseCommandText(text, deps.ctx.now(), timeZone);

    if (parsed.kind === "patient_identifier") {
      deps.ctx.logger.info({ ...ids, kind: parsed.finding.kind }, "patient identifier rejected");
      await respond(plainReply(patientIdentifierMessage(parsed.finding)));
      return;
    }
    if (parsed.kind === "help") {
      await respond(helpReply());
      return;
    }
    if (parsed.kind === "too_long") {
      await respond(plainReply(`Nothing was saved: the text is ${parsed.length} characters long, and /caselog accepts at most ${MAX_COMMAND_TEXT_LENGTH}.`));
      return;
    }

    if (parsed.kind === "promote") {
      if (!person) {
        await respond(plainReply("Only a program director or coordinator can change roles."));
        return;
      }
      const role = roleFromWord(parsed.role);
      if (!parsed.slackUserId || !role) {
        await respond(plainReply("Write it as `/caselog promote @person supervisor` (or coordinator, or program_director)."));
        return;
      }
      await promote(deps.ctx, person, parsed.slackUserId, role);
      await respond(plainReply(`<@${parsed.slackUserId}> is now a ${role.replace("_", " ")}.`));
      return;
    }

    if (!person || !isResident(person)) {
      await askToRegister(deps, client, command.trigger_id, text, command.response_url, respond, command.user_id);
      return;
    }

    if (parsed.kind === "progress") {
      const progress = await getProgress(deps.ctx, person);
      const blocks = progressBlocks(progress, `<@${person.slackUserId}>`);
      await respond({ text: `Case log progress: ${progress.encounters.all} encounters`, blocks });
      return;
    }
    if (parsed.kind === "dr_invalid") {
      await respond(plainReply(`Nothing was saved. ${parsed.problem}`));
      return;
    }
    if (parsed.kind === "dr_count") {
      const dateInYear = parsed.performedOn ?? today;
      if (dateInYear > today) {
        await respond(plainReply(`Nothing was saved: ${dateInYear} is in the future. Give a date in the academic year the count covers, or none for this year.`));
        return;
      }
      const result = await setDrCount(deps.ctx, { resident: person, category: parsed.category, count: parsed.count, dateInYear, actorSlackId: command.user_id });
      await respond(drCountReply(parsed.category, result.academicYear, result.before, result.after, drCategory(parsed.category).minimum));
      return;
    }
    if (parsed.kind === "empty") return;

    await handleEncounterText(deps, { resident: person, parsed, today, sourceKey: `slash:${command.trigger_id}`, respond });
  } catch (error) {
    await respond(replyForError(deps, error, ids));
  }
}

/** Opens the registration modal, keeping the command's text to log once registered. */
async function askToRegister(
  deps: SlackDeps,
  client: CommandArgs["client"],
  triggerId: string,
  pendingText: string,
  responseUrl: string,
  respond: ReturnType<typeof responderFor>,
  slackUserId: string,
): Promise<void> {
  const metadata: RegistrationMetadata = { pendingText, responseUrl };
  try {
    await client.views.open({ trigger_id: triggerId, view: registrationModal(JSON.stringify(metadata)) });
  } catch (error) {
    deps.ctx.logger.warn({ err: error, slackUserId }, "registration modal could not be opened");
    await respond(registerPromptReply(deps.signed.sign({ u: slackUserId, t: pendingText })));
  }
}

export { ACTIONS };
