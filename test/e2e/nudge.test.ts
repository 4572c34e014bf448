import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runDueJobs } from "../../src/jobs/scheduler.js";
import { SIGNING_SECRET, TEAM_ID, responseText, type Harness } from "../support/app-harness.js";
import { blockActionPayload, sendBlockActions } from "../support/signed-request.js";
import { jobContext, postsTo, seedEncounters, seedProgram, seedResident, startJobsHarness } from "./jobs-support.js";

// Friday 2026-12-04 at 10:00 in Los Angeles, the resident's zone.
const FRIDAY_MORNING_LA = new Date("2026-12-04T18:00:00Z");
const RESIDENT = "U0IDLE";

let harness: Harness;

beforeEach(async () => {
  harness = await startJobsHarness("2026-12-04T18:00:00Z");
  harness.fake.setUser(RESIDENT, { tz: "America/Los_Angeles" });
});

afterEach(async () => {
  await harness.stop();
});

/** Creates a program that nudges after 5 idle days and a resident whose last entry was made at `lastEntry`. */
async function setUp(lastEntry = new Date("2026-11-27T18:00:00Z")) {
  const program = await seedProgram(harness, { name: "IR Residency", nudgeAfterDays: 5, digestFrequency: "off" });
  const resident = await seedResident(harness, program.id, RESIDENT, { timeZone: "America/Los_Angeles", createdAt: new Date("2026-07-01T12:00:00Z") });
  await seedEncounters(harness, resident.id, ["2026-11-26"], { createdAt: lastEntry });
  return { program, resident };
}

async function run(at: string | Date) {
  const { ctx, client } = jobContext(harness);
  harness.setNow(at);
  return runDueJobs(ctx, client, new Date(at));
}

function nudges() {
  return postsTo(harness, RESIDENT).filter((post) => post.text.includes("You have logged no cases"));
}

describe("nudges", () => {
  it("nudges an idle resident once", async () => {
    await setUp();
    await run(FRIDAY_MORNING_LA);

    expect(nudges()).toHaveLength(1);
    expect(nudges()[0]!.text).toContain("for 7 days");
    expect(nudges()[0]!.json).toContain("nudge_snooze");

    await run("2026-12-04T20:00:00Z");
    expect(nudges()).toHaveLength(1);
  });

  it("leaves a resident who logged recently alone", async () => {
    await setUp(new Date("2026-12-01T18:00:00Z"));
    await run(FRIDAY_MORNING_LA);
    expect(nudges()).toHaveLength(0);
  });

  it("waits for the resident's working hours", async () => {
    await setUp();

    // 10:00 in New York, the program's zone, is 07:00 in Los Angeles.
    await run("2026-12-04T15:00:00Z");
    expect(nudges()).toHaveLength(0);

    // 18:00 in Los Angeles is after working hours.
    await run("2026-12-05T02:00:00Z");
    expect(nudges()).toHaveLength(0);

    await run(FRIDAY_MORNING_LA);
    expect(nudges()).toHaveLength(1);
  });

  it("sends nothing on weekends", async () => {
    await setUp();
    await run("2026-12-05T18:00:00Z");
    await run("2026-12-06T18:00:00Z");
    expect(nudges()).toHaveLength(0);
  });

  it("snoozes for a week", async () => {
    const { resident } = await setUp();
    await run(FRIDAY_MORNING_LA);
    const actionsBlock = (nudges()[0]!.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).find((block) => block.type === "actions")!;
    const snooze = actionsBlock.elements!.find((element) => element.action_id === "nudge_snooze")!;

    const responseUrl = harness.fake.responseUrl("snooze");
    await sendBlockActions(harness.baseUrl, SIGNING_SECRET, blockActionPayload({ userId: RESIDENT, teamId: TEAM_ID, actionId: "nudge_snooze", value: snooze.value, responseUrl }));
    expect(responseText(await harness.reply(responseUrl))).toContain("Reminders are paused until 2026-12-11");
    expect((await harness.db.person.findUniqueOrThrow({ where: { id: resident.id } })).nudgesPausedUntil).toBe("2026-12-11");

    await run("2026-12-09T18:00:00Z");
    expect(nudges()).toHaveLength(1);

    await run("2026-12-11T18:00:00Z");
    expect(nudges()).toHaveLength(2);
  });

  it("mutes during a vacation", async () => {
    await setUp();
    const { responseUrl } = await harness.slash(RESIDENT, "vacation until 2026-12-20");
    expect(responseText(await harness.reply(responseUrl))).toContain("paused until 2026-12-20");

    await run(FRIDAY_MORNING_LA);
    await run("2026-12-14T18:00:00Z");
    expect(nudges()).toHaveLength(0);

    const off = await harness.slash(RESIDENT, "vacation off");
    expect(responseText(await harness.reply(off.responseUrl))).toContain("on again");
    await run("2026-12-15T18:00:00Z");
    expect(nudges()).toHaveLength(1);
  });

  it("is off without a nudge delay", async () => {
    const { program } = await setUp();
    await harness.db.program.update({ where: { id: program.id }, data: { nudgeAfterDays: null } });
    const report = await run(FRIDAY_MORNING_LA);
    expect(report[program.id]!.nudges).toBe("not_due");
    expect(nudges()).toHaveLength(0);
  });
});
