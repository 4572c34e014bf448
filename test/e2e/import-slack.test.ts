import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerResident, startHarness, TEAM_ID, SIGNING_SECRET, type Harness } from "../support/app-harness.js";
import { selectedOption, sendViewSubmission, viewSubmissionPayload } from "../support/signed-request.js";

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
  await registerResident(harness, "U0RES", { track: "ir_integrated", pgy: 4 });
});

afterAll(async () => {
  await harness.stop();
});

const CSV = "date,procedures,notes\n2025-09-02,port,\n2025-09-03,nephrostomy,MRN 12345678\n2025-09-04,tace,\n";

async function submit(mode: string) {
  const { responseUrl } = await harness.slash("U0RES", "import");
  void responseUrl;
  const opened = await harness.fake.waitFor("views.open");
  const view = (opened.args.view ?? {}) as { callback_id?: string; private_metadata?: string };
  expect(view.callback_id).toBe("import_modal");

  const before = harness.fake.calls("views.update").length;
  const http = await sendViewSubmission(
    harness.baseUrl,
    SIGNING_SECRET,
    viewSubmissionPayload({
      userId: "U0RES",
      teamId: TEAM_ID,
      callbackId: "import_modal",
      privateMetadata: view.private_metadata ?? "",
      viewId: String((opened.reply as { view?: { id?: string } }).view?.id),
      values: {
        import_kind: { value: { type: "radio_buttons", selected_option: selectedOption("log") } },
        import_csv: { value: { type: "plain_text_input", value: CSV } },
        import_mode: { value: { type: "radio_buttons", selected_option: selectedOption(mode) } },
      },
    }),
  );
  expect(http.status).toBe(200);
  const update = await harness.waitForCall("views.update", before);
  harness.fake.reset();
  return JSON.stringify(update.args.view);
}

describe("import in Slack", () => {
  it("reports a dry run and stores nothing", async () => {
    const report = await submit("dry_run");
    expect(report).toContain("3 rows checked: 2 valid, 1 invalid.");
    expect(report).toContain("row 3: column 3 (\\\"notes\\\") looks like it contains a medical record number");
    expect(report).not.toContain("12345678");
    expect(await harness.db.encounter.count()).toBe(0);
  });

  it("stores nothing when a row is invalid", async () => {
    const report = await submit("all_or_nothing");
    expect(report).toContain("Nothing was stored.");
    expect(await harness.db.encounter.count()).toBe(0);
  });

  it("stores the valid rows when asked", async () => {
    const report = await submit("valid_rows");
    expect(report).toContain("Stored 2 new encounters.");
    expect(await harness.db.encounter.count({ where: { source: "import" } })).toBe(2);
  });
});
