import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Person } from "../../src/generated/prisma/client.js";
import { deleteEncounter, logEncounter } from "../../src/services/encounters.js";
import {
  combinedEsirIrTotal,
  esirFormFiles,
  loadEsirSummary,
  signEsirVerification,
  unlockEsirVerification,
} from "../../src/services/esir.js";
import { NotAllowedError, StaleError } from "../../src/services/errors.js";
import { addPerson, encounterSeries, openServiceDb, seedEncounters, type ServiceDb } from "../fixtures/service-db.js";
import { pdfFlatText as pdfText } from "../fixtures/pdf-text.js";

const TODAY = "2026-12-04";
let service: ServiceDb;
let director: Person;
let resident: Person;

beforeEach(async () => {
  service = await openServiceDb();
  director = await addPerson(service, { slackUserId: "U0DIRECTOR", role: "program_director", displayName: "Dana Director" });
  resident = await addPerson(service, {
    slackUserId: "U0ESIR",
    role: "resident",
    displayName: "Eli Esir",
    track: "esir",
    pgy: 5,
    residencyStart: "2022-07-01",
    esirStart: "2025-07-01",
    esirEnd: "2026-06-30",
    icuRotationCompleted: true,
  });
});

afterEach(async () => {
  await service.close();
});

describe("ESIR eligibility boundary", () => {
  it("marks 499 credited encounters not eligible", async () => {
    await seedEncounters(service, resident, [...encounterSeries(499, "2025-07-01"), ...encounterSeries(3, "2025-08-01", "pending")]);

    const summary = await loadEsirSummary(service.ctx, director, resident, TODAY);
    expect(summary.eligible).toBe(false);
    expect(summary.missing).toBe(1);
    expect(summary.form.creditedTotal).toBe(499);
    expect(summary.form.pendingTotal).toBe(3);

    const { pdf } = await esirFormFiles(summary);
    const text = await pdfText(pdf.data);
    expect(text).toContain("NOT ELIGIBLE: 499 of the required 500");
    expect(text).toContain("so 1 is missing. 3 more are pending verification.");
  });

  it("marks 500 credited encounters eligible", async () => {
    await seedEncounters(service, resident, encounterSeries(500, "2025-07-01"));

    const summary = await loadEsirSummary(service.ctx, director, resident, TODAY);
    expect(summary.eligible).toBe(true);
    expect(summary.missing).toBe(0);

    const text = await pdfText((await esirFormFiles(summary)).pdf.data);
    expect(text).not.toContain("NOT ELIGIBLE");
    expect(text).toContain("participated during ESIR training: 500");
  });

  it("counts only encounters inside the ESIR period", async () => {
    await seedEncounters(service, resident, [
      ...encounterSeries(2, "2025-06-29"),
      ...encounterSeries(1, "2026-06-30"),
      ...encounterSeries(1, "2026-07-01"),
    ]);

    const summary = await loadEsirSummary(service.ctx, director, resident, TODAY);
    expect(summary.form.period).toEqual({ from: "2025-07-01", until: "2026-07-01" });
    expect(summary.form.entries.map((entry) => entry.performedOn)).toEqual(["2026-06-30"]);
  });

  it("leaves declined encounters out of both totals", async () => {
    await seedEncounters(service, resident, encounterSeries(2, "2025-09-01", "declined"));

    const summary = await loadEsirSummary(service.ctx, director, resident, TODAY);
    expect(summary.form.creditedTotal).toBe(0);
    expect(summary.form.pendingTotal).toBe(0);
  });
});

describe("ESIR form access", () => {
  it("rejects a coordinator", async () => {
    const coordinator = await addPerson(service, { slackUserId: "U0COORD", role: "coordinator" });
    await expect(loadEsirSummary(service.ctx, coordinator, resident, TODAY)).rejects.toBeInstanceOf(NotAllowedError);
  });

  it("rejects the resident", async () => {
    await expect(loadEsirSummary(service.ctx, resident, resident, TODAY)).rejects.toBeInstanceOf(NotAllowedError);
  });
});

