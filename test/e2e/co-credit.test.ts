import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getProgress } from "../../src/services/progress.js";
import { CO_CREDIT_BLOCK, DECISION_ACTIONS, DECISION_BLOCKS, DECISION_CALLBACKS } from "../../src/slack/co-credit/ids.js";
import { ACTIONS } from "../../src/slack/ids.js";
import { SIGNING_SECRET, TEAM_ID, registerResident, responseText, startHarness, type Harness } from "../support/app-harness.js";
import type { RecordedCall } from "../support/fake-slack.js";
import { blockActionPayload, sendBlockActions, sendViewSubmission, viewSubmissionPayload, type SlackHttpResponse } from "../support/signed-request.js";

const JUNIOR = "U0JUNIOR";
const SENIOR = "U0SENIOR";
const PEER = "U0PEER";
const THIRD = "U0THIRD";
const ATTENDING = "U0ATTEND";
const STRANGER = "U0STRANGER";

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
  await registerResident(harness, JUNIOR, { track: "ir_integrated", pgy: 2 });
  await registerResident(harness, SENIOR, { track: "ir_integrated", pgy: 4 });
  await registerResident(harness, PEER, { track: "ir_integrated", pgy: 2 });
  await registerResident(harness, THIRD, { track: "ir_integrated", pgy: 5 });
});

afterAll(async () => {
  await harness.stop();
});

type Block = { type: string; elements?: { action_id?: string; value?: string }[] };

/** Finds a button's value in a message's blocks by its action id. */
function buttonValue(blocks: unknown, actionId: string): string {
  for (const block of (blocks ?? []) as Block[]) {
    for (const element of block.elements ?? []) {
      if (element.action_id === actionId && element.value) return element.value;
    }
  }
  throw new Error(`no button ${actionId} in ${JSON.stringify(blocks)}`);
}

/** Waits for a direct message to a user whose text contains `needle`. */
async function waitForDm(userId: string, needle: string): Promise<RecordedCall> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const found = harness.fake.calls("chat.postMessage").find((call) => call.args.channel === userId && JSON.stringify(call.args).includes(needle));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no direct message to ${userId} containing ${needle}`);
}

function dmsTo(userId: string, needle: string): RecordedCall[] {
  return harness.fake.calls("chat.postMessage").filter((call) => call.args.channel === userId && JSON.stringify(call.args).includes(needle));
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let clickCounter = 0;

/** Clicks a button on a direct message Caselog posted, as `userId`; returns the click's response URL. */
async function click(userId: string, message: RecordedCall, actionId: string, options: { value?: string; retryNum?: number } = {}): Promise<{ http: SlackHttpResponse; responseUrl: string }> {
  const reply = message.reply as { channel: string; ts: string };
  const responseUrl = harness.fake.responseUrl(`click-${++clickCounter}`);
  const payload = blockActionPayload({
    userId,
    teamId: TEAM_ID,
    actionId,
    value: options.value ?? buttonValue(message.args.blocks, actionId),
    channelId: reply.channel,
    messageTs: reply.ts,
    responseUrl,
  });
  const http = await sendBlockActions(harness.baseUrl, SIGNING_SECRET, payload, options.retryNum ? { retryNum: options.retryNum } : {});
  return { http, responseUrl };
}

/** Logs an entry with a co-credit through /caselog and returns its id. */
async function logWithCoCredit(text: string): Promise<number> {
  const { responseUrl } = await harness.slash(JUNIOR, text);
  const reply = await harness.reply(responseUrl);
  const match = /encounter #(\d+)/.exec(responseText(reply));
  if (!match) throw new Error(`entry was not logged: ${responseText(reply)}`);
  return Number(match[1]);
}

/** Runs the flow up to the attending's card and returns it. */
async function untilAttendingCard(text: string): Promise<{ encounterId: number; card: RecordedCall }> {
  const encounterId = await logWithCoCredit(text);
  const seniorCard = await waitForDm(SENIOR, `entry #${encounterId}`);
  await click(SENIOR, seniorCard, DECISION_ACTIONS.seniorConfirm);
  const card = await waitForDm(ATTENDING, `Approve a co-credit for entry #${encounterId}`);
  return { encounterId, card };
}

async function senior() {
  return harness.db.person.findFirstOrThrow({ where: { slackUserId: SENIOR } });
}

