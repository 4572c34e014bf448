import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { registerResident, responseText, startHarness, type Harness } from "../support/app-harness.js";
import { pdfFlatText } from "../fixtures/pdf-text.js";

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ env: { CASELOG_COORDINATORS: "U0COORD" } });
  await registerResident(harness, "U0RES", { track: "ir_integrated", pgy: 4 });
  await registerResident(harness, "U0OTHER", { track: "dr", pgy: 2 });
  await harness.reply((await harness.slash("U0RES", "port yesterday")).responseUrl);
});

afterAll(async () => {
  await harness.stop();
});

beforeEach(() => {
  harness.fake.reset();
});

async function uploads(count: number) {
  const deadline = Date.now() + 5000;
  while (harness.fake.uploads().length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} uploads, got ${harness.fake.uploads().length}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return harness.fake.uploads();
}

describe("exports in Slack", () => {
  it("sends a resident their log and progress report", async () => {
    const { responseUrl } = await harness.slash("U0RES", "export");
    expect(responseText(await harness.reply(responseUrl))).toContain("It arrives in your direct messages");

    const [pdf, csv] = await uploads(2);
    expect(await pdfFlatText(pdf!.data)).toContain("Case Log Progress Report");
    expect(csv!.data.toString("utf8")).toContain("Venous port placement");

    const complete = await harness.waitForCall("files.completeUploadExternal");
    expect(String(complete.args.channel_id)).toMatch(/^D/);
  });

  it("sends a coordinator the program log", async () => {
    await harness.slash("U0COORD", "export program");
    const [csv] = await uploads(1);
    expect(csv!.data.toString("utf8").split("\r\n")[1]).toMatch(/^U0RES,/);
  });

  it("rejects a resident exporting the program", async () => {
    const { responseUrl } = await harness.slash("U0RES", "export program");
    expect(responseText(await harness.reply(responseUrl))).toContain("Only program directors and coordinators");
    expect(harness.fake.uploads()).toHaveLength(0);
  });

  it("rejects a resident exporting another log", async () => {
    const { responseUrl } = await harness.slash("U0OTHER", "export <@U0RES>");
    expect(responseText(await harness.reply(responseUrl))).toContain("You can see only your own case log");
  });
});
