import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Person, Program } from "../../src/generated/prisma/client.js";
import type { ServiceContext } from "../../src/services/context.js";
import { checkCoCreditRequest, decideCoCredit } from "../../src/services/co-credit.js";
import { NotAllowedError, NotFoundError, RuleViolationError } from "../../src/services/errors.js";
import { loadEsirSummary, signEsirVerification, unlockEsirVerification } from "../../src/services/esir.js";
import { exportProgramLogCsv } from "../../src/services/exports.js";
import { importEncounters } from "../../src/services/imports.js";
import { ensureProgram, promote } from "../../src/services/people.js";
import { createProgram, moveResident } from "../../src/services/roster.js";
import { decideVerification, findDueBatches } from "../../src/services/verification.js";
import { CO_CREDIT_BLOCK } from "../../src/slack/co-credit/ids.js";
import { ENTRY_BLOCKS } from "../../src/slack/ids.js";
import { TEAM, addPerson, encounterSeries, openServiceDb, seedEncounters, type ServiceDb } from "../fixtures/service-db.js";
import { SIGNING_SECRET, TEAM_ID, startHarness, type Harness } from "../support/app-harness.js";
import { sendViewSubmission, viewSubmissionPayload } from "../support/signed-request.js";

/** Authority across programs and roles, and once-only writes, checked against the database. */

const RESIDENT_PROFILE = { role: "resident", track: "ir_integrated", pgy: 3, residencyStart: "2024-07-01" };

let service: ServiceDb;
let programB: Program;

async function personInB(fields: Partial<Person> & { slackUserId: string; role: string }): Promise<Person> {
  return service.db.person.create({ data: { programId: programB.id, slackTeamId: TEAM, ...fields } });
}

/** Stores a pending entry of `resident` that names `supervisorSlackId` as its attending. */
async function pendingEntry(resident: Person, supervisorSlackId: string, sourceKey: string) {
  return service.db.encounter.create({
    data: {
      residentId: resident.id,
      performedOn: "2026-12-01",
      academicYear: 2026,
      pgy: 3,
      kind: "procedure",
      role: "first_operator",
      supervisorSlackId,
      source: "slash",
      sourceKey,
      verification: "pending",
      procedures: { create: [{ procedureId: "port_placement", category: "venous_port", complexity: 1 }] },
    },
  });
}

/** Stores an entry of `junior` with a co-credit for `senior` that waits for the attending. */
async function coCreditEntry(junior: Person, senior: Person, supervisorSlackId: string, sourceKey: string) {
  const encounter = await pendingEntry(junior, supervisorSlackId, sourceKey);
  await service.db.coCredit.create({ data: { encounterId: encounter.id, seniorId: senior.id, status: "awaiting_attending" } });
  return encounter;
}

function withDirectors(slackUserIds: string[], programName?: string): ServiceContext {
  return {
    ...service.ctx,
    config: { ...service.ctx.config, CASELOG_PROGRAM_DIRECTORS: slackUserIds, ...(programName ? { CASELOG_PROGRAM_NAME: programName } : {}) },
  };
}

beforeEach(async () => {
  service = await openServiceDb();
  programB = await service.db.program.create({ data: { slackTeamId: TEAM, kind: "ir", name: "IR Program B", directorSlackId: "U0DIRB", verificationRequired: true } });
});

afterEach(async () => {
  await service.close();
});