describe("co-credit", () => {
  it("happy path counts for the senior once approved", async () => {
    const before = await getProgress(harness.running.deps.ctx, await senior());

    const encounterId = await logWithCoCredit(`port yesterday with <@${SENIOR}> <@${ATTENDING}>`);
    const stored = await harness.db.coCredit.findUniqueOrThrow({ where: { encounterId } });
    expect(stored.status).toBe("awaiting_senior");

    const seniorCard = await waitForDm(SENIOR, `entry #${encounterId}`);
    expect(JSON.stringify(seniorCard.args.blocks)).toContain(DECISION_ACTIONS.seniorConfirm);
    const pending = await getProgress(harness.running.deps.ctx, await senior());
    expect(pending.encounters.all).toBe(before.encounters.all);
    expect(pending.pending.coCredits).toBe(before.pending.coCredits + 1);

    const confirmed = await click(SENIOR, seniorCard, DECISION_ACTIONS.seniorConfirm);
    expect(confirmed.http.status).toBe(200);
    const attendingCard = await waitForDm(ATTENDING, `Approve a co-credit for entry #${encounterId}`);
    expect((await harness.db.coCredit.findUniqueOrThrow({ where: { encounterId } })).status).toBe("awaiting_attending");
    expect((await getProgress(harness.running.deps.ctx, await senior())).encounters.all).toBe(before.encounters.all);

    await click(ATTENDING, attendingCard, DECISION_ACTIONS.coCreditApprove);
    await waitFor(async () => (await harness.db.coCredit.findUniqueOrThrow({ where: { encounterId } })).status === "approved", "approval");

    const decided = await harness.db.coCredit.findUniqueOrThrow({ where: { encounterId } });
    expect(decided.decidedBySlackId).toBe(ATTENDING);
    expect(decided.decidedAt).not.toBeNull();

    const reply = attendingCard.reply as { channel: string; ts: string };
    await waitFor(() => harness.fake.calls("chat.update").some((call) => call.args.ts === reply.ts), "card update");
    const update = harness.fake.calls("chat.update").find((call) => call.args.ts === reply.ts)!;
    expect(String(update.args.text)).toContain(`Approved by <@${ATTENDING}>`);
    expect(JSON.stringify(update.args.blocks)).not.toContain(DECISION_ACTIONS.coCreditApprove);

    await waitForDm(JUNIOR, `approved the co-credit for entry #${encounterId}`);
    await waitForDm(SENIOR, `approved the co-credit for entry #${encounterId}`);

    const after = await getProgress(harness.running.deps.ctx, await senior());
    expect(after.encounters.all).toBe(before.encounters.all + 1);
    expect(after.ir.find((row) => row.id === "venous_port")!.count).toBe(before.ir.find((row) => row.id === "venous_port")!.count + 1);
  });

  it("needs info requires a note shown to both residents", async () => {
    const { encounterId, card } = await untilAttendingCard(`paracentesis yesterday with <@${SENIOR}> <@${ATTENDING}>`);

    await click(ATTENDING, card, DECISION_ACTIONS.coCreditNeedsInfo);
    await waitFor(() => harness.fake.calls("views.open").some((call) => JSON.stringify(call.args.view).includes(`Entry #${encounterId}`)), "note modal");
    const opened = harness.fake.calls("views.open").find((call) => JSON.stringify(call.args.view).includes(`Entry #${encounterId}`))!;
    const view = opened.args.view as { private_metadata: string; callback_id: string };
    expect(view.callback_id).toBe(DECISION_CALLBACKS.note);

    const submit = (note: string) =>
      sendViewSubmission(
        harness.baseUrl,
        SIGNING_SECRET,
        viewSubmissionPayload({
          userId: ATTENDING,
          teamId: TEAM_ID,
          callbackId: DECISION_CALLBACKS.note,
          privateMetadata: view.private_metadata,
          values: { [DECISION_BLOCKS.note]: { value: { type: "plain_text_input", value: note } } },
        }),
      );

    const empty = await submit("   ");
    expect(empty.status).toBe(200);
    expect(empty.body).toContain(DECISION_BLOCKS.note);
    expect((await harness.db.coCredit.findUniqueOrThrow({ where: { encounterId } })).status).toBe("awaiting_attending");

    const answered = await submit("Which side was drained?");
    expect(answered.status).toBe(200);
    await waitFor(async () => (await harness.db.coCredit.findUniqueOrThrow({ where: { encounterId } })).status === "needs_info", "needs info");

    const stored = await harness.db.coCredit.findUniqueOrThrow({ where: { encounterId } });
    expect(stored.note).toBe("Which side was drained?");
    await waitForDm(JUNIOR, "Which side was drained?");
    await waitForDm(SENIOR, "Which side was drained?");

    const reply = card.reply as { ts: string };
    await waitFor(() => harness.fake.calls("chat.update").some((call) => call.args.ts === reply.ts), "card update");
    const update = harness.fake.calls("chat.update").find((call) => call.args.ts === reply.ts)!;
    expect(String(update.args.text)).toContain(`Needs info by <@${ATTENDING}>`);
  });

  it("decline leaves the senior uncredited", async () => {
    const before = await getProgress(harness.running.deps.ctx, await senior());
    const { encounterId, card } = await untilAttendingCard(`thoracentesis yesterday with <@${SENIOR}> <@${ATTENDING}>`);

    await click(ATTENDING, card, DECISION_ACTIONS.coCreditDecline);
    await waitFor(async () => (await harness.db.coCredit.findUniqueOrThrow({ where: { encounterId } })).status === "declined", "decline");

    await waitForDm(JUNIOR, `declined the co-credit for entry #${encounterId}`);
    const after = await getProgress(harness.running.deps.ctx, await senior());
    expect(after.encounters.all).toBe(before.encounters.all);
  });

  it("rejects a third resident", async () => {
    const count = await harness.db.encounter.count();
    const { responseUrl } = await harness.slash(JUNIOR, `port yesterday with <@${SENIOR}> <@${ATTENDING}> <@${THIRD}>`);
    const reply = responseText(await harness.reply(responseUrl));

    expect(reply).toContain("No more than 2 residents");
    expect(await harness.db.encounter.count()).toBe(count);
  });

  it("rejects two juniors", async () => {
    const count = await harness.db.encounter.count();
    const { responseUrl } = await harness.slash(JUNIOR, `port yesterday with <@${PEER}> <@${ATTENDING}>`);
    const reply = responseText(await harness.reply(responseUrl));

    expect(reply).toContain("Both residents are PGY-2");
    expect(await harness.db.encounter.count()).toBe(count);
  });

  it("rejects naming a junior as the senior", async () => {
    const { responseUrl } = await harness.slash(SENIOR, `port yesterday with <@${JUNIOR}> <@${ATTENDING}>`);
    expect(responseText(await harness.reply(responseUrl))).toContain("junior to you");
  });

  it("rejects a major procedure", async () => {
    const count = await harness.db.encounter.count();
    const { responseUrl } = await harness.slash(JUNIOR, `tips yesterday with <@${SENIOR}> <@${ATTENDING}>`);
    const reply = responseText(await harness.reply(responseUrl));

    expect(reply).toContain("only for minor procedures");
    expect(await harness.db.encounter.count()).toBe(count);
  });

  it("rejects a co-credit without an attending", async () => {
    const { responseUrl } = await harness.slash(JUNIOR, `port yesterday with <@${SENIOR}>`);
    expect(responseText(await harness.reply(responseUrl))).toContain("Name the attending");
  });

  it("refuses a non-supervisor click and audits it", async () => {
    const { encounterId, card } = await untilAttendingCard(`picc yesterday with <@${SENIOR}> <@${ATTENDING}>`);

    const { responseUrl } = await click(STRANGER, card, DECISION_ACTIONS.coCreditApprove);
    const reply = await harness.reply(responseUrl);
    expect(reply.response_type).toBe("ephemeral");
    expect(responseText(reply)).toContain(`Only <@${ATTENDING}>`);

    expect((await harness.db.coCredit.findUniqueOrThrow({ where: { encounterId } })).status).toBe("awaiting_attending");
    const audit = await harness.db.auditEvent.findMany({ where: { action: "decision_rejected", entityId: encounterId, actorSlackId: STRANGER } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toContain("not_supervisor");
  });

  it("refuses self-approval by either resident", async () => {
    const { encounterId, card } = await untilAttendingCard(`tube exchange yesterday with <@${SENIOR}> <@${ATTENDING}>`);

    for (const resident of [JUNIOR, SENIOR]) {
      const { responseUrl } = await click(resident, card, DECISION_ACTIONS.coCreditApprove);
      expect(responseText(await harness.reply(responseUrl))).toContain("cannot approve an entry that credits you");
    }
    expect((await harness.db.coCredit.findUniqueOrThrow({ where: { encounterId } })).status).toBe("awaiting_attending");
    expect(await harness.db.auditEvent.count({ where: { action: "decision_rejected", entityId: encounterId } })).toBe(2);
  });

  it("refuses the senior card clicked by the junior", async () => {
    const encounterId = await logWithCoCredit(`liver biopsy yesterday with <@${SENIOR}> <@${ATTENDING}>`);
    const seniorCard = await waitForDm(SENIOR, `entry #${encounterId}`);

    const { responseUrl } = await click(JUNIOR, seniorCard, DECISION_ACTIONS.seniorConfirm);
    expect(responseText(await harness.reply(responseUrl))).toContain(`Only <@${SENIOR}>`);
    expect((await harness.db.coCredit.findUniqueOrThrow({ where: { encounterId } })).status).toBe("awaiting_senior");
  });

  it("double click and retry make one decision", async () => {
    const { encounterId, card } = await untilAttendingCard(`renal biopsy yesterday with <@${SENIOR}> <@${ATTENDING}>`);

    const clicks = await Promise.all([
      click(ATTENDING, card, DECISION_ACTIONS.coCreditApprove),
      click(ATTENDING, card, DECISION_ACTIONS.coCreditApprove),
      click(ATTENDING, card, DECISION_ACTIONS.coCreditDecline, { retryNum: 1 }),
    ]);
    for (const { http } of clicks) expect(http.status).toBe(200);
    await waitFor(async () => (await harness.db.coCredit.findUniqueOrThrow({ where: { encounterId } })).status !== "awaiting_attending", "decision");

    const decisions = await harness.db.decision.findMany({ where: { encounterId, kind: "co_credit_attending" } });
    expect(decisions).toHaveLength(1);

    const replies = await Promise.all(clicks.slice(0, 3).map(({ responseUrl }) => waitForReplyOrNone(responseUrl)));
    const refusals = replies.filter((text) => text !== null && text.includes("already decided"));
    expect(refusals).toHaveLength(2);
  });

  it("rejects a forged button value", async () => {
    const { encounterId, card } = await untilAttendingCard(`non-tunneled line yesterday with <@${SENIOR}> <@${ATTENDING}>`);
    const genuine = buttonValue(card.args.blocks, DECISION_ACTIONS.coCreditApprove);
    const [payload, tag] = genuine.split(".");
    const forgedPayload = Buffer.from(JSON.stringify({ t: "co_credit_attending", e: encounterId - 1, v: 1 })).toString("base64url");
    const decisionsBefore = await harness.db.decision.count();

    for (const value of [`${forgedPayload}.${tag}`, `${payload}.AAAAAAAAAAAAAAAAAAAAAA`]) {
      const { responseUrl } = await click(ATTENDING, card, DECISION_ACTIONS.coCreditApprove, { value });
      expect(responseText(await harness.reply(responseUrl))).toContain("changed or damaged");
    }
    expect((await harness.db.coCredit.findUniqueOrThrow({ where: { encounterId } })).status).toBe("awaiting_attending");
    expect(await harness.db.decision.count()).toBe(decisionsBefore);
  });

  it("refuses a stale card after an edit", async () => {
    const { encounterId, card } = await untilAttendingCard(`cvc yesterday with <@${SENIOR}> <@${ATTENDING}>`);
    const junior = await harness.db.person.findFirstOrThrow({ where: { slackUserId: JUNIOR } });

    const edit = await sendViewSubmission(
      harness.baseUrl,
      SIGNING_SECRET,
      viewSubmissionPayload({
        userId: JUNIOR,
        teamId: TEAM_ID,
        callbackId: "entry_modal",
        privateMetadata: JSON.stringify({
          mode: "edit",
          encounterId,
          version: 1,
          timeZone: "America/New_York",
          today: "2026-12-04",
          profile: { track: junior.track, pgy: junior.pgy, residencyStart: junior.residencyStart },
        }),
        values: {
          procedures: { value: { type: "multi_static_select", selected_options: [{ text: { type: "plain_text", text: "x" }, value: "non_tunneled_line" }] } },
          date: { value: { type: "datepicker", selected_date: "2026-12-02" } },
          role: { value: { type: "static_select", selected_option: { text: { type: "plain_text", text: "x" }, value: "first_operator" } } },
          supervisor: { value: { type: "users_select", selected_user: ATTENDING } },
          notes: { value: { type: "plain_text_input", value: null } },
        } as never,
      }),
    );
    expect(edit.status).toBe(200);
    await waitFor(async () => (await harness.db.encounter.findUniqueOrThrow({ where: { id: encounterId } })).version === 2, "edit");
    expect((await harness.db.coCredit.findUniqueOrThrow({ where: { encounterId } })).status).toBe("awaiting_senior");
    await waitFor(() => dmsTo(SENIOR, `entry #${encounterId}`).length === 2, "fresh senior card");

    const { responseUrl } = await click(ATTENDING, card, DECISION_ACTIONS.coCreditApprove);
    expect(responseText(await harness.reply(responseUrl))).toContain("changed after this card was sent");
    expect(await harness.db.decision.count({ where: { encounterId, kind: "co_credit_attending" } })).toBe(0);
  });

  it("entry modal stores a co-credit", async () => {
    const junior = await harness.db.person.findFirstOrThrow({ where: { slackUserId: JUNIOR } });
    const submitModal = (procedureId: string, seniorSlackId: string) =>
      sendViewSubmission(
        harness.baseUrl,
        SIGNING_SECRET,
        viewSubmissionPayload({
          userId: JUNIOR,
          teamId: TEAM_ID,
          callbackId: "entry_modal",
          privateMetadata: JSON.stringify({
            mode: "new",
            timeZone: "America/New_York",
            today: "2026-12-04",
            profile: { track: junior.track, pgy: junior.pgy, residencyStart: junior.residencyStart },
          }),
          values: {
            procedures: { value: { type: "multi_static_select", selected_options: [{ text: { type: "plain_text", text: "x" }, value: procedureId }] } },
            date: { value: { type: "datepicker", selected_date: "2026-12-02" } },
            role: { value: { type: "static_select", selected_option: { text: { type: "plain_text", text: "x" }, value: "first_operator" } } },
            supervisor: { value: { type: "users_select", selected_user: ATTENDING } },
            [CO_CREDIT_BLOCK]: { value: { type: "users_select", selected_user: seniorSlackId } },
            notes: { value: { type: "plain_text_input", value: null } },
          } as never,
        }),
      );

    const count = await harness.db.encounter.count();
    const rejected = await submitModal("tips", SENIOR);
    expect(rejected.status).toBe(200);
    expect(rejected.body).toContain(CO_CREDIT_BLOCK);
    expect(rejected.body).toContain("only for minor procedures");
    expect(await harness.db.encounter.count()).toBe(count);

    const stored = await submitModal("gastrostomy", SENIOR);
    expect(stored.status).toBe(200);
    await waitFor(async () => (await harness.db.encounter.count()) === count + 1, "modal entry");
    const encounter = await harness.db.encounter.findFirstOrThrow({ orderBy: { id: "desc" }, include: { coCredit: true } });
    expect(encounter.coCredit?.status).toBe("awaiting_senior");
    await waitForDm(SENIOR, `entry #${encounter.id}`);
  });

  it("delete of a co-credited entry tells senior and attending", async () => {
    const { responseUrl } = await harness.slash(JUNIOR, `port 12/1 with <@${SENIOR}> <@${ATTENDING}>`);
    const stored = await harness.reply(responseUrl);
    const encounterId = Number(/encounter #(\d+)/.exec(responseText(stored))![1]);
    const undo = buttonValue(stored.blocks, ACTIONS.undo);

    const undoUrl = harness.fake.responseUrl("undo");
    await sendBlockActions(
      harness.baseUrl,
      SIGNING_SECRET,
      blockActionPayload({ userId: JUNIOR, teamId: TEAM_ID, actionId: ACTIONS.undo, value: undo, responseUrl: undoUrl, isEphemeral: true }),
    );
    expect(responseText(await harness.reply(undoUrl))).toContain("was deleted");

    await waitForDm(SENIOR, `deleted entry #${encounterId}`);
    await waitForDm(ATTENDING, `deleted entry #${encounterId}`);
    expect(await harness.db.coCredit.findUnique({ where: { encounterId } })).toBeNull();
  });
});

/** Returns the first post to a response URL within a second, or null. */
async function waitForReplyOrNone(responseUrl: string): Promise<string | null> {
  try {
    return responseText(await harness.reply(responseUrl, 0, 1000));
  } catch {
    return null;
  }
}
