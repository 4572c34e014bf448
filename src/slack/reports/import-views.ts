import type { ModalView } from "@slack/types";
import { option, plain, section } from "../views/blocks.js";
import { checkView } from "../views/limits.js";
import { IMPORT_BLOCKS, REPORT_CALLBACKS } from "./ids.js";

/** The import modal: paste a CSV, choose what it contains and whether to store it. */

/** Slack's limit on a plain_text_input's max_length; longer files go through the command line tool. */
export const MAX_PASTED_CSV = 3000;

export function importModal(privateMetadata: string, residentLabel: string): ModalView {
  return checkView({
    type: "modal",
    callback_id: REPORT_CALLBACKS.import,
    title: plain("Import a case log"),
    submit: plain("Check"),
    close: plain("Cancel"),
    private_metadata: privateMetadata,
    blocks: [
      section(
        `Importing into ${residentLabel}. Paste a CSV with a header row. Encounters need \`date\` and \`procedures\` columns (optional: role, supervisor, notes); RIS exports need \`exam_date\` and \`exam_description\`. Every cell passes the patient-identifier check.`,
      ),
      {
        type: "input",
        block_id: IMPORT_BLOCKS.kind,
        label: plain("The file holds"),
        element: {
          type: "radio_buttons",
          action_id: "value",
          initial_option: option("Procedure and clinic encounters", "log"),
          options: [option("Procedure and clinic encounters", "log"), option("Diagnostic imaging exams from a RIS export", "ris")],
        },
      },
      {
        type: "input",
        block_id: IMPORT_BLOCKS.csv,
        label: plain("CSV"),
        hint: plain(`At most ${MAX_PASTED_CSV} characters here; import larger files with the caselog command line tool.`),
        element: { type: "plain_text_input", action_id: "value", multiline: true, max_length: MAX_PASTED_CSV },
      },
      {
        type: "input",
        block_id: IMPORT_BLOCKS.mode,
        label: plain("Store"),
        element: {
          type: "radio_buttons",
          action_id: "value",
          initial_option: option("Nothing: dry run, report only", "dry_run"),
          options: [
            option("Nothing: dry run, report only", "dry_run"),
            option("Everything, only if every row is valid", "all_or_nothing"),
            option("Only the valid rows", "valid_rows"),
          ],
        },
      },
    ],
  });
}

/** Builds the modal shown after a check or an import, with the report as preformatted text. */
export function importResultModal(title: string, report: string): ModalView {
  const limit = 2900;
  const shown = report.length > limit ? `${report.slice(0, limit)}\n… (report cut; run the command line tool for the full list)` : report;
  return checkView({
    type: "modal",
    title: plain(title),
    close: plain("Close"),
    blocks: [section(`\`\`\`${shown.replace(/```/g, "'''")}\`\`\``)],
  });
}
