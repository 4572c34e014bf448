import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendDueVerificationBatches } from "../../src/jobs/verification-batches.js";
import { getProgress } from "../../src/services/progress.js";
import { DECISION_ACTIONS, DECISION_BLOCKS, DECISION_CALLBACKS } from "../../src/slack/co-credit/ids.js";
import { SIGNING_SECRET, TEAM_ID, registerResident, responseText, startHarness, type Harness } from "../support/app-harness.js";
import type { RecordedCall } from "../support/fake-slack.js";
import { appHomeOpenedEvent, blockActionPayload, eventCallbackPayload, sendBlockActions, sendEvent, sendViewSubmission, viewSubmissionPayload, type SlackHttpResponse } from "../support/signed-request.js";

const RESIDENT = "U0RESIDENT";
const DIRECTOR = "U0DIRECTOR";
const STRANGER = "U0STRANGER";
const START = "2026-12-04T15:00:00Z";

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ now: START, env: { CASELOG_PROGRAM_DIRECTORS: DIRECTOR } });
  await registerResident(harness, RESIDENT, { track: "ir_integrated", pgy: 3 });
  await harness.db.program.updateMany({ data: { verificationRequired: true, verificationBatchSize: 3, verificationMaxWaitDays: 2 } });
});

afterAll(async () => {
  await harness.stop();
});

type Block = { type: string; block_id?: string; elements?: { action_id?: string; value?: string }[] };

/** Finds a button's value by action id, in the actions block of one entry when `entryId` is given. */
function buttonValue(blocks: unknown, actionId: string, entryId?: number): string {
  for (const block of (blocks ?? []) as Block[]) {
    if (entryId !== undefined && block.block_id !== `entry_${entryId}`) continue;
    for (const element of block.elements ?? []) {
      if (element.action_id === actionId && element.value) return element.value;
    }
  }
  throw new Error(`no button ${actionId} for entry ${entryId} in ${JSON.stringify(blocks)}`);
}

