import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CaselogError } from "../../src/services/errors.js";
import { recordReview } from "../../src/services/reviews.js";
import { SIGNING_SECRET, TEAM_ID, registerResident, startHarness, type Harness } from "../support/app-harness.js";
import { selectedOption, sendViewSubmission, viewSubmissionPayload } from "../support/signed-request.js";
import { addPerson, openServiceDb, type ServiceDb } from "../fixtures/service-db.js";
import { DIRECTOR, postsTo, seedProgram, seedResident, seedStaff, startJobsHarness } from "./jobs-support.js";

/**
 * Review comments are stored and sent to the resident, so they pass the patient-identifier guard.
 * Import reports shown in Slack repeat no file text that skipped the guard.
 */

const RESIDENT = "U0RESONE";
const IDENTIFIER_COMMENT = "Discussed Mr Smith, MRN 12345678, with you.";

describe("review comment in Slack", () => {
  let harness: Harness;
  let residentId: number;

  beforeEach(async () => {
    harness = await startJobsHarness("2027-01-04T14:00:00Z");
    const program = await seedProgram(harness, { name: "IR Residency", digestFrequency: "off" });
    await seedStaff(harness, program.id, DIRECTOR);
    residentId = (await seedResident(harness, program.id, RESIDENT)).id;
  });

  afterEach(async () => {
    await harness.stop();
  });

  function submitReview(comment: string, viewId?: string) {
    return sendViewSubmission(
      harness.baseUrl,
      SIGNING_SECRET,
      viewSubmissionPayload({
        userId: DIRECTOR,
        teamId: TEAM_ID,
        callbackId: "review_modal",
        ...(viewId ? { viewId } : {}),
        privateMetadata: JSON.stringify({ r: residentId, from: "2024-07-01", until: "2027-01-04" }),
        values: { review_comment: { value: { type: "plain_text_input", value: comment } } },
      }),
    );
  }

  it("rejects an identifier on the comment block", async () => {
    const submit = await submitReview(IDENTIFIER_COMMENT);
    expect(submit.status).toBe(200);

    const response = submit.json as { response_action?: string; errors?: Record<string, string> };
    expect(response.response_action).toBe("errors");
    expect(response.errors?.review_comment).toContain("a medical record number");
    expect(response.errors?.review_comment).not.toContain("12345678");
    expect(response.errors?.review_comment).not.toContain("Smith");

    // The HTTP response comes with the ack, so wait for a listener that wrongly goes on to store or send.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await harness.db.review.count()).toBe(0);
    expect(postsTo(harness, RESIDENT)).toHaveLength(0);
    expect(JSON.stringify(harness.fake.calls("chat.postMessage"))).not.toContain("12345678");
  });

  it("stores one review for a repeated view", async () => {
    const viewId = "V0REVIEWTWICE";
    const [first, second] = await Promise.all([submitReview("Log more often, please.", viewId), submitReview("Log more often, please.", viewId)]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);

    await harness.fake.waitFor((record) => record.kind === "call" && record.method === "chat.postMessage" && String(record.args.text).startsWith("Recorded your review"));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await harness.db.review.count()).toBe(1);
    expect(postsTo(harness, RESIDENT)).toHaveLength(1);
    expect(postsTo(harness, DIRECTOR).filter((post) => post.text.startsWith("Recorded your review"))).toHaveLength(1);
  });

  it("stores two reviews from two views", async () => {
    await submitReview("First look.", "V0REVIEWONE");
    await harness.fake.waitFor((record) => record.kind === "call" && record.method === "chat.postMessage" && record.args.channel === RESIDENT);
    await submitReview("Second look.", "V0REVIEWTWO");
    await harness.fake.waitFor(
      (record) => record.kind === "call" && record.method === "chat.postMessage" && record.args.channel === RESIDENT && JSON.stringify(record.args).includes("Second look."),
    );
    expect(await harness.db.review.count()).toBe(2);
  });
});

