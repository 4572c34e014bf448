import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Person } from "../../src/generated/prisma/client.js";
import { encounterImportReport } from "../../src/import/report.js";
import { logEncounter } from "../../src/services/encounters.js";
import { importEncounters, type ImportMode } from "../../src/services/imports.js";
import { addPerson, openServiceDb, type ServiceDb } from "../fixtures/service-db.js";

let service: ServiceDb;
let resident: Person;

beforeEach(async () => {
  service = await openServiceDb();
  resident = await addPerson(service, { slackUserId: "U0IR", role: "resident", track: "ir_integrated", pgy: 3, residencyStart: "2024-07-01" });
});

afterEach(async () => {
  await service.close();
});

function run(csv: string, mode: ImportMode = "valid_rows") {
  return importEncounters(service.ctx, { actor: resident, resident, data: Buffer.from(csv), mode, today: "2026-12-04", timeZone: "America/New_York" });
}

describe("encounter re-import", () => {
  it("corrected file stores only the fixed row", async () => {
    const first = await run("date,procedures\n2026-11-02,port\n2026-11-03,liine\n");
    expect(first.stored).toBe(1);
    expect(first.invalidRows).toBe(1);

    const corrected = await run("date,procedures\n2026-11-02,port\n2026-11-03,picc\n");
    expect(corrected.stored).toBe(1);
    expect(corrected.alreadyStored).toBe(1);

    const crlf = await run("date,procedures\r\n2026-11-02,port\r\n2026-11-03,picc\r\n");
    expect(crlf.stored).toBe(0);
    expect(crlf.alreadyStored).toBe(2);
    expect(await service.db.encounter.count()).toBe(2);
  });

  it("reordered rows store nothing new", async () => {
    await run("date,procedures,notes\n2026-11-02,port,easy\n2026-11-03,tace and nephrostomy,\n");
    const again = await run("notes,procedures,date\n,nephrostomy and tace,2026-11-03\neasy,port,2026-11-02\n");
    expect(again.stored).toBe(0);
    expect(again.alreadyStored).toBe(2);
    expect(await service.db.encounter.count()).toBe(2);
  });

  it("identical rows in one file are kept", async () => {
    const first = await run("date,procedures\n2026-11-02,port\n2026-11-02,port\n");
    expect(first.stored).toBe(2);

    const again = await run("date,procedures\n2026-11-02,port\n2026-11-02,port\n2026-11-02,port\n");
    expect(again.stored).toBe(1);
    expect(again.alreadyStored).toBe(2);
    expect(await service.db.encounter.count()).toBe(3);
  });

  it("matches rows under older keys", async () => {
    const otherFile = "0".repeat(64);
    const port = { performedOn: "2026-11-02", procedureIds: ["port_placement"], role: "first_operator" as const, supervisorSlackId: null, notes: "easy" };
    const tace = { ...port, performedOn: "2026-11-03", procedureIds: ["nephrostomy", "tace"], notes: null };
    const olderImport = { resident, source: "import" as const, actorSlackId: "U0IR", today: "2026-12-04" };
    await logEncounter(service.ctx, { ...olderImport, draft: port, sourceKey: `import:${otherFile}:2` });
    await logEncounter(service.ctx, { ...olderImport, draft: tace, sourceKey: `import:${resident.id}:${otherFile}:3` });

    const result = await run("date,procedures,notes\n2026-11-02,port,easy\n2026-11-02,port,easy\n2026-11-03,tace and nephrostomy,\n");
    expect(result.stored).toBe(1);
    expect(result.alreadyStored).toBe(2);
    expect(await service.db.encounter.count()).toBe(3);
  });

  it("report does not name the file", async () => {
    await run("date,procedures\n2026-11-02,port\n");
    const report = encounterImportReport(await run("date,procedures\r\n2026-11-02,port\r\n"));
    expect(report).toContain("Stored 0 new encounters; 1 rows were already stored by an earlier import.");
  });
});

describe("import supervisor column", () => {
  it("rejects the resident as supervisor", async () => {
    await addPerson(service, { slackUserId: "U0ATTEND", role: "supervisor" });
    const result = await run("date,procedures,supervisor\n2026-11-02,port,U0IR\n2026-11-03,port,U0ATTEND\n");
    expect(result.stored).toBe(1);
    expect(result.invalidRows).toBe(1);
    expect(result.check.rows[0]!.problems[0]).toContain("U0IR is registered as a resident");
    expect(encounterImportReport(result)).toContain("row 2: supervisor U0IR is registered as a resident");
  });

  it("rejects another resident as supervisor", async () => {
    await addPerson(service, { slackUserId: "U0SENIOR", role: "resident", track: "ir_integrated", pgy: 5, residencyStart: "2022-07-01" });
    const result = await run("date,procedures,supervisor\n2026-11-02,port,<@U0SENIOR>\n", "all_or_nothing");
    expect(result.applied).toBe(false);
    expect(result.invalidRows).toBe(1);
    expect(await service.db.encounter.count()).toBe(0);
  });

});
