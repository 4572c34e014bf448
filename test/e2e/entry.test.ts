import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CALLBACKS, ENTRY_BLOCKS } from "../../src/slack/ids.js";
import { SIGNING_SECRET, TEAM_ID, registerResident, responseText, startHarness, type Harness } from "../support/app-harness.js";
import { selectedOption, sendSlashCommand, sendViewSubmission, viewSubmissionPayload } from "../support/signed-request.js";
import { ACTIONS, buttonValue, pressButton } from "./entry-helpers.js";

const RESIDENT = "U0RESIDENT";
const OTHER_RESIDENT = "U0OTHER";
const DR_RESIDENT = "U0DRRES";
const INDEPENDENT_IR = "U0INDEPIR";

let harness: Harness;

beforeAll(async () => {
  // 16:00 UTC on Friday 2026-12-04 is 10:00 in Chicago.
  harness = await startHarness({ now: "2026-12-04T16:00:00Z" });
  harness.fake.setUser(RESIDENT, { tz: "America/Chicago" });
  harness.fake.setUser(OTHER_RESIDENT, { tz: "America/New_York" });
  await registerResident(harness, RESIDENT, { track: "ir_integrated", pgy: 3, residencyStart: "2024-07-01" });
  await registerResident(harness, OTHER_RESIDENT, { track: "esir", pgy: 4, residencyStart: "2023-07-01", esirStart: "2026-07-01", esirEnd: "2027-06-30" });
  await registerResident(harness, DR_RESIDENT, { track: "dr", pgy: 2, residencyStart: "2026-07-01" });
  await registerResident(harness, INDEPENDENT_IR, { track: "ir_independent", pgy: 6, residencyStart: "2026-07-01" });
});

afterAll(async () => {
  await harness.stop();
});

beforeEach(async () => {
  await harness.db.encounter.deleteMany();
  await harness.db.drCount.deleteMany();
  await harness.db.auditEvent.deleteMany({ where: { entity: { not: "person" } } });
  harness.setNow("2026-12-04T16:00:00Z");
});

async function encounters() {
  return harness.db.encounter.findMany({ include: { procedures: true }, orderBy: { id: "asc" } });
}

describe("slash command quick entry", () => {
  it("stores procedures, date and attending", async () => {
    // A chest port and a gastrostomy tube are the ACGME guide's example of disparate procedures.
    const { http, responseUrl } = await harness.slash(RESIDENT, "port and g-tube yesterday <@U0ATTEND|dr_smith>");
    expect(http.status).toBe(200);

    const reply = await harness.reply(responseUrl);
    const text = responseText(reply);
    expect(text).toContain("Venous port placement");
    expect(text).toContain("Gastrostomy tube placement");
    expect(text).toContain("2026-12-03");
    expect(text).toContain(ACTIONS.undo);
    expect(text).toContain(ACTIONS.edit);

    const [stored] = await encounters();
    expect(stored!.performedOn).toBe("2026-12-03");
    expect(stored!.supervisorSlackId).toBe("U0ATTEND");
    expect(stored!.source).toBe("slash");
    expect(stored!.procedures.map((row) => row.procedureId).sort()).toEqual(["gastrostomy", "port_placement"]);
  });

  it("reads today in the user's time zone", async () => {
    // 04:00 UTC on Dec 5 is still Dec 4 in Chicago.
    harness.setNow("2026-12-05T04:00:00Z");
    const { responseUrl } = await harness.slash(RESIDENT, "paracentesis today");
    await harness.reply(responseUrl);

    const [stored] = await encounters();
    expect(stored!.performedOn).toBe("2026-12-04");
  });

  it("counts only the most complex procedure per category", async () => {
    const { responseUrl } = await harness.slash(RESIDENT, "venous angioplasty and venous stent");
    const reply = await harness.reply(responseUrl);
    expect(responseText(reply)).toContain("only the most complex procedure");

    const [stored] = await encounters();
    expect(stored!.procedures.map((row) => row.procedureId)).toEqual(["venous_stent"]);
  });

  it("logs a new outpatient clinic evaluation", async () => {
    const { responseUrl } = await harness.slash(RESIDENT, "clinic today");
    await harness.reply(responseUrl);

    const [stored] = await encounters();
    expect(stored!.kind).toBe("clinic");
    expect(stored!.procedures[0]!.category).toBe("new_outpatient_clinic");
  });

  it("stores a retried request once", async () => {
    const responseUrl = harness.fake.responseUrl("retry");
    const first = await harness.slash(RESIDENT, "port yesterday", { triggerId: "trigger-retry-1", responseUrl });
    const retry = await harness.slash(RESIDENT, "port yesterday", { triggerId: "trigger-retry-1", responseUrl, retryNum: 1, retryReason: "http_timeout" });
    expect(first.http.status).toBe(200);
    expect(retry.http.status).toBe(200);

    await harness.reply(responseUrl, 1);
    expect(await encounters()).toHaveLength(1);
    expect(responseText(await harness.reply(responseUrl, 1))).toContain("already logged");
  });
});