describe("ESIR sign and unlock", () => {
  async function signed() {
    await seedEncounters(service, resident, encounterSeries(500, "2025-07-01"));
    const summary = await loadEsirSummary(service.ctx, director, resident, TODAY);
    const expected = { ...summary.form.period, total: summary.form.creditedTotal };
    return signEsirVerification(service.ctx, { director, resident, expected, today: TODAY });
  }

  it("records the signer and locks the covered encounters", async () => {
    const { verification, created } = await signed();
    expect(created).toBe(true);
    expect(verification.signedBySlackId).toBe("U0DIRECTOR");
    expect(verification.totalEncounters).toBe(500);
    expect(verification.signedAt.toISOString()).toBe("2026-12-04T15:00:00.000Z");

    const locked = await service.db.encounter.count({ where: { lockedByVerificationId: verification.id } });
    expect(locked).toBe(500);

    const text = await pdfText((await esirFormFiles(await loadEsirSummary(service.ctx, director, resident, TODAY))).pdf.data);
    expect(text).toContain("Signed in Caselog by Dana Director on 2026-12-04.");
  });

  it("returns the same form when signed twice", async () => {
    const first = await signed();
    const summary = await loadEsirSummary(service.ctx, director, resident, TODAY);
    const again = await signEsirVerification(service.ctx, {
      director,
      resident,
      expected: { ...summary.form.period, total: summary.form.creditedTotal },
      today: TODAY,
    });
    expect(again.created).toBe(false);
    expect(again.verification.id).toBe(first.verification.id);
    expect(await service.db.esirVerification.count()).toBe(1);
  });

  it("rejects deleting a locked encounter", async () => {
    await signed();
    const encounter = await service.db.encounter.findFirstOrThrow({ where: { residentId: resident.id } });
    await expect(deleteEncounter(service.ctx, resident, encounter.id)).rejects.toThrow(/signed ESIR verification form/);
    expect(await service.db.encounter.count({ where: { id: encounter.id } })).toBe(1);
  });

  it("rejects a new entry inside the signed period", async () => {
    await signed();
    const entry = {
      resident,
      draft: { performedOn: "2026-01-15", procedureIds: ["port_placement"], role: "first_operator" as const },
      source: "slash" as const,
      sourceKey: "slash:after-signing",
      actorSlackId: resident.slackUserId,
      today: TODAY,
    };
    await expect(logEncounter(service.ctx, entry)).rejects.toThrow(/inside the ESIR period of your signed verification form/);
    expect(await service.db.encounter.count({ where: { residentId: resident.id } })).toBe(500);

    const later = await logEncounter(service.ctx, { ...entry, draft: { ...entry.draft, performedOn: "2026-11-02" }, sourceKey: "slash:after-period" });
    expect(later.created).toBe(true);
  });

  it("unlocks the encounters and audits the unlock", async () => {
    const { verification } = await signed();
    const unlocked = await unlockEsirVerification(service.ctx, director, resident);
    expect(unlocked.unlockedBySlackId).toBe("U0DIRECTOR");
    expect(unlocked.unlockedAt).not.toBeNull();
    expect(await service.db.encounter.count({ where: { lockedByVerificationId: { not: null } } })).toBe(0);

    const audit = await service.db.auditEvent.findMany({ where: { entity: "esir_verification", entityId: verification.id }, orderBy: { id: "asc" } });
    expect(audit.map((row) => row.action)).toEqual(["create", "update"]);
    expect(JSON.parse(audit[1]!.after!)).toMatchObject({ unlockedBySlackId: "U0DIRECTOR", releasedEncounters: 500 });

    const encounter = await service.db.encounter.findFirstOrThrow({ where: { residentId: resident.id } });
    await deleteEncounter(service.ctx, resident, encounter.id);
    expect(await service.db.encounter.count({ where: { id: encounter.id } })).toBe(0);
  });

  it("rejects unlock by a coordinator", async () => {
    await signed();
    const coordinator = await addPerson(service, { slackUserId: "U0COORD", role: "coordinator" });
    await expect(unlockEsirVerification(service.ctx, coordinator, resident)).rejects.toBeInstanceOf(NotAllowedError);
  });

  it("rejects signing 499 encounters", async () => {
    await seedEncounters(service, resident, encounterSeries(499, "2025-07-01"));
    const summary = await loadEsirSummary(service.ctx, director, resident, TODAY);
    const signing = signEsirVerification(service.ctx, { director, resident, expected: { ...summary.form.period, total: 499 }, today: TODAY });
    await expect(signing).rejects.toThrow(/499 of 500 encounters are credited, 1 are missing/);
    expect(await service.db.esirVerification.count()).toBe(0);
  });

  it("rejects signing a form made before the log changed", async () => {
    await seedEncounters(service, resident, encounterSeries(501, "2025-07-01"));
    const signing = signEsirVerification(service.ctx, {
      director,
      resident,
      expected: { from: "2025-07-01", until: "2026-07-01", total: 500 },
      today: TODAY,
    });
    await expect(signing).rejects.toBeInstanceOf(StaleError);
  });
});

describe("combined ESIR and IR total", () => {
  it("adds the ESIR period to the independent IR log", async () => {
    await seedEncounters(service, resident, encounterSeries(500, "2025-07-01"));
    const summary = await loadEsirSummary(service.ctx, director, resident, TODAY);
    await signEsirVerification(service.ctx, { director, resident, expected: { ...summary.form.period, total: 500 }, today: TODAY });

    // The resident continues into an independent IR program: new track, new residency start.
    const irResident = await service.db.person.update({
      where: { id: resident.id },
      data: { track: "ir_independent", pgy: 6, residencyStart: "2026-07-01", esirStart: null, esirEnd: null },
    });
    await seedEncounters(service, irResident, [...encounterSeries(40, "2026-07-01"), ...encounterSeries(2, "2026-08-01", "pending")], "ir");

    const combined = await combinedEsirIrTotal(service.ctx, irResident);
    expect(combined).toEqual({ esirPeriod: { from: "2025-07-01", until: "2026-07-01" }, esir: 500, ir: 40, total: 540 });
  });

  it("returns null for an ESIR resident", async () => {
    expect(await combinedEsirIrTotal(service.ctx, resident)).toBeNull();
  });
});