describe("recordReview service", () => {
  let service: ServiceDb;

  beforeEach(async () => {
    service = await openServiceDb();
  });

  afterEach(async () => {
    await service.close();
  });

  async function seedPair() {
    const director = await addPerson(service, { slackUserId: DIRECTOR, role: "program_director" });
    const resident = await addPerson(service, { slackUserId: RESIDENT, role: "resident", track: "dr", pgy: 3, residencyStart: "2024-07-01" });
    return { director, resident };
  }

  it("rejects an identifier in the comment", async () => {
    const { director, resident } = await seedPair();
    const record = recordReview(service.ctx, { actor: director, residentId: resident.id, periodFrom: "2024-07-01", periodUntil: "2026-12-04", comment: IDENTIFIER_COMMENT });

    await expect(record).rejects.toThrow(CaselogError);
    await expect(record).rejects.toMatchObject({ code: "invalid_comment" });
    await expect(record).rejects.not.toThrow(/12345678/);
    expect(await service.db.review.count()).toBe(0);
  });

  it("rejects a comment over the limit", async () => {
    const { director, resident } = await seedPair();
    const record = recordReview(service.ctx, { actor: director, residentId: resident.id, periodFrom: "2024-07-01", periodUntil: "2026-12-04", comment: "a".repeat(3001) });

    await expect(record).rejects.toMatchObject({ code: "invalid_comment" });
    expect(await service.db.review.count()).toBe(0);
  });

  it("returns the first review for a repeated key", async () => {
    const { director, resident } = await seedPair();
    const input = { actor: director, residentId: resident.id, periodFrom: "2024-07-01", periodUntil: "2026-12-04", comment: "Good log.", submissionKey: "slack-view:V0ONCE" };

    const [one, two] = await Promise.all([recordReview(service.ctx, input), recordReview(service.ctx, input)]);
    expect([one.created, two.created].sort()).toEqual([false, true]);
    expect(one.review.id).toBe(two.review.id);
    expect(await service.db.review.count()).toBe(1);
  });
});

describe("import report in Slack", () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await startHarness();
    await registerResident(harness, RESIDENT, { track: "ir_integrated", pgy: 4 });
  });

  afterEach(async () => {
    await harness.stop();
  });

  async function importReport(kind: "log" | "ris", csv: string): Promise<string> {
    await harness.slash(RESIDENT, "import");
    const opened = await harness.fake.waitFor("views.open");
    const view = (opened.args.view ?? {}) as { private_metadata?: string };

    const before = harness.fake.calls("views.update").length;
    const http = await sendViewSubmission(
      harness.baseUrl,
      SIGNING_SECRET,
      viewSubmissionPayload({
        userId: RESIDENT,
        teamId: TEAM_ID,
        callbackId: "import_modal",
        privateMetadata: view.private_metadata ?? "",
        viewId: String((opened.reply as { view?: { id?: string } }).view?.id),
        values: {
          import_kind: { value: { type: "radio_buttons", selected_option: selectedOption(kind) } },
          import_csv: { value: { type: "plain_text_input", value: csv } },
          import_mode: { value: { type: "radio_buttons", selected_option: selectedOption("dry_run") } },
        },
      }),
    );
    expect(http.status).toBe(200);
    const update = await harness.waitForCall("views.update", before);
    return JSON.stringify(update.args.view);
  }

  it.each([
    ["log", "file without header", "2026-11-02,port,Mr Smith MRN 1234567\n2026-11-03,port,x\n", "1234567"],
    ["log", "misplaced quote", 'date,procedures,notes\n2026-11-02,port,Smith 1234567 "x"\n', "1234567"],
    ["ris", "file without header", "2025-08-01,XR CHEST Mr Smith 1234567\n", "1234567"],
    ["ris", "collapsed description", "exam_date,exam_description\n2025-08-01,XR ELBOW Smith 123  45  6789\n", "6789"],
  ] as const)("%s %s is not echoed", async (kind, _case, csv, identifier) => {
    const report = await importReport(kind, csv);
    expect(report).toContain("```");
    expect(report).not.toContain(identifier);
    expect(report).not.toContain("Smith");
  });
});
