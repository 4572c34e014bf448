import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Person } from "../../src/generated/prisma/client.js";
import { NotAllowedError } from "../../src/services/errors.js";
import { getWorklist, markAllEnteredInAcgme, markEnteredInAcgme } from "../../src/services/worklist.js";
import { addPerson, openServiceDb, seedEncounters, type ServiceDb } from "../fixtures/service-db.js";

let service: ServiceDb;
let resident: Person;

beforeEach(async () => {
  service = await openServiceDb();
  resident = await addPerson(service, { slackUserId: "U0RES", role: "resident", track: "ir_integrated", pgy: 4, residencyStart: "2023-07-01" });
  await seedEncounters(service, resident, [
    { performedOn: "2026-03-01", procedureId: "clinic", category: "new_outpatient_clinic" },
    { performedOn: "2026-02-01", procedureId: "nephrostomy", category: "primary_nephrostomy" },
    { performedOn: "2026-01-05", procedureId: "evar", category: "aortic_stent_grafting" },
    { performedOn: "2026-01-01", procedureId: "liver_biopsy", category: null },
    { performedOn: "2026-01-02", procedureId: "port_placement", category: "venous_port", verification: "pending" },
  ]);
  await service.db.drCount.createMany({
    data: [
      { residentId: resident.id, category: "mri_brain", academicYear: 2025, count: 12 },
      { residentId: resident.id, category: "chest_xray", academicYear: 2025, count: 300 },
    ],
  });
});

afterEach(async () => {
  await service.close();
});

describe("ACGME worklist", () => {
  it("lists credited entries in ACGME category order", async () => {
    const worklist = await getWorklist(service.ctx, resident);
    expect(worklist.entries.map((entry) => entry.procedureIds[0])).toEqual(["evar", "nephrostomy", "clinic", "liver_biopsy"]);
  });

  it("gives the fields the ACGME form asks for", async () => {
    const [first] = (await getWorklist(service.ctx, resident)).entries;
    expect(first).toMatchObject({ performedOn: "2026-01-05", pgy: 4, roleName: "First operator", categoryNames: ["Aortic Stent Grafting"] });
  });

  it("lists DR counts in Table 1 order", async () => {
    const { drCounts } = await getWorklist(service.ctx, resident);
    expect(drCounts.map((row) => [row.label, row.name, row.count])).toEqual([
      ["2025-2026", "Chest X-Ray", 300],
      ["2025-2026", "MRI Brain", 12],
    ]);
  });

  it("marks one entry entered", async () => {
    const { entries } = await getWorklist(service.ctx, resident);
    expect(await markEnteredInAcgme(service.ctx, resident, [entries[0]!.encounterId])).toBe(1);

    const after = await getWorklist(service.ctx, resident);
    expect(after.entries).toHaveLength(3);
    expect(after.enteredCount).toBe(1);
    const stored = await service.db.encounter.findUniqueOrThrow({ where: { id: entries[0]!.encounterId } });
    expect(stored.enteredInAcgmeAt?.toISOString()).toBe("2026-12-04T15:00:00.000Z");
  });

  it("marks every entry entered in bulk", async () => {
    expect(await markAllEnteredInAcgme(service.ctx, resident)).toBe(4);
    expect((await getWorklist(service.ctx, resident)).entries).toEqual([]);
    expect(await markAllEnteredInAcgme(service.ctx, resident)).toBe(0);
  });

  it("rejects marking a pending entry", async () => {
    const pending = await service.db.encounter.findFirstOrThrow({ where: { verification: "pending" } });
    await expect(markEnteredInAcgme(service.ctx, resident, [pending.id])).rejects.toBeInstanceOf(NotAllowedError);
  });

  it("rejects marking another resident's entry", async () => {
    const other = await addPerson(service, { slackUserId: "U0OTHER", role: "resident", track: "dr", pgy: 2, residencyStart: "2025-07-01" });
    const { entries } = await getWorklist(service.ctx, resident);
    await expect(markEnteredInAcgme(service.ctx, other, [entries[0]!.encounterId])).rejects.toBeInstanceOf(NotAllowedError);
  });
});