describe("promote", () => {
  it("rejects another program's target", async () => {
    const coordinatorA = await addPerson(service, { slackUserId: "U0COORDA", role: "coordinator" });
    const directorB = await personInB({ slackUserId: "U0DIRB", role: "program_director" });
    const residentB = await personInB({ slackUserId: "U0RESB", ...RESIDENT_PROFILE });

    await expect(promote(service.ctx, coordinatorA, directorB.slackUserId, "supervisor")).rejects.toThrow(NotAllowedError);
    await expect(promote(service.ctx, coordinatorA, residentB.slackUserId, "coordinator")).rejects.toThrow(NotAllowedError);

    expect((await service.db.person.findUniqueOrThrow({ where: { id: directorB.id } })).role).toBe("program_director");
    const after = await service.db.person.findUniqueOrThrow({ where: { id: residentB.id } });
    expect(after.role).toBe("resident");
    await expect(exportProgramLogCsv(service.ctx, after)).rejects.toThrow(NotAllowedError);
  });

  it("new user joins own program", async () => {
    const coordinatorA = await addPerson(service, { slackUserId: "U0COORDA", role: "coordinator" });
    const promoted = await promote(service.ctx, coordinatorA, "U0NEWSUP", "supervisor");
    expect(promoted.programId).toBe(service.programId);
    expect(promoted.role).toBe("supervisor");
  });

  it("coordinator cannot change a director", async () => {
    const coordinator = await addPerson(service, { slackUserId: "U0COORDA", role: "coordinator" });
    const first = await addPerson(service, { slackUserId: "U0DIRONE", role: "program_director" });
    await addPerson(service, { slackUserId: "U0DIRTWO", role: "program_director" });

    await expect(promote(service.ctx, coordinator, first.slackUserId, "supervisor")).rejects.toThrow(/Only a program director can change a program director's role/);
    expect((await service.db.person.findUniqueOrThrow({ where: { id: first.id } })).role).toBe("program_director");
  });

  it("keeps the last director", async () => {
    const only = await addPerson(service, { slackUserId: "U0DIRONE", role: "program_director" });
    await service.db.program.update({ where: { id: service.programId }, data: { directorSlackId: only.slackUserId } });

    await expect(promote(service.ctx, only, only.slackUserId, "supervisor")).rejects.toThrow(/last program director/);
    expect((await service.db.person.findUniqueOrThrow({ where: { id: only.id } })).role).toBe("program_director");

    const second = await addPerson(service, { slackUserId: "U0DIRTWO", role: "program_director" });
    const demoted = await promote(service.ctx, second, only.slackUserId, "supervisor");
    expect(demoted.role).toBe("supervisor");
    const program = await service.db.program.findUniqueOrThrow({ where: { id: service.programId } });
    expect(program.directorSlackId).toBe(second.slackUserId);

    await expect(promote(service.ctx, second, second.slackUserId, "coordinator")).rejects.toThrow(/last program director/);
  });
});

describe("configured directors", () => {
  it("cannot verify another program's entry", async () => {
    const ctx = withDirectors(["U0DIRA"]);
    await addPerson(service, { slackUserId: "U0DIRA", role: "program_director" });
    const residentB = await personInB({ slackUserId: "U0RESB", ...RESIDENT_PROFILE });
    const encounter = await pendingEntry(residentB, "U0ATTB", "k1");

    await expect(
      decideVerification(ctx, { clickerSlackId: "U0DIRA", slackTeamId: TEAM, encounterId: encounter.id, version: 1, outcome: "approved" }),
    ).rejects.toThrow(NotAllowedError);
    expect((await service.db.encounter.findUniqueOrThrow({ where: { id: encounter.id } })).verification).toBe("pending");
  });

  it("cannot decide another program's co-credit", async () => {
    const ctx = withDirectors(["U0DIRA"]);
    await addPerson(service, { slackUserId: "U0DIRA", role: "program_director" });
    const junior = await personInB({ slackUserId: "U0JUNB", ...RESIDENT_PROFILE, pgy: 2 });
    const senior = await personInB({ slackUserId: "U0SENB", ...RESIDENT_PROFILE, pgy: 4 });
    const encounter = await coCreditEntry(junior, senior, "U0ATTB", "k1");

    await expect(
      decideCoCredit(ctx, { clickerSlackId: "U0DIRA", slackTeamId: TEAM, encounterId: encounter.id, version: 1, outcome: "approved" }),
    ).rejects.toThrow(NotAllowedError);
    expect((await service.db.coCredit.findUniqueOrThrow({ where: { encounterId: encounter.id } })).status).toBe("awaiting_attending");
  });

  it("directs default program without row", async () => {
    const program = await service.db.program.findUniqueOrThrow({ where: { id: service.programId } });
    const ctx = withDirectors(["U0CONFIG"], program.name);
    const residentA = await addPerson(service, { slackUserId: "U0RESA", ...RESIDENT_PROFILE });
    const residentB = await personInB({ slackUserId: "U0RESB", ...RESIDENT_PROFILE });
    const entryA = await pendingEntry(residentA, "U0ATTA", "k1");
    const entryB = await pendingEntry(residentB, "U0ATTB", "k2");

    await expect(
      decideVerification(ctx, { clickerSlackId: "U0CONFIG", slackTeamId: TEAM, encounterId: entryB.id, version: 1, outcome: "approved" }),
    ).rejects.toThrow(NotAllowedError);
    const decided = await decideVerification(ctx, { clickerSlackId: "U0CONFIG", slackTeamId: TEAM, encounterId: entryA.id, version: 1, outcome: "approved" });
    expect(decided.verification).toBe("verified");
  });
});

describe("resident named as attending", () => {
  it("cannot verify the entry", async () => {
    const author = await addPerson(service, { slackUserId: "U0AUTHOR", ...RESIDENT_PROFILE });
    await addPerson(service, { slackUserId: "U0PEER", ...RESIDENT_PROFILE });
    const encounter = await pendingEntry(author, "U0PEER", "k2");

    await expect(
      decideVerification(service.ctx, { clickerSlackId: "U0PEER", slackTeamId: TEAM, encounterId: encounter.id, version: 1, outcome: "approved" }),
    ).rejects.toThrow(NotAllowedError);
    expect((await service.db.encounter.findUniqueOrThrow({ where: { id: encounter.id } })).verification).toBe("pending");
    const rejected = await service.db.auditEvent.findFirstOrThrow({ where: { action: "decision_rejected", entityId: encounter.id } });
    expect(rejected.after).toContain("resident_decider");
  });

  it("cannot approve a co-credit", async () => {
    const junior = await addPerson(service, { slackUserId: "U0JUNIOR", ...RESIDENT_PROFILE, pgy: 2 });
    const senior = await addPerson(service, { slackUserId: "U0SENIOR", ...RESIDENT_PROFILE, pgy: 4 });
    await addPerson(service, { slackUserId: "U0PEER", ...RESIDENT_PROFILE });
    const encounter = await coCreditEntry(junior, senior, "U0PEER", "k1");

    await expect(
      decideCoCredit(service.ctx, { clickerSlackId: "U0PEER", slackTeamId: TEAM, encounterId: encounter.id, version: 1, outcome: "approved" }),
    ).rejects.toThrow(NotAllowedError);
    expect((await service.db.coCredit.findUniqueOrThrow({ where: { encounterId: encounter.id } })).status).toBe("awaiting_attending");
  });

  it("is rejected in a co-credit request", async () => {
    const junior = await addPerson(service, { slackUserId: "U0JUNIOR", ...RESIDENT_PROFILE, pgy: 2 });
    await addPerson(service, { slackUserId: "U0SENIOR", ...RESIDENT_PROFILE, pgy: 4 });
    await addPerson(service, { slackUserId: "U0PEER", ...RESIDENT_PROFILE });

    const request = { resident: junior, seniorSlackId: "U0SENIOR", procedureIds: ["picc"], supervisorSlackId: "U0PEER" };
    await expect(checkCoCreditRequest(service.ctx, request)).rejects.toThrow(RuleViolationError);
    await expect(checkCoCreditRequest(service.ctx, request)).rejects.toThrow(/registered as a resident/);
  });

  it("sends the batch to the director", async () => {
    await service.db.program.update({ where: { id: service.programId }, data: { verificationRequired: true, verificationBatchSize: 1 } });
    await service.db.program.update({ where: { id: programB.id }, data: { verificationRequired: false } });
    await addPerson(service, { slackUserId: "U0DIRA", role: "program_director" });
    const author = await addPerson(service, { slackUserId: "U0AUTHOR", ...RESIDENT_PROFILE });
    await addPerson(service, { slackUserId: "U0PEER", ...RESIDENT_PROFILE });
    await pendingEntry(author, "U0PEER", "k1");

    const batches = await findDueBatches(service.ctx);
    expect(batches.map((batch) => batch.deciderSlackId)).toEqual(["U0DIRA"]);
  });
});

describe("import source keys", () => {
  const profile = RESIDENT_PROFILE;
  const data = Buffer.from("date,procedures\n2026-11-02,port\n");
  const input = { data, mode: "valid_rows" as const, today: "2026-12-04", timeZone: "America/New_York" };

  it("same file imports for two residents", async () => {
    const first = await addPerson(service, { slackUserId: "U0RESONE", ...profile });
    const second = await addPerson(service, { slackUserId: "U0RESTWO", ...profile });

    const one = await importEncounters(service.ctx, { ...input, actor: first, resident: first });
    const two = await importEncounters(service.ctx, { ...input, actor: second, resident: second });
    expect(one.stored).toBe(1);
    expect(two.stored).toBe(1);
    expect(await service.db.encounter.count({ where: { residentId: first.id } })).toBe(1);
    expect(await service.db.encounter.count({ where: { residentId: second.id } })).toBe(1);

    const again = await importEncounters(service.ctx, { ...input, actor: second, resident: second });
    expect(again.stored).toBe(0);
    expect(again.alreadyStored).toBe(1);
    expect(await service.db.encounter.count({ where: { residentId: second.id } })).toBe(1);
  });

  it("counts rows under the old key", async () => {
    const resident = await addPerson(service, { slackUserId: "U0RESONE", ...profile });
    const dryRun = await importEncounters(service.ctx, { ...input, mode: "dry_run", actor: resident, resident });
    const encounter = await pendingEntry(resident, "U0ATTA", `import:${dryRun.check.sha256}:2`);

    const result = await importEncounters(service.ctx, { ...input, actor: resident, resident });
    expect(result.stored).toBe(0);
    expect(result.alreadyStored).toBe(1);
    expect(await service.db.encounter.count({ where: { residentId: resident.id } })).toBe(1);
    expect(await service.db.encounter.count({ where: { id: encounter.id } })).toBe(1);
  });
});

describe("ESIR signing", () => {
  async function signable() {
    const director = await addPerson(service, { slackUserId: "U0DIRECTOR", role: "program_director" });
    const resident = await addPerson(service, {
      slackUserId: "U0ESIR",
      role: "resident",
      track: "esir",
      pgy: 5,
      residencyStart: "2022-07-01",
      esirStart: "2025-07-01",
      esirEnd: "2026-06-30",
    });
    await seedEncounters(service, resident, encounterSeries(500, "2025-07-01"));
    const summary = await loadEsirSummary(service.ctx, director, resident, "2026-12-04");
    const expected = { from: summary.form.period.from, until: summary.form.period.until, total: summary.form.creditedTotal };
    const sign = () => signEsirVerification(service.ctx, { director, resident, expected, today: "2026-12-04" });
    return { director, resident, sign };
  }

  it("double click signs once", async () => {
    const { sign } = await signable();
    const results = await Promise.all([sign(), sign()]);

    expect(await service.db.esirVerification.count()).toBe(1);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(results[0]!.verification.id).toBe(results[1]!.verification.id);
  });

  it("database allows one form in force", async () => {
    const { resident, sign } = await signable();
    await sign();

    const second = service.db.esirVerification.create({
      data: { residentId: resident.id, signedBySlackId: "U0DIRECTOR", periodFrom: "2025-07-01", periodUntil: "2026-07-01", totalEncounters: 500 },
    });
    await expect(second).rejects.toThrow(/Unique constraint/);
  });

  it("double click unlocks once", async () => {
    const { director, resident, sign } = await signable();
    await sign();

    const results = await Promise.allSettled([unlockEsirVerification(service.ctx, director, resident), unlockEsirVerification(service.ctx, director, resident)]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const failure = results.find((result) => result.status === "rejected");
    expect(failure?.reason).toBeInstanceOf(NotFoundError);
    expect(await service.db.auditEvent.count({ where: { entity: "esir_verification", action: "update" } })).toBe(1);
  });
});

describe("programs and moves", () => {
  it("new program rejects other program's staff", async () => {
    const directorA = await addPerson(service, { slackUserId: "U0DIRA", role: "program_director" });
    await personInB({ slackUserId: "U0SUPB", role: "supervisor" });

    await expect(createProgram(service.ctx, directorA, { name: "IR Program C", kind: "ir", directorSlackId: "U0SUPB" })).rejects.toThrow(/supervisor of another program/);
    // Program B's stored director has no Person row yet.
    await expect(createProgram(service.ctx, directorA, { name: "IR Program C", kind: "ir", directorSlackId: "U0DIRB" })).rejects.toThrow(/director of IR Program B/);
    expect(await service.db.program.count({ where: { name: "IR Program C" } })).toBe(0);
    expect((await service.db.person.findFirstOrThrow({ where: { slackUserId: "U0SUPB" } })).programId).toBe(programB.id);
  });

  it("new program takes own supervisor", async () => {
    const directorA = await addPerson(service, { slackUserId: "U0DIRA", role: "program_director" });
    const supervisor = await addPerson(service, { slackUserId: "U0SUPA", role: "supervisor" });

    const created = await createProgram(service.ctx, directorA, { name: "IR Program C", kind: "ir", directorSlackId: supervisor.slackUserId });
    const moved = await service.db.person.findUniqueOrThrow({ where: { id: supervisor.id } });
    expect(moved.programId).toBe(created.id);
    expect(moved.role).toBe("program_director");
  });

  it("move needs the current program's manager", async () => {
    await addPerson(service, { slackUserId: "U0DIRA", role: "program_director" });
    const directorB = await personInB({ slackUserId: "U0DIRB", role: "program_director" });
    const residentA = await addPerson(service, { slackUserId: "U0RESA", ...RESIDENT_PROFILE });

    await expect(moveResident(service.ctx, directorB, residentA.slackUserId, programB.name)).rejects.toThrow(NotAllowedError);
    expect((await service.db.person.findUniqueOrThrow({ where: { id: residentA.id } })).programId).toBe(service.programId);
  });

  it("move records both programs", async () => {
    const directorA = await addPerson(service, { slackUserId: "U0DIRA", role: "program_director" });
    const residentA = await addPerson(service, { slackUserId: "U0RESA", ...RESIDENT_PROFILE });
    const program = await service.db.program.findUniqueOrThrow({ where: { id: service.programId } });

    await expect(moveResident(service.ctx, directorA, residentA.slackUserId, program.name)).rejects.toThrow(/already in/);
    const moved = await moveResident(service.ctx, directorA, residentA.slackUserId, programB.name);
    expect(moved.resident.programId).toBe(programB.id);

    const audit = await service.db.auditEvent.findFirstOrThrow({ where: { entity: "person", entityId: residentA.id } });
    expect(JSON.parse(audit.before!)).toMatchObject({ programId: service.programId });
    expect(JSON.parse(audit.after!)).toMatchObject({ programId: programB.id });
  });

  it("demoted manager cannot move", async () => {
    const coordinator = await addPerson(service, { slackUserId: "U0COORDA", role: "coordinator" });
    const residentA = await addPerson(service, { slackUserId: "U0RESA", ...RESIDENT_PROFILE });
    await service.db.person.update({ where: { id: coordinator.id }, data: { role: "supervisor" } });

    // `coordinator` is the row read when the command started, before the role changed.
    await expect(moveResident(service.ctx, coordinator, residentA.slackUserId, programB.name)).rejects.toThrow(NotAllowedError);
    expect((await service.db.person.findUniqueOrThrow({ where: { id: residentA.id } })).programId).toBe(service.programId);
  });
});

describe("entry form attending", () => {
  let harness: Harness;
  const option = (value: string) => ({ text: { type: "plain_text", text: value }, value });

  beforeEach(async () => {
    harness = await startHarness({ env: { CASELOG_PROGRAM_DIRECTORS: "U0DIRECTOR" } });
    // Rows are stored directly, in the program findPerson uses, so only the entry form's submission is under test.
    const program = await ensureProgram(harness.running.deps.ctx, TEAM_ID);
    for (const [slackUserId, pgy] of [["U0JUNIOR", 2], ["U0SENIOR", 4], ["U0THIRD", 5]] as const) {
      await harness.db.person.create({ data: { programId: program.id, slackTeamId: TEAM_ID, slackUserId, ...RESIDENT_PROFILE, pgy } });
    }
  });

  afterEach(async () => {
    await harness.stop();
  });

  function submitEntry(supervisor: string, senior: string | null) {
    return sendViewSubmission(
      harness.baseUrl,
      SIGNING_SECRET,
      viewSubmissionPayload({
        userId: "U0JUNIOR",
        teamId: TEAM_ID,
        callbackId: "entry_modal",
        privateMetadata: JSON.stringify({ mode: "new", timeZone: "America/New_York", today: "2026-12-04", profile: { track: "ir_integrated", pgy: 2, residencyStart: "2024-07-01" } }),
        values: {
          [ENTRY_BLOCKS.procedures]: { value: { type: "multi_static_select", selected_options: [option("picc")] } },
          [ENTRY_BLOCKS.date]: { value: { type: "datepicker", selected_date: "2026-12-02" } },
          [ENTRY_BLOCKS.role]: { value: { type: "static_select", selected_option: option("first_operator") } },
          [ENTRY_BLOCKS.supervisor]: { value: { type: "users_select", selected_user: supervisor } },
          [CO_CREDIT_BLOCK]: { value: { type: "users_select", selected_user: senior } },
          [ENTRY_BLOCKS.notes]: { value: { type: "plain_text_input", value: null } },
        } as never,
      }),
    );
  }

  it("third resident as attending is rejected", async () => {
    const submit = await submitEntry("U0THIRD", "U0SENIOR");
    expect(submit.status).toBe(200);
    const body = JSON.parse(submit.body) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe("errors");
    expect(Object.values(body.errors).join(" ")).toContain("<@U0THIRD> is registered as a resident");

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await harness.db.coCredit.count()).toBe(0);
    expect(await harness.db.encounter.count()).toBe(0);
  });

  it("peer resident as attending is rejected", async () => {
    const submit = await submitEntry("U0THIRD", null);
    const body = JSON.parse(submit.body) as { response_action: string; errors: Record<string, string> };
    expect(body.errors[ENTRY_BLOCKS.supervisor]).toContain("registered as a resident");

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await harness.db.encounter.count()).toBe(0);
  });
});
