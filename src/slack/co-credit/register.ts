import type { App } from "@slack/bolt";
import { startVerificationBatchJob } from "../../jobs/verification-batches.js";
import { setCoCreditNotifier } from "../../services/co-credit.js";
import type { SlackDeps } from "../context.js";
import { DECISION_ACTIONS, DECISION_CALLBACKS } from "./ids.js";
import { approveAllButton, decisionButton, needsInfoButton, noteSubmission, seniorButton } from "./listeners.js";
import { createCoCreditNotifier } from "./notifier.js";

/**
 * Registers the co-credit and verification buttons, the note modal and the co-credit
 * notifier, and starts the periodic verification batch check.
 */
export function registerCoCredit(app: App, deps: SlackDeps): void {
  setCoCreditNotifier(deps.ctx, createCoCreditNotifier(deps, app.client));

  app.action(DECISION_ACTIONS.seniorConfirm, seniorButton(deps, true));
  app.action(DECISION_ACTIONS.seniorDecline, seniorButton(deps, false));

  app.action(DECISION_ACTIONS.coCreditApprove, decisionButton(deps, "approved"));
  app.action(DECISION_ACTIONS.coCreditDecline, decisionButton(deps, "declined"));
  app.action(DECISION_ACTIONS.coCreditNeedsInfo, needsInfoButton(deps));

  app.action(DECISION_ACTIONS.verifyApprove, decisionButton(deps, "approved"));
  app.action(DECISION_ACTIONS.verifyDecline, decisionButton(deps, "declined"));
  app.action(DECISION_ACTIONS.verifyNeedsInfo, needsInfoButton(deps));
  app.action(DECISION_ACTIONS.verifyApproveAll, approveAllButton(deps));

  app.view(DECISION_CALLBACKS.note, noteSubmission(deps));

  startVerificationBatchJob(deps, app.client);
}
