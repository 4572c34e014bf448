import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runDueJobs } from "../../src/jobs/scheduler.js";
import { SIGNING_SECRET, TEAM_ID, type Harness } from "../support/app-harness.js";
import { blockActionPayload, sendBlockActions, sendViewSubmission, viewSubmissionPayload } from "../support/signed-request.js";
import { DIRECTOR, dateRange, jobContext, postsTo, seedEncounters, seedProgram, seedResident, seedStaff, startJobsHarness } from "./jobs-support.js";

// Monday 2027-01-04, 09:00 in New York: the January review window is open.
const JANUARY_WINDOW = new Date("2027-01-04T14:00:00Z");

let harness: Harness;

beforeEach(async () => {
  harness = await startJobsHarness("2027-01-04T14:00:00Z");
});

afterEach(async () => {
  await harness.stop();
});

interface ReviewButton {
  residentText: string;
  value: string;
}

/** Reads the Review buttons of every reminder sent to the director. */
function reviewButtons(): ReviewButton[] {
  return postsTo(harness, DIRECTOR).flatMap((post) =>
    (post.blocks as { type: string; text?: { text: string }; accessory?: { action_id: string; value: string } }[])
      .filter((block) => block.accessory?.action_id === "review_open")
      .map((block) => ({ residentText: block.text!.text, value: block.accessory!.value })),
  );
}

async function setUpProgram() {
  const program = await seedProgram(harness, { name: "IR Residency", channelId: "C0PROGRAM", directorSlackId: DIRECTOR, digestFrequency: "off" });
  await seedStaff(harness, program.id, DIRECTOR);
  return program;
}

async function clickReview(userId: string, value: string): Promise<Record<string, unknown>> {
  const before = harness.fake.calls("views.update").length;
  const http = await sendBlockActions(harness.baseUrl, SIGNING_SECRET, blockActionPayload({ userId, teamId: TEAM_ID, actionId: "review_open", value, channelId: "D0DIRECTOR" }));
  expect(http.status).toBe(200);
  const update = await harness.waitForCall("views.update", before);
  return update.args.view as Record<string, unknown>;
}

