import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SIGNING_SECRET, TEAM_ID, registerResident, type Harness } from "../support/app-harness.js";
import { appHomeOpenedEvent, blockActionPayload, eventCallbackPayload, sendBlockActions, sendEvent } from "../support/signed-request.js";
import { DIRECTOR, dateRange, seedEncounters, seedResident, startJobsHarness } from "./jobs-support.js";

let harness: Harness;

beforeEach(async () => {
  harness = await startJobsHarness("2026-12-04T15:00:00Z");
});

afterEach(async () => {
  await harness.stop();
});

type Block = { type: string; block_id?: string; text?: { text: string }; elements?: { action_id?: string; value?: string; text?: { text: string } }[]; accessory?: { action_id: string; value: string } };

/** Opens the Home tab and returns the view published in response. */
async function openHome(userId: string): Promise<{ blocks: Block[]; json: string }> {
  const before = harness.fake.calls("views.publish").length;
  const http = await sendEvent(harness.baseUrl, SIGNING_SECRET, eventCallbackPayload({ teamId: TEAM_ID, event: appHomeOpenedEvent({ userId }) }));
  expect(http.status).toBe(200);
  await harness.waitForCall("views.publish", before);
  return currentHome(userId);
}

function currentHome(userId: string): { blocks: Block[]; json: string } {
  const view = harness.fake.homeView(userId)!;
  return { blocks: view.blocks as Block[], json: JSON.stringify(view) };
}

function button(blocks: Block[], actionId: string, index = 0): { value: string } {
  const found = blocks.flatMap((block) => [...(block.elements ?? []), ...(block.accessory ? [block.accessory] : [])]).filter((element) => element.action_id === actionId);
  return { value: found[index]!.value! };
}

async function click(userId: string, actionId: string, value: string): Promise<void> {
  const before = harness.fake.calls("views.publish").length;
  const http = await sendBlockActions(harness.baseUrl, SIGNING_SECRET, blockActionPayload({ userId, teamId: TEAM_ID, actionId, value, view: { id: "V0HOME", type: "home" } }));
  expect(http.status).toBe(200);
  await harness.waitForCall("views.publish", before);
}

async function residentId(slackUserId: string): Promise<number> {
  return (await harness.db.person.findFirstOrThrow({ where: { slackUserId } })).id;
}

