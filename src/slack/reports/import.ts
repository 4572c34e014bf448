import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { encounterImportReport, risImportReport } from "../../import/report.js";
import { defaultRisMapping } from "../../import/ris.js";
import { NotAllowedError, NotRegisteredError } from "../../services/errors.js";
import { findResidentBySlackId, assertCanViewLog } from "../../services/exports.js";
import { importEncounters, importRisCounts, type ImportMode } from "../../services/imports.js";
import { findPerson } from "../../services/people.js";
import type { SubcommandInput } from "../commands/subcommands.js";
import { replyForError } from "../entry-flow.js";
import { loadingModal, messageModal } from "../views/modals.js";
import { firstMention } from "./delivery.js";
import { IMPORT_BLOCKS, importMetadataSchema } from "./ids.js";
import { importModal, importResultModal } from "./import-views.js";

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const MODES: readonly ImportMode[] = ["dry_run", "all_or_nothing", "valid_rows"];

/** `/caselog import [@resident]` opens the import modal; staff may name a resident of their program. */
export async function importSubcommand(input: SubcommandInput): Promise<void> {
  const { deps, command, client, person, rest, timeZone, respond } = input;
  try {
    if (!person) throw new NotRegisteredError();
    const mention = firstMention(rest);
    const resident = mention && mention !== person.slackUserId ? await findResidentBySlackId(deps.ctx, person, mention) : person;
    if (resident.role !== "resident") {
      throw new NotAllowedError("You have no case log of your own. Write `/caselog import @resident` to import into a resident's log.");
    }
    assertCanViewLog(person, resident);

    const metadata = JSON.stringify({ r: resident.slackUserId, tz: timeZone });
    const label = resident.id === person.id ? "your own case log" : `the case log of <@${resident.slackUserId}>`;
    await client.views.open({ trigger_id: command.trigger_id, view: importModal(metadata, label) });
  } catch (error) {
    await respond(replyForError(deps, error, { slackUserId: command.user_id }));
  }
}

/** Acknowledges the import modal's submission with a loading view, then updates it with the report. */
export function importSubmission(deps: SubcommandInput["deps"]) {
  return async ({ ack, body, view, client }: SubmitArgs): Promise<void> => {
    const values = view.state.values;
    const csv = values[IMPORT_BLOCKS.csv]?.value?.value ?? "";
    const kind = values[IMPORT_BLOCKS.kind]?.value?.selected_option?.value === "ris" ? "ris" : "log";
    const modeValue = values[IMPORT_BLOCKS.mode]?.value?.selected_option?.value ?? "dry_run";
    const mode = MODES.find((entry) => entry === modeValue) ?? "dry_run";

    if (!csv.trim()) {
      await ack({ response_action: "errors", errors: { [IMPORT_BLOCKS.csv]: "Paste the CSV, header row first." } });
      return;
    }
    const metadata = importMetadataSchema.safeParse(JSON.parse(view.private_metadata || "{}"));
    await ack({ response_action: "update", view: loadingModal() });

    const ids = { slackUserId: body.user.id, kind, mode };
    try {
      if (!metadata.success) throw new Error("import modal metadata invalid");
      const actor = await findPerson(deps.ctx, body.team?.id ?? body.user.team_id ?? "", body.user.id);
      if (!actor) throw new NotRegisteredError();
      const resident = metadata.data.r === actor.slackUserId ? actor : await findResidentBySlackId(deps.ctx, actor, metadata.data.r);
      const data = Buffer.from(csv, "utf8");
      const today = deps.timeZones.today(deps, metadata.data.tz);

      const report =
        kind === "log"
          ? encounterImportReport(await importEncounters(deps.ctx, { actor, resident, data, mode, today, timeZone: metadata.data.tz }), 40)
          : risImportReport(await importRisCounts(deps.ctx, { actor, resident, data, mode, mapping: defaultRisMapping() }), 40);
      await client.views.update({ view_id: view.id, view: importResultModal(mode === "dry_run" ? "Import check" : "Import result", report) });
    } catch (error) {
      const reply = replyForError(deps, error, ids);
      await client.views.update({ view_id: view.id, view: messageModal(reply.text) });
    }
  };
}
