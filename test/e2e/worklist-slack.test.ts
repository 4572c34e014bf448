import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerResident, responseText, startHarness, TEAM_ID, SIGNING_SECRET, type Harness } from "../support/app-harness.js";
import { blockActionPayload, sendBlockActions } from "../support/signed-request.js";

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
  harness.fake.setUser("U0RES", { tz: "America/Chicago", realName: "Rae Res" });
  await registerResident(harness, "U0RES", { track: "ir_integrated", pgy: 4 });
  await registerResident(harness, "U0OTHER", { track: "ir_integrated", pgy: 3 });
});

afterAll(async () => {
  await harness.stop();
});

type Block = { accessory?: { action_id?: string; value?: string }; elements?: { action_id?: string; value?: string }[] };

function values(body: Record<string, unknown>, actionId: string): string[] {
  const blocks = (body.blocks ?? []) as Block[];
  return blocks.flatMap((block) => [block.accessory, ...(block.elements ?? [])]).filter((element) => element?.action_id === actionId).map((element) => element!.value!);
}

async function press(userId: string, actionId: string, value: string) {
  const responseUrl = harness.fake.responseUrl(`${actionId}-${userId}`);
  await sendBlockActions(harness.baseUrl, SIGNING_SECRET, blockActionPayload({ userId, teamId: TEAM_ID, actionId, value, responseUrl, isEphemeral: true }));
  return harness.reply(responseUrl);
}

describe("ACGME worklist in Slack", () => {
  it("lists entries and marks them entered", async () => {
    await harness.reply((await harness.slash("U0RES", "port yesterday")).responseUrl);
    await harness.reply((await harness.slash("U0RES", "tace 12/1")).responseUrl);
    await harness.reply((await harness.slash("U0RES", "dr chest 120")).responseUrl);

    const list = await harness.reply((await harness.slash("U0RES", "worklist")).responseUrl);
    const text = responseText(list);
    expect(text).toContain("2 credited encounters to enter individually");
    expect(text.indexOf("Embolization")).toBeLessThan(text.indexOf("Venous Port"));
    expect(text).toContain("Chest X-Ray: *120*");

    const [first] = values(list, "worklist_mark_entered");
    const afterOne = await press("U0RES", "worklist_mark_entered", first!);
    expect(afterOne.replace_original).toBe(true);
    expect(String(afterOne.text)).toContain("Marked 1 entered.");
    expect(responseText(afterOne)).toContain("1 credited encounters to enter individually");

    const [all] = values(afterOne, "worklist_mark_all_entered");
    const afterAll = await press("U0RES", "worklist_mark_all_entered", all!);
    expect(responseText(afterAll)).toContain("Every credited encounter is marked entered");
    expect(await harness.db.encounter.count({ where: { enteredInAcgme: false } })).toBe(0);
  });

  it("rejects another resident's button", async () => {
    await harness.reply((await harness.slash("U0RES", "nephrostomy yesterday")).responseUrl);
    const list = await harness.reply((await harness.slash("U0RES", "worklist")).responseUrl);
    const [first] = values(list, "worklist_mark_entered");
    const reply = await press("U0OTHER", "worklist_mark_entered", first!);
    expect(responseText(reply)).toContain("belongs to another resident's worklist");
    expect(await harness.db.encounter.count({ where: { enteredInAcgme: false } })).toBe(1);
  });
});
