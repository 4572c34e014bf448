import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { registerResident, responseText, startHarness, TEAM_ID, SIGNING_SECRET, type Harness } from "../support/app-harness.js";
import { blockActionPayload, sendBlockActions } from "../support/signed-request.js";
import type { RecordedCall } from "../support/fake-slack.js";
import { encounterSeries, seedEncounters } from "../fixtures/service-db.js";
import { pdfFlatText } from "../fixtures/pdf-text.js";

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ env: { CASELOG_PROGRAM_DIRECTORS: "U0PD", CASELOG_COORDINATORS: "U0COORD" } });
  harness.fake.setUser("U0PD", { tz: "America/New_York", realName: "Pat Director" });
  await registerResident(harness, "U0ESIR", { track: "esir", pgy: 5, residencyStart: "2022-07-01", esirStart: "2025-07-01", esirEnd: "2026-06-30" });
  await registerResident(harness, "U0SHORT", { track: "esir", pgy: 5, residencyStart: "2022-07-01", esirStart: "2025-07-01", esirEnd: "2026-06-30" });
  const esir = await harness.db.person.findFirstOrThrow({ where: { slackUserId: "U0ESIR" } });
  const short = await harness.db.person.findFirstOrThrow({ where: { slackUserId: "U0SHORT" } });
  await seedEncounters(harness, esir, encounterSeries(500, "2025-07-01"), "esir");
  await seedEncounters(harness, short, [...encounterSeries(499, "2025-07-01"), ...encounterSeries(4, "2025-09-01", "pending")], "short");
});

afterAll(async () => {
  await harness.stop();
});

beforeEach(() => {
  harness.fake.reset();
  harness.fake.setUser("U0PD", { tz: "America/New_York", realName: "Pat Director" });
});

function buttonValue(call: RecordedCall, actionId: string): string | undefined {
  const blocks = (call.args.blocks ?? []) as { elements?: { action_id?: string; value?: string }[] }[];
  return blocks.flatMap((block) => block.elements ?? []).find((element) => element.action_id === actionId)?.value;
}

async function uploadsAfter(count: number) {
  const deadline = Date.now() + 5000;
  while (harness.fake.uploads().length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} uploads, got ${harness.fake.uploads().length}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return harness.fake.uploads();
}

async function pressButton(userId: string, actionId: string, value: string) {
  const responseUrl = harness.fake.responseUrl(`${actionId}-${userId}`);
  const payload = blockActionPayload({ userId, teamId: TEAM_ID, actionId, value, responseUrl, channelId: "D0PD" });
  const http = await sendBlockActions(harness.baseUrl, SIGNING_SECRET, payload);
  expect(http.status).toBe(200);
  return harness.reply(responseUrl);
}

describe("ESIR form in Slack", () => {
  it("sends the form, signs it and unlocks it", async () => {
    const { responseUrl } = await harness.slash("U0PD", "esir <@U0ESIR|eli>");
    expect(responseText(await harness.reply(responseUrl))).toContain("Preparing the ESIR verification form");

    const [pdf, csv] = await uploadsAfter(2);
    expect(await pdfFlatText(pdf!.data)).toContain("participated during ESIR training: 500");
    expect(csv!.data.toString("utf8").split("\r\n").filter(Boolean)).toHaveLength(501);

    const summary = await harness.waitForCall("chat.postMessage");
    expect(JSON.stringify(summary.args.blocks)).toContain("meets the ESIR minimum");
    const sign = buttonValue(summary, "esir_sign");
    expect(sign).toBeDefined();

    const signed = await pressButton("U0PD", "esir_sign", sign!);
    expect(signed.replace_original).toBe(true);
    expect(responseText(signed)).toContain("500 encounters are locked");
    const verification = await harness.db.esirVerification.findFirstOrThrow();
    expect(verification.signedBySlackId).toBe("U0PD");
    expect(await harness.db.encounter.count({ where: { lockedByVerificationId: verification.id } })).toBe(500);

    const [, , signedPdf] = await uploadsAfter(3);
    expect(await pdfFlatText(signedPdf!.data)).toContain("Signed in Caselog by U0PD on 2026-12-04.");

    const { responseUrl: unlockUrl } = await harness.slash("U0PD", "esir unlock <@U0ESIR>");
    expect(responseText(await harness.reply(unlockUrl))).toContain("unlocked by <@U0PD>");
    expect(await harness.db.encounter.count({ where: { lockedByVerificationId: { not: null } } })).toBe(0);
  });

  it("marks 499 credited encounters not eligible", async () => {
    await harness.slash("U0PD", "esir <@U0SHORT>");
    const summary = await harness.waitForCall("chat.postMessage");
    const text = JSON.stringify(summary.args.blocks);
    expect(text).toContain("NOT ELIGIBLE: 499 of the required 500");
    expect(text).toContain("so 1 is missing. 4 more are pending verification.");
    expect(buttonValue(summary, "esir_sign")).toBeUndefined();

    const [pdf] = await uploadsAfter(1);
    expect(await pdfFlatText(pdf!.data)).toContain("NOT ELIGIBLE");
  });

  it("rejects a resident asking for the form", async () => {
    const { responseUrl } = await harness.slash("U0ESIR", "esir <@U0ESIR>");
    expect(responseText(await harness.reply(responseUrl))).toContain("Only a program director");
    expect(harness.fake.uploads()).toHaveLength(0);
  });

  it("rejects the Sign button pressed by someone else", async () => {
    await harness.slash("U0PD", "esir <@U0ESIR>");
    const sign = buttonValue(await harness.waitForCall("chat.postMessage"), "esir_sign");
    const reply = await pressButton("U0COORD", "esir_sign", sign!);
    expect(responseText(reply)).toContain("only the program director this form was sent to");
    expect(await harness.db.esirVerification.count({ where: { unlockedAt: null } })).toBe(0);
  });

  it("rejects a forged Sign button", async () => {
    const reply = await pressButton("U0PD", "esir_sign", "eyJ1IjoiVTBQRCJ9.forged");
    expect(responseText(reply)).toContain("changed or damaged");
  });

  it("records the ICU rotation", async () => {
    const { responseUrl } = await harness.slash("U0PD", "esir icu <@U0SHORT> yes");
    expect(responseText(await harness.reply(responseUrl))).toContain("ICU rotation completed for <@U0SHORT>: yes.");
    const resident = await harness.db.person.findFirstOrThrow({ where: { slackUserId: "U0SHORT" } });
    expect(resident.icuRotationCompleted).toBe(true);

    await harness.slash("U0PD", "esir <@U0SHORT>");
    const [pdf] = await uploadsAfter(1);
    expect(await pdfFlatText(pdf!.data)).toContain("Completed ICU rotation? YES (X) NO");
  });

  it("explains the command without a mention", async () => {
    const { responseUrl } = await harness.slash("U0PD", "esir");
    expect(responseText(await harness.reply(responseUrl))).toContain("/caselog esir @resident");
  });
});
