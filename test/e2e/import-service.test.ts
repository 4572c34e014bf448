import fs from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Person } from "../../src/generated/prisma/client.js";
import { encounterImportReport, risImportReport } from "../../src/import/report.js";
import { defaultRisMapping } from "../../src/import/ris.js";
import { NotAllowedError } from "../../src/services/errors.js";
import { importEncounters, importRisCounts, type ImportMode } from "../../src/services/imports.js";
import { addPerson, openServiceDb, type ServiceDb } from "../fixtures/service-db.js";

const TODAY = "2026-12-04";
let service: ServiceDb;
let resident: Person;

function fixture(name: string): Buffer {
  return fs.readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url));
}

beforeEach(async () => {
  service = await openServiceDb();
  resident = await addPerson(service, {
    slackUserId: "U0RES",
    role: "resident",
    track: "esir",
    pgy: 5,
    residencyStart: "2022-07-01",
    esirStart: "2025-07-01",
  });
});

afterEach(async () => {
  await service.close();
});

function run(name: string, mode: ImportMode, actor: Person = resident) {
  return importEncounters(service.ctx, { actor, resident, data: fixture(name), mode, today: TODAY, timeZone: "America/Chicago" });
}

describe("encounter import", () => {
  it("stores nothing on a dry run", async () => {
    const result = await run("good.csv", "dry_run");
    expect(result.validRows).toBe(4);
    expect(result.applied).toBe(false);
    expect(await service.db.encounter.count()).toBe(0);
    expect(encounterImportReport(result)).toContain("Dry run: nothing was stored.");
  });

  it("stores a valid file", async () => {
    const result = await run("good.csv", "all_or_nothing");
    expect(result.stored).toBe(4);
    const stored = await service.db.encounter.findMany({ orderBy: { id: "asc" } });
    expect(stored.map((row) => row.source)).toEqual(["import", "import", "import", "import"]);
    expect(stored[0]!.sourceKey).toMatch(new RegExp(`^import-row:${stored[0]!.residentId}:[0-9a-f]{64}:1$`));
  });

  it("stores nothing twice on re-import", async () => {
    await run("good.csv", "all_or_nothing");
    const again = await run("good.csv", "all_or_nothing");
    expect(again.stored).toBe(0);
    expect(again.alreadyStored).toBe(4);
    expect(await service.db.encounter.count()).toBe(4);
  });

  it("stores nothing from a mixed file", async () => {
    const result = await run("mixed.csv", "all_or_nothing");
    expect(result.applied).toBe(false);
    expect(await service.db.encounter.count()).toBe(0);

    const report = encounterImportReport(result);
    expect(report).toContain("4 rows checked: 2 valid, 2 invalid.");
    expect(report).toContain("row 3: column 3 (\"notes\") looks like it contains a date of birth");
    expect(report).toContain("row 5:");
    expect(report).toContain("Nothing was stored.");
  });

  it("stores the valid rows when asked", async () => {
    const result = await run("mixed.csv", "valid_rows");
    expect(result.stored).toBe(2);
    const stored = await service.db.encounter.findMany({ include: { procedures: true }, orderBy: { id: "asc" } });
    expect(stored.map((row) => row.procedures[0]!.procedureId)).toEqual(["port_placement", "tace"]);
  });

  it("stores nothing from a bad file", async () => {
    const result = await run("bad.csv", "valid_rows");
    expect(result.stored).toBe(0);
    expect(result.invalidRows).toBe(7);
  });

  it("rejects another resident's import", async () => {
    const other = await addPerson(service, { slackUserId: "U0OTHER", role: "resident", track: "dr", pgy: 2, residencyStart: "2025-07-01" });
    await expect(run("good.csv", "all_or_nothing", other)).rejects.toBeInstanceOf(NotAllowedError);
  });

  it("lets a coordinator import for a resident", async () => {
    const coordinator = await addPerson(service, { slackUserId: "U0COORD", role: "coordinator" });
    const result = await run("good.csv", "all_or_nothing", coordinator);
    expect(result.stored).toBe(4);
    const audit = await service.db.auditEvent.findFirstOrThrow({ where: { entity: "encounter" } });
    expect(audit.actorSlackId).toBe("U0COORD");
  });
});

describe("RIS import", () => {
  function ris(mode: ImportMode) {
    return importRisCounts(service.ctx, { actor: resident, resident, data: fixture("ris-export.csv"), mode, mapping: defaultRisMapping() });
  }

  it("stores nothing while a row is invalid", async () => {
    const result = await ris("all_or_nothing");
    expect(result.applied).toBe(false);
    expect(await service.db.drCount.count()).toBe(0);
    expect(risImportReport(result)).toContain('"XR HAND 3 VIEWS": 2 exams, first at row 9');
  });

  it("sets counts from the valid rows", async () => {
    const result = await ris("valid_rows");
    expect(result.applied).toBe(true);
    const chest = await service.db.drCount.findMany({ where: { category: "chest_xray" }, orderBy: { academicYear: "asc" } });
    expect(chest.map((row) => [row.academicYear, row.count])).toEqual([[2025, 2], [2026, 1]]);
  });

  function risText(csv: string, mode: ImportMode) {
    return importRisCounts(service.ctx, { actor: resident, resident, data: Buffer.from(csv), mode, mapping: defaultRisMapping() });
  }

  it("apply stores nothing for a future year", async () => {
    const csv = "exam_date,exam_description\n2025-08-01,XR CHEST PA\n2027-08-01,XR CHEST PA\n";
    const dryRun = await risText(csv, "dry_run");
    expect(risImportReport(dryRun)).toContain("row 3: the exam is in academic year 2027-2028, which has not started yet");

    const result = await risText(csv, "all_or_nothing");
    expect(result.applied).toBe(false);
    expect(await service.db.drCount.count()).toBe(0);
  });

  it("apply stores nothing above the limit", async () => {
    const csv = "exam_date,exam_description,count\n2025-08-01,MRCP,2\n2025-08-02,XR CHEST PA,60000\n2025-08-03,XR CHEST PA,60000\n";
    const result = await risText(csv, "all_or_nothing");
    expect(result.applied).toBe(false);
    expect(risImportReport(result)).toContain("row 4: the Chest X-Ray exams of academic year 2025-2026 sum to 120000");
    expect(await service.db.drCount.count()).toBe(0);

    const valid = await risText(csv, "valid_rows");
    expect(valid.counts.map((count) => count.category)).toEqual(["mri_body"]);
    expect(await service.db.drCount.count()).toBe(1);
  });

  it("replaces counts on re-import", async () => {
    await ris("valid_rows");
    await ris("valid_rows");
    const chest = await service.db.drCount.findFirstOrThrow({ where: { category: "chest_xray", academicYear: 2025 } });
    expect(chest.count).toBe(2);
  });
});