describe("semi-annual review", () => {
  it("reminds the director at the window start", async () => {
    const program = await setUpProgram();
    await seedResident(harness, program.id, "U0RESONE");
    const reviewed = await seedResident(harness, program.id, "U0RESTWO");
    await harness.db.review.create({ data: { residentId: reviewed.id, reviewerSlackId: DIRECTOR, reviewedAt: new Date("2027-01-02T15:00:00Z"), periodFrom: "2026-07-01", periodUntil: "2027-01-02" } });

    const { ctx, client } = jobContext(harness);
    const report = await runDueJobs(ctx, client, JANUARY_WINDOW);
    expect(report[program.id]!.review_reminder).toBe("done");

    const buttons = reviewButtons();
    expect(buttons).toHaveLength(1);
    expect(buttons[0]!.residentText).toContain("<@U0RESONE>");
    expect(postsTo(harness, DIRECTOR)[0]!.text).toContain("Case log reviews are due: IR Residency");

    const again = await runDueJobs(ctx, client, new Date("2027-01-05T14:00:00Z"));
    expect(again[program.id]!.review_reminder).toBe("claimed_elsewhere");
    expect(reviewButtons()).toHaveLength(1);
  });

  it("sends no reminder outside review months", async () => {
    const program = await setUpProgram();
    await seedResident(harness, program.id, "U0RESONE");
    const { ctx, client } = jobContext(harness);

    const report = await runDueJobs(ctx, client, new Date("2026-12-07T14:00:00Z"));
    expect(report[program.id]!.review_reminder).toBe("not_due");
    expect(reviewButtons()).toHaveLength(0);
  });

  it("records a review and tells the resident", async () => {
    const program = await setUpProgram();
    const resident = await seedResident(harness, program.id, "U0RESONE", { residencyStart: "2026-07-01" });
    await seedEncounters(harness, resident.id, ["2026-07-06", "2026-07-07"]);
    await seedEncounters(harness, resident.id, dateRange("2026-10-01", 12), { createdAt: new Date("2027-01-02T15:00:00Z") });
    await seedEncounters(harness, resident.id, ["2026-12-20"], { verification: "declined" });

    const { ctx, client } = jobContext(harness);
    await runDueJobs(ctx, client, JANUARY_WINDOW);
    const [button] = reviewButtons();

    const view = await clickReview(DIRECTOR, button!.value);
    const modal = JSON.stringify(view);
    expect(view.callback_id).toBe("review_modal");
    expect(modal).toContain("2026-07-01 to 2027-01-04");
    expect(modal).toContain("No cases logged for 86 days (2026-07-07 to 2026-10-01)");
    expect(modal).toContain("12 entries were logged in the last 14 days for cases more than 30 days old");
    expect(modal).toContain("1 entry declined by the attending");
    expect(modal).toContain("Behind pace");

    const submit = await sendViewSubmission(
      harness.baseUrl,
      SIGNING_SECRET,
      viewSubmissionPayload({
        userId: DIRECTOR,
        teamId: TEAM_ID,
        callbackId: "review_modal",
        privateMetadata: String(view.private_metadata),
        values: { review_comment: { value: { type: "plain_text_input", value: "Log more often, please." } } },
      }),
    );
    expect(submit.status).toBe(200);
    await harness.fake.waitFor((record) => record.kind === "call" && record.method === "chat.postMessage" && record.args.channel === "U0RESONE");

    const review = await harness.db.review.findFirstOrThrow({ where: { residentId: resident.id } });
    expect(review.reviewerSlackId).toBe(DIRECTOR);
    expect(review.periodFrom).toBe("2026-07-01");
    expect(review.periodUntil).toBe("2027-01-04");
    expect(review.comment).toBe("Log more often, please.");
    expect(review.reviewedAt.toISOString()).toBe("2027-01-04T14:00:00.000Z");

    await harness.fake.waitFor((record) => record.kind === "call" && record.method === "chat.postMessage" && String(record.args.text).startsWith("Recorded your review"));
    const confirmation = postsTo(harness, DIRECTOR).find((post) => post.text.startsWith("Recorded your review"));
    expect(confirmation?.json).toContain("Recorded your review of <@U0RESONE>'s log");

    const messages = postsTo(harness, "U0RESONE");
    expect(messages[0]!.text).toContain(`reviewed by <@${DIRECTOR}> for 2026-07-01 to 2027-01-04`);
    expect(messages[0]!.json).toContain("Log more often, please.");
  });

  it("rejects an empty review comment", async () => {
    const program = await setUpProgram();
    const resident = await seedResident(harness, program.id, "U0RESONE");
    const submit = await sendViewSubmission(
      harness.baseUrl,
      SIGNING_SECRET,
      viewSubmissionPayload({
        userId: DIRECTOR,
        teamId: TEAM_ID,
        callbackId: "review_modal",
        privateMetadata: JSON.stringify({ r: resident.id, from: "2024-07-01", until: "2027-01-04" }),
        values: { review_comment: { value: { type: "plain_text_input", value: "  " } } },
      }),
    );
    expect(submit.json).toEqual({ response_action: "errors", errors: { review_comment: "Write a comment for the resident." } });
    expect(await harness.db.review.count()).toBe(0);
  });

  it("rejects a review by a resident", async () => {
    const program = await setUpProgram();
    await seedResident(harness, program.id, "U0RESONE");
    await seedResident(harness, program.id, "U0NOSY");
    const { ctx, client } = jobContext(harness);
    await runDueJobs(ctx, client, JANUARY_WINDOW);
    const [button] = reviewButtons();

    const view = await clickReview("U0NOSY", button!.value);
    expect(JSON.stringify(view)).toContain("Only the resident's program director or coordinator can review this log.");
    expect(await harness.db.review.count()).toBe(0);
  });
});

describe("review escalation", () => {
  it("escalates logs unreviewed for 12 months", async () => {
    const program = await setUpProgram();
    await seedResident(harness, program.id, "U0NEVER", { residencyStart: "2025-07-01" });
    const recent = await seedResident(harness, program.id, "U0RECENT", { residencyStart: "2024-07-01" });
    await seedResident(harness, program.id, "U0NEWBIE", { residencyStart: "2026-07-01" });
    await harness.db.review.create({ data: { residentId: recent.id, reviewerSlackId: DIRECTOR, reviewedAt: new Date("2026-07-10T15:00:00Z"), periodFrom: "2024-07-01", periodUntil: "2026-07-10" } });

    const { ctx, client } = jobContext(harness);
    const report = await runDueJobs(ctx, client, new Date("2026-12-07T14:00:00Z"));
    expect(report[program.id]!.review_escalation).toBe("done");

    for (const channel of [DIRECTOR, "C0PROGRAM"]) {
      const posts = postsTo(harness, channel).filter((post) => post.text.includes("overdue for review"));
      expect(posts).toHaveLength(1);
      expect(posts[0]!.json).toContain("<@U0NEVER> · never reviewed (residency started 2025-07-01)");
      expect(posts[0]!.json).not.toContain("U0RECENT");
      expect(posts[0]!.json).not.toContain("U0NEWBIE");
    }

    await runDueJobs(ctx, client, new Date("2026-12-08T14:00:00Z"));
    expect(postsTo(harness, "C0PROGRAM").filter((post) => post.text.includes("overdue for review"))).toHaveLength(1);
  });
});
