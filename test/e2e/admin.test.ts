import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SIGNING_SECRET, TEAM_ID, registerResident, responseText, type Harness } from "../support/app-harness.js";
import { appHomeOpenedEvent, eventCallbackPayload, sendEvent } from "../support/signed-request.js";
import { DIRECTOR, startJobsHarness } from "./jobs-support.js";

let harness: Harness;

beforeEach(async () => {
  harness = await startJobsHarness("2026-12-04T15:00:00Z");
});

afterEach(async () => {
  await harness.stop();
});

/** Runs `/caselog admin ...` as `userId` and returns the reply's text and blocks. */
async function admin(userId: string, text: string): Promise<string> {
  const { http, responseUrl } = await harness.slash(userId, `admin ${text}`);
  expect(http.status).toBe(200);
  return responseText(await harness.reply(responseUrl));
}

async function person(slackUserId: string) {
  return harness.db.person.findFirstOrThrow({ where: { slackUserId } });
}

describe("roster admin", () => {
  it("adds a resident with graduation", async () => {
    const reply = await admin(DIRECTOR, "add <@U0NEWRES|newres> ir_integrated 2 2025-07-01 2030-06-30");
    expect(reply).toContain("<@U0NEWRES> is on the roster");

    const resident = await person("U0NEWRES");
    const director = await person(DIRECTOR);
    expect(resident.role).toBe("resident");
    expect(resident.programId).toBe(director.programId);
    expect(resident.track).toBe("ir_integrated");
    expect(resident.pgy).toBe(2);
    expect(resident.residencyStart).toBe("2025-07-01");
    expect(resident.expectedGraduation).toBe("2030-06-30");
    expect(await harness.db.auditEvent.count({ where: { entity: "person", entityId: resident.id } })).toBe(1);
  });

  it("edits track, ESIR dates and ICU rotation", async () => {
    await admin(DIRECTOR, "add <@U0NEWRES|newres> dr 3 2024-07-01");

    const rejected = await admin(DIRECTOR, "set <@U0NEWRES|newres> esir-start 2027-07-01");
    expect(rejected).toContain("Nothing was changed.");
    expect(rejected).toContain("ESIR dates apply only to the ESIR track");

    await admin(DIRECTOR, "set <@U0NEWRES|newres> track esir");
    await admin(DIRECTOR, "set <@U0NEWRES|newres> esir-start 2027-07-01");
    await admin(DIRECTOR, "set <@U0NEWRES|newres> esir-end 2028-06-30");
    await admin(DIRECTOR, "set <@U0NEWRES|newres> icu yes");
    const badPgy = await admin(DIRECTOR, "set <@U0NEWRES|newres> pgy 9");
    expect(badPgy).toContain("PGY must be 8 or less");

    const resident = await person("U0NEWRES");
    expect(resident.track).toBe("esir");
    expect(resident.esirStart).toBe("2027-07-01");
    expect(resident.esirEnd).toBe("2028-06-30");
    expect(resident.icuRotationCompleted).toBe(true);
    expect(resident.pgy).toBe(3);
  });

  it("deactivates and lists residents", async () => {
    await admin(DIRECTOR, "add <@U0STAYS|stays> dr 2 2025-07-01");
    await admin(DIRECTOR, "add <@U0LEAVES|leaves> dr 2 2025-07-01");

    const reply = await admin(DIRECTOR, "deactivate <@U0LEAVES|leaves>");
    expect(reply).toContain("deactivated");
    expect((await person("U0LEAVES")).active).toBe(false);

    const list = await admin(DIRECTOR, "list");
    expect(list).toContain("1 active residents");
    expect(list).toContain("<@U0STAYS>");
    expect(list).not.toContain("U0LEAVES");
  });

  it("rejects admin commands from residents", async () => {
    await registerResident(harness, "U0RESONE");
    const reply = await admin("U0RESONE", "add <@U0OTHER|other> dr 2 2025-07-01");
    expect(reply).toContain("Only a program director or coordinator can use `/caselog admin`");
    expect(await harness.db.person.count({ where: { slackUserId: "U0OTHER" } })).toBe(0);
  });

  it("promotes a coordinator who can then manage", async () => {
    await admin(DIRECTOR, "promote <@U0COORD|coord> coordinator");
    expect((await person("U0COORD")).role).toBe("coordinator");

    const reply = await admin("U0COORD", "add <@U0NEWRES|newres> dr 2 2025-07-01");
    expect(reply).toContain("is on the roster");
  });
});