describe("resident App Home", () => {
  it("shows progress, pending items and recent entries", async () => {
    await registerResident(harness, "U0RESONE", { track: "ir_integrated", pgy: 3 });
    const { responseUrl } = await harness.slash("U0RESONE", "port yesterday");
    await harness.reply(responseUrl);

    const home = await openHome("U0RESONE");
    expect(home.json).toContain("Your case log");
    expect(home.json).toContain("home_log_case");
    expect(home.json).toContain("1* of 1000");
    expect(home.json).toContain("Pending items:* none");
    expect(home.json).toContain("2026-12-03 · Venous port placement");
    expect(home.json).toContain("encounter_edit");
    expect(home.json).toContain("home_delete_encounter");
  });

  it("deletes an entry and republishes", async () => {
    await registerResident(harness, "U0RESONE");
    const { responseUrl } = await harness.slash("U0RESONE", "port yesterday");
    await harness.reply(responseUrl);
    const home = await openHome("U0RESONE");

    await click("U0RESONE", "home_delete_encounter", button(home.blocks, "home_delete_encounter").value);

    expect(await harness.db.encounter.count()).toBe(0);
    expect(currentHome("U0RESONE").json).toContain("No entries yet.");
  });

  it("opens the entry form from Log a case", async () => {
    await registerResident(harness, "U0RESONE");
    const home = await openHome("U0RESONE");
    const updates = harness.fake.calls("views.update").length;

    const http = await sendBlockActions(harness.baseUrl, SIGNING_SECRET, blockActionPayload({ userId: "U0RESONE", teamId: TEAM_ID, actionId: "home_log_case", value: button(home.blocks, "home_log_case").value, view: { id: "V0HOME", type: "home" } }));
    expect(http.status).toBe(200);

    const update = await harness.waitForCall("views.update", updates);
    expect((update.args.view as { callback_id: string }).callback_id).toBe("entry_modal");
  });

  it("opens the entry form from Edit", async () => {
    await registerResident(harness, "U0RESONE");
    const { responseUrl } = await harness.slash("U0RESONE", "port yesterday");
    await harness.reply(responseUrl);
    const home = await openHome("U0RESONE");
    const opens = harness.fake.calls("views.open").length;
    const updates = harness.fake.calls("views.update").length;

    const http = await sendBlockActions(harness.baseUrl, SIGNING_SECRET, blockActionPayload({ userId: "U0RESONE", teamId: TEAM_ID, actionId: "encounter_edit", value: button(home.blocks, "encounter_edit").value, view: { id: "V0HOME", type: "home" } }));
    expect(http.status).toBe(200);

    // A loading modal opens at once, then the form replaces it.
    await harness.waitForCall("views.open", opens);
    const update = await harness.waitForCall("views.update", updates);
    const view = update.args.view as { callback_id: string; title: { text: string } };
    expect(view.callback_id).toBe("entry_modal");
    expect(view.title.text).toMatch(/^Edit entry #\d+/);
  });

  it("republishes after a slash command", async () => {
    await registerResident(harness, "U0RESONE");
    await openHome("U0RESONE");
    const publishes = harness.fake.calls("views.publish").length;

    const { responseUrl } = await harness.slash("U0RESONE", "tips yesterday");
    await harness.reply(responseUrl);
    await harness.waitForCall("views.publish", publishes);

    expect(currentHome("U0RESONE").json).toContain("TIPS");
  });

  it("pages through recent entries", async () => {
    await registerResident(harness, "U0RESONE");
    await seedEncounters(harness, await residentId("U0RESONE"), dateRange("2026-10-01", 25));

    const first = await openHome("U0RESONE");
    expect(first.blocks.length).toBeLessThanOrEqual(100);
    expect(first.json).toContain("Page 1 of 3");
    expect(first.json).toContain("2026-10-25");
    expect(first.json).not.toContain("2026-10-15");

    await click("U0RESONE", "home_page_next", button(first.blocks, "home_page_next").value);
    const second = currentHome("U0RESONE");
    expect(second.json).toContain("Page 2 of 3");
    expect(second.json).toContain("2026-10-15");
    expect(second.json).not.toContain("2026-10-25");
  });

  it("rejects another resident's delete button", async () => {
    await registerResident(harness, "U0RESONE");
    await registerResident(harness, "U0RESTWO");
    const { responseUrl } = await harness.slash("U0RESONE", "port yesterday");
    await harness.reply(responseUrl);
    const home = await openHome("U0RESONE");

    await click("U0RESTWO", "home_delete_encounter", button(home.blocks, "home_delete_encounter").value);
    expect(await harness.db.encounter.count()).toBe(1);
    expect(harness.fake.homeView("U0RESTWO")).toBeDefined();
  });
});

describe("director App Home", () => {
  it("shows the program, review status and pace", async () => {
    await registerResident(harness, "U0RESONE", { residencyStart: "2024-07-01" });
    await registerResident(harness, "U0RESTWO", { residencyStart: "2026-07-01" });

    const home = await openHome(DIRECTOR);
    expect(home.json).toContain("Program: Radiology Residency");
    expect(home.json).toContain("*2* active residents");
    expect(home.json).toContain("Behind pace:* <@U0RESONE>");
    expect(home.json).toContain("review overdue");
    expect(button(home.blocks, "review_open").value).toMatch(/\./);
  });

  it("pages a large program within 100 blocks", async () => {
    await registerResident(harness, "U0RESONE");
    const programId = (await harness.db.person.findFirstOrThrow({ where: { slackUserId: "U0RESONE" } })).programId;
    for (let index = 0; index < 59; index += 1) await seedResident(harness, programId, `U0RES${String(index).padStart(3, "0")}`);

    const first = await openHome(DIRECTOR);
    expect(first.blocks.length).toBeLessThanOrEqual(100);
    expect(first.json).toContain("*60* active residents");
    expect(first.json).toContain("Page 1 of 3");

    await click(DIRECTOR, "home_page_next", button(first.blocks, "home_page_next").value);
    expect(currentHome(DIRECTOR).json).toContain("Page 2 of 3");
  });

  it("welcomes someone not yet registered", async () => {
    const home = await openHome("U0STRANGER");
    expect(home.json).toContain("Type `/caselog` to register");
  });
});
