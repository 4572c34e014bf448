import { getProcedure } from "../../rules/catalogue.js";
import { DECISION_ACTIONS } from "../co-credit/ids.js";
import { type Blocks, actions, button, context, escapeMrkdwn, section } from "./blocks.js";
import { checkMessageBlocks } from "./limits.js";
import type { Reply } from "./messages.js";

/** Direct messages of the co-credit flow: the senior's card, the attending's card and notices. */

export interface CoCreditSummary {
  encounterId: number;
  juniorSlackId: string;
  juniorPgy: number | null;
  seniorSlackId: string;
  seniorPgy: number | null;
  attendingSlackId: string | null;
  performedOn: string;
  procedureIds: readonly string[];
}

function procedureList(procedureIds: readonly string[]): string {
  return procedureIds.map((id) => escapeMrkdwn(getProcedure(id).name)).join(", ");
}

function pgy(level: number | null): string {
  return level === null ? "" : ` (PGY-${level})`;
}

/** Describes the entry, its two residents and its date in one line. */
export function describeCoCredit(summary: CoCreditSummary): string {
  return `<@${summary.juniorSlackId}>${pgy(summary.juniorPgy)} performed *${procedureList(summary.procedureIds)}* on ${summary.performedOn} (entry #${summary.encounterId}) with <@${summary.seniorSlackId}>${pgy(summary.seniorPgy)} as the supervising senior resident.`;
}

function withBlocks(text: string, blocks: Blocks): Reply {
  return { text, blocks: checkMessageBlocks(blocks) };
}

/** Builds the senior's card, which confirms or declines supervising this minor procedure. */
export function seniorConfirmCard(summary: CoCreditSummary, value: string): Reply {
  const text = `Confirm your co-credit for entry #${summary.encounterId}`;
  return withBlocks(text, [
    section(`:handshake: *${text}*\n${describeCoCredit(summary)}`),
    context("Counting rule 1 lets a senior resident who supervised a junior's minor procedure count it too. Your credit counts only after you confirm and the attending approves."),
    actions([button("Confirm", DECISION_ACTIONS.seniorConfirm, value, "primary"), button("I did not supervise this", DECISION_ACTIONS.seniorDecline, value, "danger")]),
  ]);
}

/** The supervising attending's card: Approve, Needs info (with a note) or Decline. */
export function attendingDecisionCard(summary: CoCreditSummary, value: string): Reply {
  const text = `Approve a co-credit for entry #${summary.encounterId}`;
  return withBlocks(text, [
    section(`:clipboard: *${text}*\n${describeCoCredit(summary)}\nThe senior resident confirmed. You are named as the supervising attending.`),
    actions([
      button("Approve", DECISION_ACTIONS.coCreditApprove, value, "primary"),
      button("Needs info", DECISION_ACTIONS.coCreditNeedsInfo, value),
      button("Decline", DECISION_ACTIONS.coCreditDecline, value, "danger"),
    ]),
  ]);
}

const OUTCOME_WORDS: Record<string, string> = {
  approved: "Approved",
  needs_info: "Needs info",
  declined: "Declined",
  confirmed: "Confirmed",
  awaiting_attending: "Confirmed",
  cancelled: "Cancelled",
};

export function formatDecisionTime(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** A decided card, without buttons: what was decided, by whom and when. */
export function decidedCard(summary: CoCreditSummary, outcome: string, deciderSlackId: string, at: Date, note: string | null): Reply {
  const word = OUTCOME_WORDS[outcome] ?? outcome;
  const text = `${word} by <@${deciderSlackId}> at ${formatDecisionTime(at)}: co-credit for entry #${summary.encounterId}`;
  const blocks: Blocks = [section(`:white_check_mark: *${text}*\n${describeCoCredit(summary)}`)];
  if (note) blocks.push(section(`*Note:* ${escapeMrkdwn(note)}`));
  return withBlocks(text, blocks);
}

/** Tells both residents what the attending decided, with the note when there is one. */
export function coCreditOutcomeNotice(summary: CoCreditSummary, outcome: string, deciderSlackId: string, note: string | null): Reply {
  const consequence: Record<string, string> = {
    approved: `The encounter now counts for <@${summary.seniorSlackId}> too.`,
    needs_info: `The co-credit stays pending. <@${summary.juniorSlackId}> can answer by editing the entry, which sends it for confirmation again.`,
    declined: `Only <@${summary.juniorSlackId}>, the first operator, counts this encounter.`,
  };
  const word = (OUTCOME_WORDS[outcome] ?? outcome).toLowerCase();
  const text = `<@${deciderSlackId}> ${word === "needs info" ? "needs more information about" : word} the co-credit for entry #${summary.encounterId}. ${consequence[outcome] ?? ""}`;
  const blocks: Blocks = [section(text), context(describeCoCredit(summary))];
  if (note) blocks.splice(1, 0, section(`*Note from <@${deciderSlackId}>:* ${escapeMrkdwn(note)}`));
  return withBlocks(text, blocks);
}

/** Tells the junior that the named senior said they did not supervise the procedure. */
export function seniorDeclinedNotice(summary: CoCreditSummary): Reply {
  const text = `<@${summary.seniorSlackId}> declined the co-credit for entry #${summary.encounterId}. Your entry still counts for you as first operator.`;
  return withBlocks(text, [section(text), context(describeCoCredit(summary))]);
}

/** Tells the senior and the attending that the junior deleted a co-credited entry. */
export function coCreditDeletedNotice(summary: CoCreditSummary, status: string): Reply {
  const credit = status === "approved" ? "Your approved co-credit for it was removed with it" : "The pending co-credit for it was removed with it";
  const text = `<@${summary.juniorSlackId}> deleted entry #${summary.encounterId}. ${credit}, so it no longer counts for <@${summary.seniorSlackId}>.`;
  return withBlocks(text, [section(`:wastebasket: ${text}`), context(describeCoCredit(summary))]);
}

/** Tells the senior and the attending that an edit cancelled the co-credit (a procedure is no longer minor). */
export function coCreditCancelledNotice(summary: CoCreditSummary): Reply {
  const text = `<@${summary.juniorSlackId}> edited entry #${summary.encounterId} and it now includes a procedure that is not minor, so the co-credit for <@${summary.seniorSlackId}> was cancelled.`;
  return withBlocks(text, [section(text), context(describeCoCredit(summary))]);
}

/** A one-line ephemeral reply to a decision click. The text is Caselog's own, so mentions stay live. */
export function decisionNotice(text: string): Reply {
  return { text, blocks: [section(text)] };
}
