import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { checkNotes } from "../../rules/counting.js";
import { decideCoCredit, respondAsSenior } from "../../services/co-credit.js";
import { CaselogError, NotAllowedError } from "../../services/errors.js";
import { checkMayDecide, decideVerification, loadBatch, type DecisionOutcome } from "../../services/verification.js";
import { responderFor, type Responder, type SlackDeps } from "../context.js";
import { decidedCard, decisionNotice } from "../views/co-credit.js";
import type { Reply } from "../views/messages.js";
import { decisionNoteModal, verificationOutcomeNotice } from "../views/verification.js";
import { batchValueSchema, DECISION_BLOCKS, decisionValueSchema, noteMetadataSchema, type DecisionValue, type NoteMetadata } from "./ids.js";
import { republishHomeIfOpened } from "../home/publish.js";
import { coCreditSummary, procedureSubject, renderBatch, sendDirectMessage, updateMessage } from "./summaries.js";

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;
type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const TAMPERED = "Nothing changed: this button's data was changed or damaged. Use the card Caselog sent you.";

/** Replies only to the clicking user: through the response_url, else as an ephemeral message in the channel. */
function ephemeralResponder(deps: SlackDeps, client: WebClient, body: BlockButtonAction): Responder {
  if (body.response_url) return responderFor(deps, body.response_url);
  return async (reply) => {
    const channel = body.channel?.id ?? body.container?.channel_id;
    try {
      if (channel) await client.chat.postEphemeral({ channel, user: body.user.id, text: reply.text, ...(reply.blocks ? { blocks: reply.blocks } : {}) });
    } catch (error) {
      deps.ctx.logger.warn({ err: error, slackUserId: body.user.id }, "ephemeral reply failed");
    }
  };
}

/** Turns a rejection into an ephemeral reply; anything unexpected is logged with the ids. */
function replyForDecisionError(deps: SlackDeps, error: unknown, ids: Record<string, unknown>): Reply {
  if (error instanceof CaselogError) {
    deps.ctx.logger.info({ ...ids, code: error.code }, "decision rejected");
    return decisionNotice(error.userMessage);
  }
  deps.ctx.logger.error({ ...ids, err: error }, "decision failed");
  return decisionNotice("Something went wrong on Caselog's side and nothing was decided. Try the button again in a minute.");
}

function cardLocation(body: BlockButtonAction): { channelId?: string; messageTs?: string } {
  return { channelId: body.container?.channel_id ?? body.channel?.id, messageTs: body.container?.message_ts ?? body.message?.ts };
}

/** Verifies a decision button's signed value and its kind; a forged or damaged value is logged and rejected. */
async function decisionValue(deps: SlackDeps, args: ButtonArgs, kinds: DecisionValue["t"][], respond: Responder): Promise<DecisionValue | null> {
  const value = deps.signed.verify(args.action.value, decisionValueSchema);
  if (!value || !kinds.includes(value.t)) {
    deps.ctx.logger.warn({ slackUserId: args.body.user.id, actionId: args.action.action_id }, "tampered decision value rejected");
    await respond(decisionNotice(TAMPERED));
    return null;
  }
  return value;
}

/** Handles the senior's Confirm and "I did not supervise this" buttons. */
export function seniorButton(deps: SlackDeps, confirm: boolean) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const respond = ephemeralResponder(deps, args.client, args.body);
    const value = await decisionValue(deps, args, ["co_credit_senior"], respond);
    if (!value) return;

    try {
      const coCredit = await respondAsSenior(deps.ctx, { clickerSlackId: args.body.user.id, encounterId: value.e, version: value.v, confirm });
      const { channelId, messageTs } = cardLocation(args.body);
      const card = decidedCard(coCreditSummary(coCredit), confirm ? "confirmed" : "declined", args.body.user.id, deps.ctx.now(), null);
      await updateMessage(deps, args.client, channelId, messageTs, card);
    } catch (error) {
      await respond(replyForDecisionError(deps, error, { slackUserId: args.body.user.id, encounterId: value.e }));
    }
  };
}

async function applyDecision(deps: SlackDeps, client: WebClient, input: { value: DecisionValue; outcome: DecisionOutcome; note: string | null; clickerSlackId: string; slackTeamId: string; channelId?: string; messageTs?: string }): Promise<void> {
  const { value } = input;
  const common = { clickerSlackId: input.clickerSlackId, slackTeamId: input.slackTeamId, encounterId: value.e, version: value.v, outcome: input.outcome, note: input.note };

  if (value.t === "co_credit_attending") {
    const coCredit = await decideCoCredit(deps.ctx, common);
    const card = decidedCard(coCreditSummary(coCredit), input.outcome, input.clickerSlackId, coCredit.decidedAt ?? deps.ctx.now(), coCredit.note);
    await updateMessage(deps, client, input.channelId, input.messageTs, card);
    return;
  }

  const encounter = await decideVerification(deps.ctx, common);
  if (input.outcome !== "approved") {
    const procedures = await deps.ctx.db.encounterProcedure.findMany({ where: { encounterId: encounter.id }, select: { procedureId: true } });
    const notice = verificationOutcomeNotice({
      encounterId: encounter.id,
      outcome: input.outcome,
      deciderSlackId: input.clickerSlackId,
      note: encounter.verificationNote,
      subject: procedureSubject(procedures.map((entry) => entry.procedureId), encounter.performedOn),
    });
    await sendDirectMessage(deps, client, encounter.resident.slackUserId, notice);
  }
  await republishHomeIfOpened(deps, client, encounter.resident.slackUserId);
  if (value.r) {
    const rendered = await renderBatch(deps, value.r);
    if (rendered) await updateMessage(deps, client, rendered.channelId ?? input.channelId, rendered.messageTs ?? input.messageTs, rendered.reply);
  }
}