describe("slash command rejections", () => {
  const rejected: { name: string; text: string; expected: string }[] = [
    { name: "future date", text: "port 12/25/2026", expected: "is in the future" },
    { name: "date before residency", text: "port 2023-01-05", expected: "before your residency start" },
    { name: "diagnostic vascular imaging", text: "cta runoff yesterday", expected: "CTA/MRA" },
    { name: "clinic mixed with a procedure", text: "clinic and port today", expected: "its own encounter" },
    { name: "two attendings", text: "port <@U0ATT1> <@U0ATT2>", expected: "one supervising attending" },
  ];

  for (const row of rejected) {
    it(`rejects ${row.name}`, async () => {
      const { responseUrl } = await harness.slash(RESIDENT, row.text);
      const reply = await harness.reply(responseUrl);
      expect(responseText(reply)).toContain("Nothing was saved");
      expect(responseText(reply)).toContain(row.expected);
      expect(await encounters()).toHaveLength(0);
    });
  }

  it("names an impossible date", async () => {
    const { responseUrl } = await harness.slash(RESIDENT, "port 2/29/2025");
    expect(responseText(await harness.reply(responseUrl))).toContain('"2/29/2025" is not a valid date');
    expect(await encounters()).toHaveLength(0);
  });

  it("rejects text over 1000 characters", async () => {
    const { responseUrl } = await harness.slash(RESIDENT, `port ${"x".repeat(2000)}`);
    const reply = await harness.reply(responseUrl);
    expect(responseText(reply)).toContain("at most 1000");
    expect(await encounters()).toHaveLength(0);
  });

  it("offers suggestions for an unknown procedure", async () => {
    const { responseUrl } = await harness.slash(RESIDENT, "tipz yesterday");
    const reply = await harness.reply(responseUrl);
    expect(responseText(reply)).toContain("Nothing was logged yet");
    expect(responseText(reply)).toContain("tipz");
    expect(responseText(reply)).toContain("TIPS creation");
    expect(await encounters()).toHaveLength(0);
  });
});

describe("patient privacy guard", () => {
  const identifiers = [
    "port MRN 4432211 yesterday",
    "port for Mr. Johnson",
    "port call back 312-555-0199",
    "port 123-45-6789",
    "port dob 3/4/1961",
    "port acc 88812345",
  ];

  for (const text of identifiers) {
    it(`rejects "${text.slice(0, 24)}" without echoing it`, async () => {
      const { responseUrl } = await harness.slash(RESIDENT, text);
      const reply = await harness.reply(responseUrl);
      const shown = responseText(reply);
      expect(shown).toContain("Caselog never stores patient identifiers");
      expect(shown).not.toContain("4432211");
      expect(shown).not.toContain("Johnson");
      expect(shown).not.toContain("555-0199");
      expect(shown).not.toContain("6789");
      expect(shown).not.toContain("1961");
      expect(shown).not.toContain("88812345");
      expect(await encounters()).toHaveLength(0);
      expect(await harness.db.auditEvent.count({ where: { entity: "encounter" } })).toBe(0);
    });
  }

  it("rejects identifiers in notes", async () => {
    const { responseUrl } = await harness.slash(RESIDENT, "port notes: pt name: Jane Roe");
    const reply = await harness.reply(responseUrl);
    expect(responseText(reply)).toContain("patient identifiers");
    expect(responseText(reply)).not.toContain("Jane");
    expect(await encounters()).toHaveLength(0);
  });
});

