import type { App } from "@slack/bolt";
import type { SlackDeps } from "../context.js";
import { esirSignButton, esirSubcommand, esirUnlockButton } from "./esir.js";
import { exportSubcommand } from "./export.js";
import { REPORT_ACTIONS, REPORT_CALLBACKS } from "./ids.js";
import { importSubcommand, importSubmission } from "./import.js";
import { worklistMarkButton, worklistSubcommand } from "./worklist.js";

/** Registers the reports feature: ESIR form, ACGME worklist, exports and imports. */
export function registerReports(app: App, deps: SlackDeps): void {
  deps.subcommands.register("esir", esirSubcommand);
  deps.subcommands.register("worklist", worklistSubcommand);
  deps.subcommands.register("export", exportSubcommand);
  deps.subcommands.register("import", importSubcommand);

  app.action(REPORT_ACTIONS.esirSign, esirSignButton(deps));
  app.action(REPORT_ACTIONS.esirUnlock, esirUnlockButton(deps));
  app.action(REPORT_ACTIONS.worklistMark, worklistMarkButton(deps));
  app.action(REPORT_ACTIONS.worklistMarkAll, worklistMarkButton(deps));

  app.view(REPORT_CALLBACKS.import, importSubmission(deps));
}
