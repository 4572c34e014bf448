import type { WebClient } from "@slack/web-api";
import { getProcedure } from "../../rules/catalogue.js";
import type { CoCreditWithPeople } from "../../services/co-credit.js";
import { loadBatch } from "../../services/verification.js";
import type { SlackDeps } from "../context.js";
import type { CoCreditSummary } from "../views/co-credit.js";
import type { Reply } from "../views/messages.js";
import { verificationBatchCard } from "../views/verification.js";
import type { DecisionValue } from "./ids.js";

/** Builds the view model of a co-credit from its stored row. */
export function coCreditSummary(coCredit: CoCreditWithPeople): CoCreditSummary {
  const { encounter } = coCredit;
  return {
    encounterId: encounter.id,
    juniorSlackId: encounter.resident.slackUserId,
    juniorPgy: encounter.resident.pgy,
    seniorSlackId: coCredit.senior.slackUserId,
    seniorPgy: coCredit.senior.pgy,
    attendingSlackId: encounter.supervisorSlackId,
    performedOn: encounter.performedOn,
    procedureIds: encounter.procedures.map((entry) => entry.procedureId),
  };
}

export function procedureSubject(procedureIds: readonly string[], performedOn: string): string {
  return `${procedureIds.map((id) => getProcedure(id).name).join(", ")} on ${performedOn}`;
}

/** Renders a verification batch message from the current state of its entries, or null when it is gone. */
export async function renderBatch(deps: SlackDeps, requestId: number): Promise<{ reply: Reply; channelId: string | null; messageTs: string | null } | null> {
  const batch = await loadBatch(deps.ctx, requestId);
  if (!batch) return null;

  const items = batch.items.map(({ id, version, encounter }) => {
    const value: DecisionValue = { t: "verification", e: id, v: version, r: requestId };
    return {
      encounterId: id,
      sentVersion: version,
      value: deps.signed.sign(value),
      entry: encounter
        ? {
            residentSlackId: encounter.resident.slackUserId,
            performedOn: encounter.performedOn,
            procedureIds: encounter.procedures.map((entry) => entry.procedureId),
            notes: encounter.notes,
            verification: encounter.verification,
            version: encounter.version,
            verifiedBySlackId: encounter.verifiedBySlackId,
            verifiedAt: encounter.verifiedAt,
            verificationNote: encounter.verificationNote,
          }
        : null,
    };
  });
  const reply = verificationBatchCard({ requestId, items, approveAllValue: deps.signed.sign({ r: requestId }) });
  return { reply, channelId: batch.request.channelId, messageTs: batch.request.messageTs };
}

/** Replaces a posted message; a failure is logged because the decision is already stored. */
export async function updateMessage(deps: SlackDeps, client: WebClient, channelId: string | undefined | null, messageTs: string | undefined | null, reply: Reply): Promise<void> {
  if (!channelId || !messageTs) {
    deps.ctx.logger.warn({ channelId, messageTs }, "decided card not updated: its channel or timestamp is unknown");
    return;
  }
  try {
    await client.chat.update({ channel: channelId, ts: messageTs, text: reply.text, ...(reply.blocks ? { blocks: reply.blocks } : {}) });
  } catch (error) {
    deps.ctx.logger.warn({ err: error, channelId, messageTs }, "chat.update of a decided card failed");
  }
}

/** Sends a direct message; a failure is logged because the change it reports is already stored. */
export async function sendDirectMessage(deps: SlackDeps, client: WebClient, slackUserId: string, reply: Reply): Promise<{ channel?: string; ts?: string }> {
  try {
    const posted = await client.chat.postMessage({ channel: slackUserId, text: reply.text, ...(reply.blocks ? { blocks: reply.blocks } : {}) });
    return { channel: posted.channel, ts: posted.ts };
  } catch (error) {
    deps.ctx.logger.warn({ err: error, slackUserId }, "direct message failed");
    return {};
  }
}