/** Approve and Decline on an attending's co-credit card or on one entry of a verification batch. */
export function decisionButton(deps: SlackDeps, outcome: Exclude<DecisionOutcome, "needs_info">) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const respond = ephemeralResponder(deps, args.client, args.body);
    const value = await decisionValue(deps, args, ["co_credit_attending", "verification"], respond);
    if (!value) return;

    try {
      await applyDecision(deps, args.client, {
        value,
        outcome,
        note: null,
        clickerSlackId: args.body.user.id,
        slackTeamId: args.body.team?.id ?? "",
        ...cardLocation(args.body),
      });
    } catch (error) {
      await respond(replyForDecisionError(deps, error, { slackUserId: args.body.user.id, encounterId: value.e }));
    }
  };
}

/** Needs info: checks the clicking user's authority, then opens the modal for the required note. */
export function needsInfoButton(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const respond = ephemeralResponder(deps, args.client, args.body);
    const value = await decisionValue(deps, args, ["co_credit_attending", "verification"], respond);
    if (!value) return;

    try {
      const kind = value.t === "verification" ? "verification" : "co_credit_attending";
      await checkMayDecide(deps.ctx, { clickerSlackId: args.body.user.id, slackTeamId: args.body.team?.id ?? "", encounterId: value.e, kind });

      const procedures = await deps.ctx.db.encounterProcedure.findMany({ where: { encounterId: value.e }, select: { procedureId: true } });
      const encounter = await deps.ctx.db.encounter.findUniqueOrThrow({ where: { id: value.e }, select: { performedOn: true } });
      const { channelId, messageTs } = cardLocation(args.body);
      const metadata: NoteMetadata = { ...value, ...(channelId ? { c: channelId } : {}), ...(messageTs ? { m: messageTs } : {}) };
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: decisionNoteModal({
          privateMetadata: deps.signed.sign(metadata),
          encounterId: value.e,
          subject: procedureSubject(procedures.map((entry) => entry.procedureId), encounter.performedOn),
        }),
      });
    } catch (error) {
      await respond(replyForDecisionError(deps, error, { slackUserId: args.body.user.id, encounterId: value.e }));
    }
  };
}

/**
 * Handles the Needs info note modal's submission. The note is checked (required, length, patient
 * identifiers) before the acknowledgement, so problems show on the note field.
 */
export function noteSubmission(deps: SlackDeps) {
  return async ({ ack, body, view, client }: SubmitArgs): Promise<void> => {
    const metadata = deps.signed.verify(view.private_metadata, noteMetadataSchema);
    if (!metadata || metadata.t === "co_credit_senior") {
      deps.ctx.logger.warn({ slackUserId: body.user.id }, "tampered note modal metadata rejected");
      await ack({ response_action: "errors", errors: { [DECISION_BLOCKS.note]: "This form is damaged. Close it and use the card's Needs info button again." } });
      return;
    }

    const note = view.state.values[DECISION_BLOCKS.note]?.value?.value?.trim() ?? "";
    const problem = note === "" ? "Write what is missing: the resident sees this note." : checkNotes(note)?.message;
    if (problem) {
      await ack({ response_action: "errors", errors: { [DECISION_BLOCKS.note]: problem.slice(0, 2000) } });
      return;
    }
    await ack();

    try {
      await applyDecision(deps, client, {
        value: metadata,
        outcome: "needs_info",
        note,
        clickerSlackId: body.user.id,
        slackTeamId: body.team?.id ?? view.team_id,
        channelId: metadata.c,
        messageTs: metadata.m,
      });
    } catch (error) {
      await sendDirectMessage(deps, client, body.user.id, replyForDecisionError(deps, error, { slackUserId: body.user.id, encounterId: metadata.e }));
    }
  };
}

/** Approve all on a verification batch: approves every entry still pending at the version sent. */
export function approveAllButton(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const respond = ephemeralResponder(deps, args.client, args.body);
    const value = deps.signed.verify(args.action.value, batchValueSchema);
    if (!value) {
      deps.ctx.logger.warn({ slackUserId: args.body.user.id }, "tampered batch value rejected");
      await respond(decisionNotice(TAMPERED));
      return;
    }

    try {
      const batch = await loadBatch(deps.ctx, value.r);
      if (!batch) throw new CaselogError("not_found", "This batch no longer exists. Nothing changed.");

      let approved = 0;
      const skipped: string[] = [];
      for (const item of batch.items) {
        if (!item.encounter || item.encounter.verification !== "pending" || item.encounter.version !== item.version) continue;
        try {
          await decideVerification(deps.ctx, { clickerSlackId: args.body.user.id, slackTeamId: args.body.team?.id ?? "", encounterId: item.id, version: item.version, outcome: "approved" });
          approved += 1;
        } catch (error) {
          // A refusal of the clicking user stops the whole batch; a single entry that changed is skipped.
          if (error instanceof NotAllowedError) throw error;
          if (!(error instanceof CaselogError)) throw error;
          skipped.push(`#${item.id}: ${error.userMessage}`);
        }
      }

      const rendered = await renderBatch(deps, value.r);
      const { channelId, messageTs } = cardLocation(args.body);
      if (rendered) await updateMessage(deps, args.client, rendered.channelId ?? channelId, rendered.messageTs ?? messageTs, rendered.reply);
      const summary = `Approved ${approved} ${approved === 1 ? "entry" : "entries"}.${skipped.length > 0 ? ` Skipped: ${skipped.join(" ")}` : ""}`;
      await respond(decisionNotice(summary));
    } catch (error) {
      await respond(replyForDecisionError(deps, error, { slackUserId: args.body.user.id, requestId: value.r }));
    }
  };
}
