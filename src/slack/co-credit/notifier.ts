import type { WebClient } from "@slack/web-api";
import { loadCoCredit, type CoCreditEvent, type CoCreditNotifier } from "../../services/co-credit.js";
import type { SlackDeps } from "../context.js";
import { republishHomeIfOpened } from "../home/publish.js";
import {
  attendingDecisionCard,
  coCreditCancelledNotice,
  coCreditDeletedNotice,
  coCreditOutcomeNotice,
  seniorConfirmCard,
  seniorDeclinedNotice,
} from "../views/co-credit.js";
import type { DecisionValue } from "./ids.js";
import { coCreditSummary, sendDirectMessage } from "./summaries.js";

/** Sends the direct messages of each co-credit event: cards to decide on, and notices. */
export function createCoCreditNotifier(deps: SlackDeps, client: WebClient): CoCreditNotifier {
  return async (event: CoCreditEvent) => {
    if (event.type === "entry_deleted") {
      const summary = {
        encounterId: event.encounterId,
        juniorSlackId: event.juniorSlackId,
        juniorPgy: null,
        seniorSlackId: event.seniorSlackId,
        seniorPgy: null,
        attendingSlackId: event.attendingSlackId,
        performedOn: event.performedOn,
        procedureIds: event.procedures,
      };
      const notice = coCreditDeletedNotice(summary, event.status);
      await sendDirectMessage(deps, client, event.seniorSlackId, notice);
      if (event.attendingSlackId) await sendDirectMessage(deps, client, event.attendingSlackId, notice);
      return;
    }

    const coCredit = await loadCoCredit(deps.ctx, event.encounterId);
    if (!coCredit) return;
    const summary = coCreditSummary(coCredit);
    const value = (kind: DecisionValue["t"]) => deps.signed.sign({ t: kind, e: coCredit.encounter.id, v: coCredit.encounter.version } satisfies DecisionValue);

    // The junior's and the senior's Homes show co-credit status, so both are refreshed.
    await Promise.all([summary.juniorSlackId, summary.seniorSlackId].map((slackUserId) => republishHomeIfOpened(deps, client, slackUserId)));

    switch (event.type) {
      case "requested":
        await sendDirectMessage(deps, client, summary.seniorSlackId, seniorConfirmCard(summary, value("co_credit_senior")));
        return;
      case "senior_confirmed":
        if (summary.attendingSlackId) await sendDirectMessage(deps, client, summary.attendingSlackId, attendingDecisionCard(summary, value("co_credit_attending")));
        return;
      case "senior_declined":
        await sendDirectMessage(deps, client, summary.juniorSlackId, seniorDeclinedNotice(summary));
        return;
      case "decided": {
        const notice = coCreditOutcomeNotice(summary, coCredit.status, coCredit.decidedBySlackId ?? "", coCredit.note);
        await sendDirectMessage(deps, client, summary.juniorSlackId, notice);
        await sendDirectMessage(deps, client, summary.seniorSlackId, notice);
        return;
      }
      case "entry_edited":
        if (coCredit.status === "awaiting_senior") {
          await sendDirectMessage(deps, client, summary.seniorSlackId, seniorConfirmCard(summary, value("co_credit_senior")));
        } else if (coCredit.status === "cancelled") {
          const notice = coCreditCancelledNotice(summary);
          await sendDirectMessage(deps, client, summary.seniorSlackId, notice);
          if (summary.attendingSlackId) await sendDirectMessage(deps, client, summary.attendingSlackId, notice);
        }
        return;
    }
  };
}