describe("choices for ambiguous text", () => {
  it("stores the choice once on a double click", async () => {
    const { responseUrl } = await harness.slash(RESIDENT, "line yesterday");
    const reply = await harness.reply(responseUrl);
    expect(await encounters()).toHaveLength(0);

    const value = buttonValue(reply, ACTIONS.chooseProcedure, 0);
    const first = await pressButton(harness, RESIDENT, ACTIONS.chooseProcedure, value);
    const second = await pressButton(harness, RESIDENT, ACTIONS.chooseProcedure, value);
    expect(first.http.status).toBe(200);
    expect(second.http.status).toBe(200);
    await harness.reply(first.responseUrl);
    await harness.reply(second.responseUrl);

    const stored = await encounters();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.procedures[0]!.procedureId).toBe("picc");
    expect(stored[0]!.performedOn).toBe("2026-12-03");
  });
});

describe("choice safety", () => {
  it("stores one encounter when two choices are pressed", async () => {
    const { responseUrl } = await harness.slash(RESIDENT, "line yesterday");
    const reply = await harness.reply(responseUrl);

    const picc = await pressButton(harness, RESIDENT, ACTIONS.chooseProcedure, buttonValue(reply, ACTIONS.chooseProcedure, 0));
    const tunneled = await pressButton(harness, RESIDENT, ACTIONS.chooseProcedure, buttonValue(reply, ACTIONS.chooseProcedure, 1));
    await harness.reply(picc.responseUrl);
    await harness.reply(tunneled.responseUrl);

    expect(await encounters()).toHaveLength(1);
  });

  it("rejects long notes before offering choices", async () => {
    const { responseUrl } = await harness.slash(RESIDENT, `prot yesterday notes: ${"é".repeat(600)}`);
    const text = responseText(await harness.reply(responseUrl));
    expect(text).toContain("Notes are limited to 500 characters");
    expect(text).not.toContain(ACTIONS.chooseProcedure);
    expect(await encounters()).toHaveLength(0);
  });

  it("keeps rule 4 when choices are offered", async () => {
    const { responseUrl } = await harness.slash(RESIDENT, "venous duplex and line yesterday");
    const text = responseText(await harness.reply(responseUrl));
    expect(text).toContain("non-catheter (diagnostic) vascular imaging");
    expect(text).not.toContain(ACTIONS.chooseProcedure);
  });

  it("offers no choices when notes outgrow a button", async () => {
    const { responseUrl } = await harness.slash(RESIDENT, `line yesterday notes: ${"\u6F22".repeat(480)}`);
    const text = responseText(await harness.reply(responseUrl));
    expect(text).toContain("too long to carry on a choice button");
    expect(await encounters()).toHaveLength(0);
  });

  it("rejects a resident named as the attending", async () => {
    const { responseUrl } = await harness.slash(RESIDENT, `port yesterday <@${OTHER_RESIDENT}>`);
    const text = responseText(await harness.reply(responseUrl));
    expect(text).toContain("is registered as a resident");
    expect(await encounters()).toHaveLength(0);
  });
});

