import type { EsirVerification } from "../../generated/prisma/client.js";
import { lastDayOf, notEligibleText } from "../../reports/esir-form.js";
import type { EsirSummary } from "../../services/esir.js";
import { REPORT_ACTIONS } from "../reports/ids.js";
import { actions, button, context, escapeMrkdwn, header, section, type Blocks } from "./blocks.js";
import { checkMessageBlocks } from "./limits.js";
import type { Reply } from "./messages.js";

/** Messages of the ESIR verification flow, sent to the program director. */

export interface EsirButtons {
  /** Signed value of the Sign button; null when the form cannot be signed now. */
  sign: string | null;
  /** Signed value of the Unlock button; null when no signed form is in force. */
  unlock: string | null;
}

function periodText(summary: EsirSummary): string {
  return `${summary.form.period.from} to ${lastDayOf(summary.form.period)}`;
}

function signedLine(verification: EsirVerification): string {
  return `Signed by <@${verification.signedBySlackId}> on ${verification.signedAt.toISOString().slice(0, 10)}; ${verification.totalEncounters} encounters are locked.`;
}

/** Builds the director's summary of a form: eligibility, totals and the Sign or Unlock button. */
export function esirSummaryMessage(summary: EsirSummary, residentSlackId: string, buttons: EsirButtons): Reply {
  const { form } = summary;
  const warning = notEligibleText(form);
  const blocks: Blocks = [
    header(`ESIR verification: ${form.residentName}`),
    section(
      [
        `*Resident:* <@${residentSlackId}>`,
        `*ESIR period:* ${periodText(summary)}`,
        `*Credited patient procedural encounters:* ${form.creditedTotal} of 500`,
        `*Pending verification:* ${form.pendingTotal}`,
        `*ICU rotation completed:* ${form.icuRotationCompleted ? "yes" : "no"}`,
      ].join("\n"),
    ),
  ];
  if (warning) blocks.push(section(`:warning: ${escapeMrkdwn(warning)}`));
  else if (!summary.verification) blocks.push(section("The resident meets the ESIR minimum. Review the attached form and log, then sign."));
  if (summary.verification) blocks.push(section(signedLine(summary.verification)));

  const elements = [];
  if (buttons.sign) elements.push(button("Sign ESIR form", REPORT_ACTIONS.esirSign, buttons.sign, "primary"));
  if (buttons.unlock) elements.push(button("Unlock encounters", REPORT_ACTIONS.esirUnlock, buttons.unlock, "danger"));
  if (elements.length > 0) blocks.push(actions(elements));
  blocks.push(context("The form (PDF, with the detailed log attached) and the log (CSV) are attached above."));

  const text = warning ?? `ESIR verification for ${form.residentName}: ${form.creditedTotal} credited encounters.`;
  return { text, blocks: checkMessageBlocks(blocks) };
}

export function esirSignedMessage(verification: EsirVerification, residentSlackId: string, unlockValue: string): Reply {
  const blocks: Blocks = [
    section(`:white_check_mark: ESIR verification for <@${residentSlackId}> signed. ${signedLine(verification)} The signed form is attached above.`),
    actions([button("Unlock encounters", REPORT_ACTIONS.esirUnlock, unlockValue, "danger")]),
  ];
  return { text: `ESIR verification signed: ${verification.totalEncounters} encounters locked.`, blocks: checkMessageBlocks(blocks) };
}

export function esirUnlockedMessage(verification: EsirVerification, residentSlackId: string): Reply {
  const text = `ESIR verification #${verification.id} for <@${residentSlackId}> unlocked by <@${verification.unlockedBySlackId}>. The resident can change those entries again; run /caselog esir <@${residentSlackId}> to make and sign a new form.`;
  return { text, blocks: [section(text)] };
}
