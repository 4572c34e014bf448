import { describe, expect, it } from "vitest";
import { MAX_ENTRIES_PER_BATCH } from "../../src/services/verification.js";
import { DECISION_ACTIONS } from "../../src/slack/co-credit/ids.js";
import { attendingDecisionCard, decidedCard, seniorConfirmCard, type CoCreditSummary } from "../../src/slack/views/co-credit.js";
import { verificationBatchCard, type BatchItem } from "../../src/slack/views/verification.js";

const summary: CoCreditSummary = {
  encounterId: 42,
  juniorSlackId: "U0JUNIOR",
  juniorPgy: 2,
  seniorSlackId: "U0SENIOR",
  seniorPgy: 4,
  attendingSlackId: "U0ATTEND",
  performedOn: "2026-12-03",
  procedureIds: ["port_placement"],
};

const longValue = "x".repeat(400);

function item(encounterId: number, verification = "pending"): BatchItem {
  return {
    encounterId,
    sentVersion: 1,
    value: longValue,
    entry: {
      residentSlackId: "U0JUNIOR",
      performedOn: "2026-12-03",
      procedureIds: ["port_placement", "gastrostomy"],
      notes: "n".repeat(500),
      verification,
      version: 1,
      verifiedBySlackId: verification === "pending" ? null : "U0ATTEND",
      verifiedAt: verification === "pending" ? null : new Date("2026-12-04T15:00:00Z"),
      verificationNote: null,
    },
  };
}

function actionIds(blocks: unknown): string[] {
  return JSON.stringify(blocks).match(/"action_id":"[a-z_]+"/g) ?? [];
}

describe("co-credit cards", () => {
  it("senior card offers confirm and decline", () => {
    const ids = actionIds(seniorConfirmCard(summary, longValue).blocks);
    expect(ids).toContain(`"action_id":"${DECISION_ACTIONS.seniorConfirm}"`);
    expect(ids).toContain(`"action_id":"${DECISION_ACTIONS.seniorDecline}"`);
  });

  it("attending card offers three decisions", () => {
    expect(actionIds(attendingDecisionCard(summary, longValue).blocks)).toHaveLength(3);
  });

  it("decided card names decider and time", () => {
    const card = decidedCard(summary, "needs_info", "U0ATTEND", new Date("2026-12-04T15:30:00Z"), "Which side?");
    expect(card.text).toContain("Needs info by <@U0ATTEND> at 2026-12-04 15:30 UTC");
    expect(JSON.stringify(card.blocks)).toContain("Which side?");
    expect(actionIds(card.blocks)).toHaveLength(0);
  });
});

describe("verification batch card", () => {
  it("fits a full batch in one message", () => {
    const items = Array.from({ length: MAX_ENTRIES_PER_BATCH }, (_, index) => item(index + 1));
    const card = verificationBatchCard({ requestId: 1, items, approveAllValue: longValue });
    expect(card.blocks!.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(card.blocks)).toContain(`Approve all ${MAX_ENTRIES_PER_BATCH}`);
  });

  it("shows decided and deleted entries without buttons", () => {
    const deleted: BatchItem = { ...item(3), entry: null };
    const card = verificationBatchCard({ requestId: 1, items: [item(1, "verified"), item(2), deleted], approveAllValue: longValue });
    const text = JSON.stringify(card.blocks);

    expect(text).toContain("Verified by <@U0ATTEND>");
    expect(text).toContain("#3: deleted by the resident");
    expect(text).not.toContain(DECISION_ACTIONS.verifyApproveAll);
    expect(actionIds(card.blocks)).toHaveLength(3);
  });
});