describe("undo and buttons", () => {
  it("undoes an entry and refuses a second undo", async () => {
    const { responseUrl } = await harness.slash(RESIDENT, "port yesterday");
    const card = await harness.reply(responseUrl);
    const value = buttonValue(card, ACTIONS.undo);

    const first = await pressButton(harness, RESIDENT, ACTIONS.undo, value);
    const undone = await harness.reply(first.responseUrl);
    expect(undone.replace_original).toBe(true);
    expect(responseText(undone)).toContain("Undone");
    expect(await encounters()).toHaveLength(0);

    const audit = await harness.db.auditEvent.findMany({ where: { entity: "encounter" }, orderBy: { id: "asc" } });
    expect(audit.map((row) => row.action)).toEqual(["create", "delete"]);
    expect(JSON.parse(audit[1]!.before!).procedures).toEqual(["port_placement"]);

    const second = await pressButton(harness, RESIDENT, ACTIONS.undo, value);
    expect(responseText(await harness.reply(second.responseUrl))).toContain("no longer exists");
  });

  it("rejects a tampered button value", async () => {
    const { responseUrl } = await harness.slash(RESIDENT, "port yesterday");
    const card = await harness.reply(responseUrl);
    const value = buttonValue(card, ACTIONS.undo);
    const [payload, tag] = value.split(".");
    const forged = Buffer.from(JSON.stringify({ u: RESIDENT, e: 999 })).toString("base64url");

    for (const tampered of [`${forged}.${tag}`, `${payload}.AAAA${tag!.slice(4)}`, "not-a-value"]) {
      const press = await pressButton(harness, RESIDENT, ACTIONS.undo, tampered);
      expect(responseText(await harness.reply(press.responseUrl))).toContain("button's data was changed");
    }
    expect(await encounters()).toHaveLength(1);
  });

  it("refuses another resident's undo", async () => {
    const { responseUrl } = await harness.slash(RESIDENT, "port yesterday");
    const value = buttonValue(await harness.reply(responseUrl), ACTIONS.undo);

    const press = await pressButton(harness, OTHER_RESIDENT, ACTIONS.undo, value);
    expect(responseText(await harness.reply(press.responseUrl))).toContain("belongs to another resident");
    expect(await encounters()).toHaveLength(1);
  });
});

describe("request signatures", () => {
  it("rejects a bad signature and stores nothing", async () => {
    const responseUrl = harness.fake.responseUrl("bad-signature");
    const http = await sendSlashCommand(harness.baseUrl, SIGNING_SECRET, { userId: RESIDENT, teamId: TEAM_ID, text: "port yesterday", responseUrl, invalidSignature: true });
    expect(http.status).toBe(401);

    const old = await sendSlashCommand(harness.baseUrl, SIGNING_SECRET, { userId: RESIDENT, teamId: TEAM_ID, text: "port yesterday", responseUrl, timestamp: Math.floor(Date.now() / 1000) - 60 * 10 });
    expect(old.status).toBe(401);

    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(harness.fake.responses(responseUrl)).toHaveLength(0);
    expect(await encounters()).toHaveLength(0);
  });

  it("rejects a malformed payload", async () => {
    const http = await sendViewSubmission(harness.baseUrl, SIGNING_SECRET, { type: "view_submission", nonsense: true });
    expect(http.status).toBeGreaterThanOrEqual(400);
    expect(await encounters()).toHaveLength(0);
  });
});

describe("progress and DR counts", () => {
  it("shows encounters toward 1000 and category counts", async () => {
    for (const text of ["port 12/1", "tips 12/2", "ptbd 12/2"]) {
      const { responseUrl } = await harness.slash(RESIDENT, text);
      await harness.reply(responseUrl);
    }
    const { responseUrl } = await harness.slash(RESIDENT, "progress");
    const text = responseText(await harness.reply(responseUrl));
    expect(text).toContain("*3* of 1000");
    expect(text).toMatch(/ 1 {2}Venous Port\\n/);
    expect(text).toMatch(/ 1 {2}TIPS or TIPS Revision\\n/);
    expect(text).toContain("Primary GI Intervention (PTBD, Cholecystostomy, Gastrostomy)");
    expect(text).toContain("Chest X-Ray");
  });

  it("counts ESIR encounters inside the ESIR dates toward 500", async () => {
    for (const text of ["port 2026-06-15", "port 2026-09-01", "tips 2026-10-01"]) {
      const { responseUrl } = await harness.slash(OTHER_RESIDENT, text);
      await harness.reply(responseUrl);
    }
    const { responseUrl } = await harness.slash(OTHER_RESIDENT, "progress");
    const text = responseText(await harness.reply(responseUrl));
    expect(text).toContain("*2* of 500");
    expect(text).toContain("(3 in all)");
  });

  it("replaces a DR count instead of adding to it", async () => {
    const first = await harness.slash(RESIDENT, "dr chest 120");
    expect(responseText(await harness.reply(first.responseUrl))).toContain("Chest X-Ray for academic year 2026-2027 to 120");
    const second = await harness.slash(RESIDENT, "dr chest 150");
    expect(responseText(await harness.reply(second.responseUrl))).toContain("(was 120)");

    const rows = await harness.db.drCount.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.count).toBe(150);
  });

  it("reads the count before the date", async () => {
    const { responseUrl } = await harness.slash(RESIDENT, "dr pet 25 dec 3");
    expect(responseText(await harness.reply(responseUrl))).toContain("Set PET for academic year 2026-2027 to 25");
    const [row] = await harness.db.drCount.findMany();
    expect(row!.count).toBe(25);
    expect(row!.academicYear).toBe(2026);
  });

  it("rejects a DR count from before residency", async () => {
    const { responseUrl } = await harness.slash(RESIDENT, "dr chest 50 2020-01-01");
    expect(responseText(await harness.reply(responseUrl))).toContain("before your residency start");
    expect(await harness.db.drCount.count()).toBe(0);
  });

  it("refuses DR counts from independent IR residents", async () => {
    const { responseUrl } = await harness.slash(INDEPENDENT_IR, "dr chest 10");
    expect(responseText(await harness.reply(responseUrl))).toContain("Independent interventional radiology residents");
    expect(await harness.db.drCount.count()).toBe(0);
  });

  it("lists pending entries apart when verification is required", async () => {
    await harness.db.program.updateMany({ data: { verificationRequired: true } });
    try {
      const logged = await harness.slash(RESIDENT, "port yesterday <@U0ATTEND>");
      await harness.reply(logged.responseUrl);

      const { responseUrl } = await harness.slash(RESIDENT, "progress");
      const text = responseText(await harness.reply(responseUrl));
      expect(text).toContain("*0* of 1000");
      expect(text).toContain("1 entry awaiting attending verification");
    } finally {
      await harness.db.program.updateMany({ data: { verificationRequired: false } });
    }
  });

  it("shows no encounter total for diagnostic radiology", async () => {
    const { responseUrl } = await harness.slash(DR_RESIDENT, "progress");
    expect(responseText(await harness.reply(responseUrl))).toContain("sets no total for diagnostic radiology");
  });
});