function dmsTo(userId: string): RecordedCall[] {
  return harness.fake.calls("chat.postMessage").filter((call) => call.args.channel === userId);
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function logEntry(text: string): Promise<number> {
  const { responseUrl } = await harness.slash(RESIDENT, text);
  const reply = responseText(await harness.reply(responseUrl));
  const match = /encounter #(\d+)/.exec(reply);
  if (!match) throw new Error(`entry was not logged: ${reply}`);
  return Number(match[1]);
}

function runJob(): Promise<number> {
  return sendDueVerificationBatches(harness.running.deps, harness.running.app.client);
}

let clickCounter = 0;

async function click(userId: string, message: RecordedCall, actionId: string, entryId?: number): Promise<{ http: SlackHttpResponse; responseUrl: string }> {
  const reply = message.reply as { channel: string; ts: string };
  const responseUrl = harness.fake.responseUrl(`verify-click-${++clickCounter}`);
  const payload = blockActionPayload({
    userId,
    teamId: TEAM_ID,
    actionId,
    value: buttonValue(message.args.blocks, actionId, entryId),
    channelId: reply.channel,
    messageTs: reply.ts,
    responseUrl,
  });
  const http = await sendBlockActions(harness.baseUrl, SIGNING_SECRET, payload);
  return { http, responseUrl };
}

async function verificationOf(id: number): Promise<string> {
  return (await harness.db.encounter.findUniqueOrThrow({ where: { id } })).verification;
}

async function resident() {
  return harness.db.person.findFirstOrThrow({ where: { slackUserId: RESIDENT } });
}

/** Logs three entries for one attending and returns their ids and the batch message. */
async function batchFor(attending: string, procedures: [string, string, string]): Promise<{ ids: number[]; batch: RecordedCall }> {
  const ids: number[] = [];
  for (const procedure of procedures) ids.push(await logEntry(`${procedure} yesterday <@${attending}>`));
  await runJob();
  const batch = dmsTo(attending).at(-1);
  if (!batch) throw new Error(`no batch sent to ${attending}`);
  return { ids, batch };
}

function latestUpdate(ts: string): RecordedCall | undefined {
  return harness.fake.calls("chat.update").filter((call) => call.args.ts === ts).at(-1);
}

describe("verification", () => {
  it("keeps new entries pending and uncounted", async () => {
    const before = await getProgress(harness.running.deps.ctx, await resident());
    const id = await logEntry("port yesterday <@U0ATTEND0>");

    expect(await verificationOf(id)).toBe("pending");
    const after = await getProgress(harness.running.deps.ctx, await resident());
    expect(after.encounters.all).toBe(before.encounters.all);
    expect(after.pending.entries).toBe(before.pending.entries + 1);
  });

  it("batches by size, once per entry", async () => {
    const attending = "U0ATTEND1";
    await logEntry(`port yesterday <@${attending}>`);
    await logEntry(`picc yesterday <@${attending}>`);
    await runJob();
    expect(dmsTo(attending)).toHaveLength(0);

    await logEntry(`paracentesis yesterday <@${attending}>`);
    await runJob();
    expect(dmsTo(attending)).toHaveLength(1);
    const blocks = JSON.stringify(dmsTo(attending)[0]!.args.blocks);
    expect(blocks).toContain(DECISION_ACTIONS.verifyApproveAll);
    expect(blocks.split(DECISION_ACTIONS.verifyApprove + '"').length - 1).toBe(3);

    await runJob();
    expect(dmsTo(attending)).toHaveLength(1);
  });

  it("sends one batch from two instances at once", async () => {
    const attending = "U0ATTEND9";
    for (const text of ["port", "picc", "paracentesis"]) await logEntry(`${text} yesterday <@${attending}>`);

    const sent = await Promise.all([runJob(), runJob()]);
    expect(sent.reduce((total, count) => total + count, 0)).toBe(1);
    expect(dmsTo(attending)).toHaveLength(1);
  });

  it("republishes the resident's open Home after approval", async () => {
    const attending = "U0ATTEND8";
    const opened = await sendEvent(harness.baseUrl, SIGNING_SECRET, eventCallbackPayload({ teamId: TEAM_ID, event: appHomeOpenedEvent({ userId: RESIDENT }) }));
    expect(opened.status).toBe(200);
    await waitFor(() => harness.fake.homeView(RESIDENT) !== undefined, "the resident's Home");

    const { ids, batch } = await batchFor(attending, ["port", "liver biopsy", "renal biopsy"]);
    const publishes = () => harness.fake.calls("views.publish").filter((call) => call.args.user_id === RESIDENT).length;
    const before = publishes();

    await click(attending, batch, DECISION_ACTIONS.verifyApprove, ids[0]);
    await waitFor(async () => (await verificationOf(ids[0]!)) === "verified", "the approval");
    await waitFor(() => publishes() > before, "a republished Home");
  });

  it("batches by the oldest entry's wait", async () => {
    const attending = "U0ATTEND2";
    const id = await logEntry(`thoracentesis yesterday <@${attending}>`);
    await runJob();
    expect(dmsTo(attending)).toHaveLength(0);

    const createdAt = (await harness.db.encounter.findUniqueOrThrow({ where: { id } })).createdAt;
    harness.setNow(new Date(createdAt.getTime() + 47 * 60 * 60 * 1000));
    await runJob();
    expect(dmsTo(attending)).toHaveLength(0);

    harness.setNow(new Date(createdAt.getTime() + 48 * 60 * 60 * 1000));
    await runJob();
    expect(dmsTo(attending)).toHaveLength(1);
    harness.setNow(START);
  });

  it("approves one entry, then all", async () => {
    const attending = "U0ATTEND3";
    const before = await getProgress(harness.running.deps.ctx, await resident());
    const { ids, batch } = await batchFor(attending, ["port", "liver biopsy", "renal biopsy"]);
    const ts = (batch.reply as { ts: string }).ts;

    await click(attending, batch, DECISION_ACTIONS.verifyApprove, ids[0]);
    await waitFor(async () => (await verificationOf(ids[0]!)) === "verified", "first approval");
    const stored = await harness.db.encounter.findUniqueOrThrow({ where: { id: ids[0]! } });
    expect(stored.verifiedBySlackId).toBe(attending);
    await waitFor(() => latestUpdate(ts) !== undefined, "batch update");
    expect(JSON.stringify(latestUpdate(ts)!.args.blocks)).toContain(`Verified by <@${attending}>`);

    const { responseUrl } = await click(attending, batch, DECISION_ACTIONS.verifyApproveAll);
    expect(responseText(await harness.reply(responseUrl))).toContain("Approved 2 entries");
    for (const id of ids) expect(await verificationOf(id)).toBe("verified");
    expect(JSON.stringify(latestUpdate(ts)!.args.blocks)).not.toContain(DECISION_ACTIONS.verifyApproveAll);

    const after = await getProgress(harness.running.deps.ctx, await resident());
    expect(after.encounters.all).toBe(before.encounters.all + 3);
  });

  it("needs info and decline tell the resident", async () => {
    const attending = "U0ATTEND4";
    const { ids, batch } = await batchFor(attending, ["g-tube", "nephrostomy", "chest tube"]);

    await click(attending, batch, DECISION_ACTIONS.verifyNeedsInfo, ids[0]);
    await waitFor(() => harness.fake.calls("views.open").some((call) => JSON.stringify(call.args.view).includes(`Entry #${ids[0]}`)), "note modal");
    const opened = harness.fake.calls("views.open").find((call) => JSON.stringify(call.args.view).includes(`Entry #${ids[0]}`))!;
    const submitted = await sendViewSubmission(
      harness.baseUrl,
      SIGNING_SECRET,
      viewSubmissionPayload({
        userId: attending,
        teamId: TEAM_ID,
        callbackId: DECISION_CALLBACKS.note,
        privateMetadata: (opened.args.view as { private_metadata: string }).private_metadata,
        values: { [DECISION_BLOCKS.note]: { value: { type: "plain_text_input", value: "Was this a replacement?" } } },
      }),
    );
    expect(submitted.status).toBe(200);
    await waitFor(async () => (await verificationOf(ids[0]!)) === "needs_info", "needs info");
    await waitFor(() => dmsTo(RESIDENT).some((call) => String(call.args.text).includes(`needs more information about your entry #${ids[0]}`)), "needs info notice");
    expect(JSON.stringify(dmsTo(RESIDENT).at(-1)!.args.blocks)).toContain("Was this a replacement?");

    await click(attending, batch, DECISION_ACTIONS.verifyDecline, ids[1]);
    await waitFor(async () => (await verificationOf(ids[1]!)) === "declined", "decline");
    await waitFor(() => dmsTo(RESIDENT).some((call) => String(call.args.text).includes(`declined your entry #${ids[1]}`)), "decline notice");
  });

  it("refuses strangers and self-approval, allows the director", async () => {
    const attending = "U0ATTEND5";
    const { ids, batch } = await batchFor(attending, ["port", "picc", "tube exchange"]);

    const stranger = await click(STRANGER, batch, DECISION_ACTIONS.verifyApprove, ids[0]);
    expect(responseText(await harness.reply(stranger.responseUrl))).toContain(`Only <@${attending}>`);
    const self = await click(RESIDENT, batch, DECISION_ACTIONS.verifyApprove, ids[0]);
    expect(responseText(await harness.reply(self.responseUrl))).toContain("cannot approve an entry that credits you");
    const allByStranger = await click(STRANGER, batch, DECISION_ACTIONS.verifyApproveAll);
    expect(responseText(await harness.reply(allByStranger.responseUrl))).toContain(`Only <@${attending}>`);

    expect(await verificationOf(ids[0]!)).toBe("pending");
    expect(await harness.db.auditEvent.count({ where: { action: "decision_rejected", entityId: ids[0]! } })).toBe(3);

    await click(DIRECTOR, batch, DECISION_ACTIONS.verifyApprove, ids[0]);
    await waitFor(async () => (await verificationOf(ids[0]!)) === "verified", "director approval");
  });

  it("rejects a resident named as attending", async () => {
    const before = await harness.db.encounter.count();
    const { responseUrl } = await harness.slash(RESIDENT, `port yesterday <@${RESIDENT}>`);
    expect(responseText(await harness.reply(responseUrl))).toContain("is registered as a resident");
    expect(await harness.db.encounter.count()).toBe(before);
  });

  it("double click makes one decision", async () => {
    const attending = "U0ATTEND6";
    const { ids, batch } = await batchFor(attending, ["port", "picc", "paracentesis"]);

    const clicks = await Promise.all([
      click(attending, batch, DECISION_ACTIONS.verifyApprove, ids[0]),
      click(attending, batch, DECISION_ACTIONS.verifyDecline, ids[0]),
    ]);
    await waitFor(async () => (await verificationOf(ids[0]!)) !== "pending", "decision");
    expect(await harness.db.decision.count({ where: { encounterId: ids[0]!, kind: "verification" } })).toBe(1);

    const refusals = await Promise.all(clicks.map(({ responseUrl }) => harness.reply(responseUrl, 0, 2000).then(responseText, () => "")));
    expect(refusals.filter((text) => text.includes("already decided"))).toHaveLength(1);
  });

  it("attending and director at once make one decision", async () => {
    const attending = "U0ATTEND8";
    const { ids, batch } = await batchFor(attending, ["port", "picc", "paracentesis"]);

    await Promise.all([click(attending, batch, DECISION_ACTIONS.verifyApprove, ids[1]), click(DIRECTOR, batch, DECISION_ACTIONS.verifyDecline, ids[1])]);
    await waitFor(async () => (await verificationOf(ids[1]!)) !== "pending", "decision");

    const decisions = await harness.db.decision.findMany({ where: { encounterId: ids[1]!, kind: "verification" } });
    expect(decisions).toHaveLength(1);
    const stored = await harness.db.encounter.findUniqueOrThrow({ where: { id: ids[1]! } });
    expect(stored.verifiedBySlackId).toBe(decisions[0]!.deciderSlackId);
  });

  it("edit after verification returns to pending", async () => {
    const attending = "U0ATTEND7";
    const { ids, batch } = await batchFor(attending, ["port", "picc", "thoracentesis"]);
    await click(attending, batch, DECISION_ACTIONS.verifyApprove, ids[0]);
    await waitFor(async () => (await verificationOf(ids[0]!)) === "verified", "approval");

    const person = await resident();
    const edit = await sendViewSubmission(
      harness.baseUrl,
      SIGNING_SECRET,
      viewSubmissionPayload({
        userId: RESIDENT,
        teamId: TEAM_ID,
        callbackId: "entry_modal",
        privateMetadata: JSON.stringify({
          mode: "edit",
          encounterId: ids[0],
          version: 1,
          timeZone: "America/New_York",
          today: "2026-12-04",
          profile: { track: person.track, pgy: person.pgy, residencyStart: person.residencyStart },
        }),
        values: {
          procedures: { value: { type: "multi_static_select", selected_options: [{ text: { type: "plain_text", text: "x" }, value: "port_placement" }] } },
          date: { value: { type: "datepicker", selected_date: "2026-12-01" } },
          role: { value: { type: "static_select", selected_option: { text: { type: "plain_text", text: "x" }, value: "first_operator" } } },
          supervisor: { value: { type: "users_select", selected_user: attending } },
          notes: { value: { type: "plain_text_input", value: null } },
        } as never,
      }),
    );
    expect(edit.status).toBe(200);
    await waitFor(async () => (await verificationOf(ids[0]!)) === "pending", "back to pending");
    const stored = await harness.db.encounter.findUniqueOrThrow({ where: { id: ids[0]! } });
    expect(stored.version).toBe(2);
    expect(stored.verifiedBySlackId).toBeNull();

    const stale = await click(attending, batch, DECISION_ACTIONS.verifyDecline, ids[0]);
    expect(responseText(await harness.reply(stale.responseUrl))).toContain("changed after this card was sent");
    expect(await verificationOf(ids[0]!)).toBe("pending");

    harness.setNow(new Date(stored.createdAt.getTime() + 3 * 24 * 60 * 60 * 1000));
    await runJob();
    harness.setNow(START);
    expect(JSON.stringify(dmsTo(attending).at(-1)!.args.blocks)).toContain(`entry_${ids[0]}`);
    expect(dmsTo(attending)).toHaveLength(2);
  });
});
