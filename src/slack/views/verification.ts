import type { ModalView } from "@slack/types";
import { getProcedure } from "../../rules/catalogue.js";
import { MAX_DECISION_NOTE_LENGTH } from "../../services/verification.js";
import { DECISION_ACTIONS, DECISION_BLOCKS, DECISION_CALLBACKS } from "../co-credit/ids.js";
import { type Blocks, actions, button, context, escapeMrkdwn, header, plain, section } from "./blocks.js";
import { formatDecisionTime } from "./co-credit.js";
import { checkMessageBlocks, checkView } from "./limits.js";
import type { Reply } from "./messages.js";

/** The attending's verification batch message and the note modal shared with co-credit decisions. */

export interface BatchItem {
  encounterId: number;
  /** Null when the resident deleted the entry after the batch was sent. */
  entry: {
    residentSlackId: string;
    performedOn: string;
    procedureIds: readonly string[];
    notes: string | null;
    verification: string;
    version: number;
    verifiedBySlackId: string | null;
    verifiedAt: Date | null;
    verificationNote: string | null;
  } | null;
  /** The entry's version when the batch was sent. */
  sentVersion: number;
  /** Signed value for this entry's buttons. */
  value: string;
}

const STATE_WORDS: Record<string, string> = { verified: "Verified", needs_info: "Needs info", declined: "Declined" };

function itemLine(item: BatchItem): string {
  const entry = item.entry!;
  const procedures = entry.procedureIds.map((id) => escapeMrkdwn(getProcedure(id).name)).join(", ");
  const notes = entry.notes ? `\n_${escapeMrkdwn(entry.notes)}_` : "";
  return `*#${item.encounterId}* <@${entry.residentSlackId}>: ${procedures} on ${entry.performedOn}${notes}`;
}

/**
 * Builds one batch message: each entry with Approve, Needs info and Decline, and Approve all for
 * the entries still pending. Decided entries show who decided and when, without buttons.
 */
export function verificationBatchCard(input: { requestId: number; items: BatchItem[]; approveAllValue: string }): Reply {
  const pending = input.items.filter((item) => item.entry?.verification === "pending" && item.entry.version === item.sentVersion);
  const text = pending.length > 0 ? `${pending.length} case log ${pending.length === 1 ? "entry waits" : "entries wait"} for your verification` : "Every entry of this batch is decided";
  const blocks: Blocks = [header(text)];

  for (const item of input.items) {
    if (!item.entry) {
      blocks.push(context(`#${item.encounterId}: deleted by the resident after this message was sent.`));
      continue;
    }
    const line = itemLine(item);
    if (item.entry.version !== item.sentVersion) {
      blocks.push(section(`${line}\n:pencil2: Edited after this message was sent; it will come back in a later batch.`));
      continue;
    }
    const word = STATE_WORDS[item.entry.verification];
    if (word && item.entry.verifiedBySlackId && item.entry.verifiedAt) {
      const note = item.entry.verificationNote ? `\n*Note:* ${escapeMrkdwn(item.entry.verificationNote)}` : "";
      blocks.push(section(`${line}\n:white_check_mark: ${word} by <@${item.entry.verifiedBySlackId}> at ${formatDecisionTime(item.entry.verifiedAt)}${note}`));
      continue;
    }
    blocks.push(section(line));
    blocks.push(
      actions(
        [
          button("Approve", DECISION_ACTIONS.verifyApprove, item.value, "primary"),
          button("Needs info", DECISION_ACTIONS.verifyNeedsInfo, item.value),
          button("Decline", DECISION_ACTIONS.verifyDecline, item.value, "danger"),
        ],
        `entry_${item.encounterId}`,
      ),
    );
  }

  if (pending.length > 1) blocks.push(actions([button(`Approve all ${pending.length}`, DECISION_ACTIONS.verifyApproveAll, input.approveAllValue, "primary")], "approve_all"));
  return { text, blocks: checkMessageBlocks(blocks) };
}

/** Builds the modal that collects the note a Needs info decision requires. */
export function decisionNoteModal(input: { privateMetadata: string; encounterId: number; subject: string }): ModalView {
  return checkView({
    type: "modal",
    callback_id: DECISION_CALLBACKS.note,
    title: plain("Needs info"),
    submit: plain("Send"),
    close: plain("Cancel"),
    private_metadata: input.privateMetadata,
    blocks: [
      section(`Entry #${input.encounterId}: ${escapeMrkdwn(input.subject)}`),
      {
        type: "input",
        block_id: DECISION_BLOCKS.note,
        label: plain("What is missing or unclear?"),
        hint: plain("The residents on this entry see this note. No patient identifiers."),
        element: { type: "plain_text_input", action_id: "value", multiline: true, max_length: MAX_DECISION_NOTE_LENGTH },
      },
    ],
  });
}

const OUTCOME_NOTICES: Record<string, { verb: string; next: string }> = {
  approved: { verb: "verified", next: "" },
  needs_info: { verb: "needs more information about", next: " Edit the entry to answer, and the edit sends it for verification again." },
  declined: { verb: "declined", next: " A declined entry does not count toward the minimums." },
};

/** Builds the notice that tells a resident what an attending decided on one of their entries. */
export function verificationOutcomeNotice(input: { encounterId: number; outcome: string; deciderSlackId: string; note: string | null; subject: string }): Reply {
  const wording = OUTCOME_NOTICES[input.outcome] ?? OUTCOME_NOTICES.approved!;
  const text = `<@${input.deciderSlackId}> ${wording.verb} your entry #${input.encounterId} (${input.subject}).${wording.next}`;
  const blocks: Blocks = [section(text)];
  if (input.note) blocks.push(section(`*Note:* ${escapeMrkdwn(input.note)}`));
  return { text, blocks: checkMessageBlocks(blocks) };
}