describe("program settings", () => {
  it("validates and saves each setting", async () => {
    expect(await admin(DIRECTOR, "program channel <#C0RESIDENTS|residents>")).toContain("Saved channel.");
    expect(await admin(DIRECTOR, "program tz Mars/Olympus")).toContain('"Mars/Olympus" is not an IANA time zone');
    expect(await admin(DIRECTOR, "program tz America/Chicago")).toContain("Time zone: America/Chicago");
    expect(await admin(DIRECTOR, "program reviews 1,13")).toContain("Invalid review months");
    expect(await admin(DIRECTOR, "program reviews 7,1")).toContain("Review months: 1,7");
    expect(await admin(DIRECTOR, "program digest daily")).toContain("must be weekly, monthly or off");
    expect(await admin(DIRECTOR, "program digest monthly")).toContain("Digest: monthly");
    expect(await admin(DIRECTOR, "program nudge 5")).toContain("after 5 days without an entry");

    const program = await harness.db.program.findUniqueOrThrow({ where: { id: (await person(DIRECTOR)).programId } });
    expect(program.channelId).toBe("C0RESIDENTS");
    expect(program.timeZone).toBe("America/Chicago");
    expect(program.reviewMonths).toBe("1,7");
    expect(program.digestFrequency).toBe("monthly");
    expect(program.nudgeAfterDays).toBe(5);
  });

  it("creates a second program and moves a resident", async () => {
    await admin(DIRECTOR, "add <@U0MOVER|mover> ir_integrated 2 2025-07-01");
    const created = await admin(DIRECTOR, 'program add "IR Residency" ir <@U0IRPD|irpd>');
    expect(created).toContain("Created IR Residency with <@U0IRPD> as program director");

    const moved = await admin(DIRECTOR, 'move <@U0MOVER|mover> "IR Residency"');
    expect(moved).toContain("<@U0MOVER> moved to IR Residency");

    const irProgram = await harness.db.program.findFirstOrThrow({ where: { name: "IR Residency" } });
    expect((await person("U0MOVER")).programId).toBe(irProgram.id);
    expect((await person("U0IRPD")).role).toBe("program_director");
    expect(irProgram.directorSlackId).toBe("U0IRPD");

    const outsider = await admin(DIRECTOR, "set <@U0MOVER|mover> pgy 3");
    expect(outsider).toContain("Only the program's director or coordinator");
    expect(await admin("U0IRPD", "list")).toContain("<@U0MOVER>");
    expect(await admin(DIRECTOR, "list")).not.toContain("U0MOVER");

    await sendEvent(harness.baseUrl, SIGNING_SECRET, eventCallbackPayload({ teamId: TEAM_ID, event: appHomeOpenedEvent({ userId: "U0IRPD" }) }));
    await harness.waitForCall("views.publish");
    const home = JSON.stringify(harness.fake.homeView("U0IRPD"));
    expect(home).toContain("Program: IR Residency");
    expect(home).toContain("<@U0MOVER>");
  });

  it("hands the program to a new director", async () => {
    expect(await admin(DIRECTOR, "program director <@U0NEWPD|newpd>")).toContain("Director: <@U0NEWPD>");
    expect((await person("U0NEWPD")).role).toBe("program_director");
    expect((await person("U0NEWPD")).programId).toBe((await person(DIRECTOR)).programId);

    await admin(DIRECTOR, "add <@U0RESONE|resone> dr 2 2025-07-01");
    expect(await admin(DIRECTOR, "program director <@U0RESONE|resone>")).toContain("is a resident and cannot direct this program");
  });

  it("lists the commands", async () => {
    const help = await admin(DIRECTOR, "help");
    expect(help).toContain("/caselog admin add @resident");
    expect(help).toContain("/caselog admin program add");
  });
});