describe("entry modal", () => {
  async function openEntryModal(userId: string) {
    harness.fake.reset();
    const { responseUrl } = await harness.slash(userId, "");
    await harness.waitForCall("views.update");
    const update = harness.fake.calls("views.update")[0]!;
    const view = update.args.view as { private_metadata: string; callback_id: string; blocks: { block_id?: string }[] };
    return { view, viewId: String(update.args.view_id), responseUrl };
  }

  function values(input: { procedures?: string[]; date?: string; role?: string; notes?: string }) {
    return {
      [ENTRY_BLOCKS.procedures]: { value: { type: "multi_static_select", selected_options: (input.procedures ?? []).map((id) => selectedOption(id)) } },
      [ENTRY_BLOCKS.date]: { value: { type: "datepicker", selected_date: input.date ?? "2026-12-03" } },
      [ENTRY_BLOCKS.role]: { value: { type: "static_select", selected_option: selectedOption(input.role ?? "first_operator") } },
      [ENTRY_BLOCKS.supervisor]: { value: { type: "users_select", selected_user: "U0ATTEND" } },
      [ENTRY_BLOCKS.notes]: { value: { type: "plain_text_input", value: input.notes ?? null } },
    };
  }

  async function submit(userId: string, metadata: string, viewId: string, input: Parameters<typeof values>[0]) {
    return sendViewSubmission(
      harness.baseUrl,
      SIGNING_SECRET,
      viewSubmissionPayload({ userId, teamId: TEAM_ID, callbackId: CALLBACKS.entry, privateMetadata: metadata, values: values(input) as never, viewId }),
    );
  }

  it("opens with today's date in the user's zone", async () => {
    harness.setNow("2026-12-05T03:00:00Z");
    const { view } = await openEntryModal(RESIDENT);
    expect(harness.fake.calls("views.open")).toHaveLength(1);
    expect(view.callback_id).toBe(CALLBACKS.entry);
    expect(JSON.stringify(view)).toContain('"initial_date":"2026-12-04"');
  });

  it("stores a valid submission", async () => {
    const { view, viewId, responseUrl } = await openEntryModal(RESIDENT);
    const http = await submit(RESIDENT, view.private_metadata, viewId, { procedures: ["tace", "emergency_embolization"], notes: "coil and gelfoam" });
    expect(http.status).toBe(200);
    expect(http.body).toBe("");

    const card = await harness.reply(responseUrl);
    expect(responseText(card)).toContain("Emergency embolization");
    const stored = await encounters();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.source).toBe("modal");
    expect(stored[0]!.notes).toBe("coil and gelfoam");
    expect(stored[0]!.procedures.map((row) => row.procedureId)).toEqual(["emergency_embolization"]);

    // Slack retrying the same submission stores nothing new.
    await submit(RESIDENT, view.private_metadata, viewId, { procedures: ["tace", "emergency_embolization"], notes: "coil and gelfoam" });
    await harness.reply(responseUrl, 1);
    expect(await encounters()).toHaveLength(1);
  });

  const invalid: { name: string; input: Parameters<typeof values>[0]; block: string; expected: string }[] = [
    { name: "no procedure", input: { procedures: [] }, block: ENTRY_BLOCKS.procedures, expected: "No procedure was given" },
    { name: "future date", input: { procedures: ["port_placement"], date: "2026-12-10" }, block: ENTRY_BLOCKS.date, expected: "in the future" },
    { name: "assistant role", input: { procedures: ["port_placement"], role: "assistant" }, block: ENTRY_BLOCKS.role, expected: "first operator" },
    { name: "identifier in notes", input: { procedures: ["port_placement"], notes: "MRN 5551234" }, block: ENTRY_BLOCKS.notes, expected: "medical record number" },
  ];

  for (const row of invalid) {
    it(`puts the ${row.name} error on its input block`, async () => {
      const { view, viewId } = await openEntryModal(RESIDENT);
      const http = await submit(RESIDENT, view.private_metadata, viewId, row.input);
      expect(http.status).toBe(200);

      const body = JSON.parse(http.body) as { response_action: string; errors: Record<string, string> };
      expect(body.response_action).toBe("errors");
      expect(Object.keys(body.errors)).toContain(row.block);
      expect(body.errors[row.block]).toContain(row.expected);
      expect(view.blocks.map((block) => block.block_id)).toContain(row.block);
      expect(await encounters()).toHaveLength(0);
    });
  }

  it("edits an entry from its card", async () => {
    const { responseUrl } = await harness.slash(RESIDENT, "port yesterday");
    const card = await harness.reply(responseUrl);
    harness.fake.reset();
    const press = await pressButton(harness, RESIDENT, ACTIONS.edit, buttonValue(card, ACTIONS.edit));
    expect(press.http.status).toBe(200);

    await harness.waitForCall("views.open");
    const filled = await harness.waitForCall("views.update");
    const view = filled.args.view as { private_metadata: string };
    const http = await submit(RESIDENT, view.private_metadata, "V0EDIT", { procedures: ["picc"], date: "2026-12-02" });
    expect(http.status).toBe(200);

    const updated = await harness.reply(press.responseUrl);
    expect(updated.replace_original).toBe(true);
    expect(responseText(updated)).toContain("Updated encounter");
    const [stored] = await encounters();
    expect(stored!.performedOn).toBe("2026-12-02");
    expect(stored!.procedures.map((row) => row.procedureId)).toEqual(["picc"]);
    expect(stored!.version).toBe(2);

    // Slack retrying the same submission changes nothing and reports nothing.
    await submit(RESIDENT, view.private_metadata, "V0EDIT", { procedures: ["picc"], date: "2026-12-02" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(harness.fake.responses(press.responseUrl)).toHaveLength(1);
    expect((await encounters())[0]!.version).toBe(2);

    // The same (now stale) form cannot overwrite the newer version.
    await submit(RESIDENT, view.private_metadata, "V0EDIT2", { procedures: ["port_placement"] });
    expect(responseText(await harness.reply(press.responseUrl, 1))).toContain("changed after the form was opened");
  });
});

describe("registration", () => {
  it("opens the registration modal and logs the pending text afterwards", async () => {
    harness.fake.reset();
    const { responseUrl } = await harness.slash("U0NEWBIE", "port yesterday");
    const opened = await harness.waitForCall("views.open");
    const view = opened.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(CALLBACKS.registration);
    expect(await encounters()).toHaveLength(0);

    const http = await sendViewSubmission(
      harness.baseUrl,
      SIGNING_SECRET,
      viewSubmissionPayload({
        userId: "U0NEWBIE",
        teamId: TEAM_ID,
        callbackId: CALLBACKS.registration,
        privateMetadata: view.private_metadata,
        values: {
          track: { value: { type: "static_select", selected_option: selectedOption("ir_integrated") } },
          pgy: { value: { type: "static_select", selected_option: selectedOption("2") } },
          residency_start: { value: { type: "datepicker", selected_date: "2026-07-01" } },
          esir_start: { value: { type: "datepicker", selected_date: null } },
          esir_end: { value: { type: "datepicker", selected_date: null } },
        } as never,
      }),
    );
    expect(http.status).toBe(200);

    const card = await harness.reply(responseUrl);
    expect(responseText(card)).toContain("Logged encounter");
    const person = await harness.db.person.findFirst({ where: { slackUserId: "U0NEWBIE" } });
    expect(person!.track).toBe("ir_integrated");
    expect(person!.timeZone).toBe("America/New_York");
    expect(await encounters()).toHaveLength(1);
  });

  async function submitRegistration(userId: string, fields: { track: string; pgy: string; start: string; esirStart?: string }) {
    const responseUrl = harness.fake.responseUrl(`registration-${userId}`);
    const http = await sendViewSubmission(
      harness.baseUrl,
      SIGNING_SECRET,
      viewSubmissionPayload({
        userId,
        teamId: TEAM_ID,
        callbackId: CALLBACKS.registration,
        privateMetadata: JSON.stringify({ responseUrl }),
        values: {
          track: { value: { type: "static_select", selected_option: selectedOption(fields.track) } },
          pgy: { value: { type: "static_select", selected_option: selectedOption(fields.pgy) } },
          residency_start: { value: { type: "datepicker", selected_date: fields.start } },
          esir_start: { value: { type: "datepicker", selected_date: fields.esirStart ?? null } },
          esir_end: { value: { type: "datepicker", selected_date: null } },
        } as never,
      }),
    );
    return { http, responseUrl };
  }

  it("rejects a PGY that does not fit the start", async () => {
    const { http } = await submitRegistration("U0NEWBIE3", { track: "dr", pgy: "1", start: "2015-07-01" });
    const body = JSON.parse(http.body) as { errors: Record<string, string> };
    expect(body.errors.residency_start).toContain("which is 11 years before you would have been PGY-1");
    expect(await harness.db.person.count({ where: { slackUserId: "U0NEWBIE3" } })).toBe(0);
  });

  it("requires the ESIR start on the ESIR track", async () => {
    const { http } = await submitRegistration("U0NEWBIE4", { track: "esir", pgy: "4", start: "2023-07-01" });
    const body = JSON.parse(http.body) as { errors: Record<string, string> };
    expect(body.errors.esir_start).toContain("ESIR start date");
    expect(await harness.db.person.count({ where: { slackUserId: "U0NEWBIE4" } })).toBe(0);
  });

  it("keeps a registered resident's track", async () => {
    const { responseUrl } = await submitRegistration(INDEPENDENT_IR, { track: "ir_integrated", pgy: "8", start: "2019-07-01" });
    expect(responseText(await harness.reply(responseUrl))).toContain("You are already registered");
    const person = await harness.db.person.findFirstOrThrow({ where: { slackUserId: INDEPENDENT_IR } });
    expect(person.track).toBe("ir_independent");
    expect(person.pgy).toBe(6);
  });

  it("returns field errors for a missing residency start", async () => {
    const http = await sendViewSubmission(
      harness.baseUrl,
      SIGNING_SECRET,
      viewSubmissionPayload({
        userId: "U0NEWBIE2",
        teamId: TEAM_ID,
        callbackId: CALLBACKS.registration,
        privateMetadata: "{}",
        values: {
          track: { value: { type: "static_select", selected_option: selectedOption("dr") } },
          pgy: { value: { type: "static_select", selected_option: selectedOption("2") } },
          residency_start: { value: { type: "datepicker", selected_date: null } },
        } as never,
      }),
    );
    const body = JSON.parse(http.body) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe("errors");
    expect(body.errors.residency_start).toContain("first day of your radiology residency");
    expect(await harness.db.person.count({ where: { slackUserId: "U0NEWBIE2" } })).toBe(0);
  });
});
