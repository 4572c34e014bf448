import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createPrismaClient, type Db } from "../../src/db/client.js";
import { migrateSqlite, MIGRATIONS_DIR } from "../../src/db/migrate.js";
import { createLogger } from "../../src/logger.js";
import type { ServiceContext } from "../../src/services/context.js";
import { setDrCount } from "../../src/services/dr-counts.js";
import { deleteEncounter, logEncounter, updateEncounter } from "../../src/services/encounters.js";
import { RuleViolationError } from "../../src/services/errors.js";
import { registerResident } from "../../src/services/people.js";
import { getProgress } from "../../src/services/progress.js";

let directory: string;
let databaseUrl: string;
let db: Db;
let ctx: ServiceContext;

beforeAll(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "caselog-db-"));
  databaseUrl = `file:${path.join(directory, "nested", "caselog.db")}`;
  migrateSqlite(databaseUrl);
  db = createPrismaClient(databaseUrl);
  const config = loadConfig({ SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: "0123456789abcdef0123", DATABASE_URL: databaseUrl });
  ctx = { db, config, logger: createLogger("silent"), now: () => new Date("2026-12-04T15:00:00Z") };
});

afterAll(async () => {
  await db.$disconnect();
  fs.rmSync(directory, { recursive: true, force: true });
});

async function newResident(slackUserId: string, track = "ir_integrated") {
  return registerResident(ctx, {
    slackTeamId: "T0DB",
    slackUserId,
    registration: { track: track as "ir_integrated", pgy: 3, residencyStart: "2024-07-01" },
  });
}

describe("migrations on a real SQLite file", () => {
  it("applies each migration once and records Prisma's checksum", () => {
    expect(migrateSqlite(databaseUrl).applied).toEqual([]);

    const file = new Database(databaseUrl.replace("file:", ""), { readonly: true });
    const rows = file.prepare(`SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`).all() as { migration_name: string; checksum: string }[];
    file.close();

    const folders = fs.readdirSync(MIGRATIONS_DIR).filter((name) => fs.statSync(path.join(MIGRATIONS_DIR, name)).isDirectory()).sort();
    expect(rows.map((row) => row.migration_name)).toEqual(folders);
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.checksum))).toBe(true);
  });
});

describe("encounter storage", () => {
  it("stores concurrent copies of one request once", async () => {
    const resident = await newResident("U0DB1");
    const input = {
      resident,
      draft: { performedOn: "2026-12-01", procedureIds: ["port_placement"], role: "first_operator" as const },
      source: "slash" as const,
      sourceKey: "slash:same-trigger",
      actorSlackId: resident.slackUserId,
      today: "2026-12-04",
    };

    const results = await Promise.all([logEncounter(ctx, input), logEncounter(ctx, input), logEncounter(ctx, input)]);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.encounter.id)).size).toBe(1);
    expect(await db.encounter.count({ where: { residentId: resident.id } })).toBe(1);
    expect(await db.auditEvent.count({ where: { entity: "encounter", action: "create" } })).toBe(1);
  });

  it("changes nothing when the rules reject an entry", async () => {
    const resident = await newResident("U0DB2");
    await expect(
      logEncounter(ctx, {
        resident,
        draft: { performedOn: "2026-12-09", procedureIds: ["port_placement"], role: "first_operator" },
        source: "slash",
        sourceKey: "slash:future",
        actorSlackId: resident.slackUserId,
        today: "2026-12-04",
      }),
    ).rejects.toBeInstanceOf(RuleViolationError);
    expect(await db.encounter.count({ where: { residentId: resident.id } })).toBe(0);
  });

  it("records the deleted values in the audit trail", async () => {
    const resident = await newResident("U0DB3");
    const { encounter } = await logEncounter(ctx, {
      resident,
      draft: { performedOn: "2026-11-30", procedureIds: ["tips"], role: "first_operator", notes: "revision planned" },
      source: "modal",
      sourceKey: "view:V0DB3",
      actorSlackId: resident.slackUserId,
      today: "2026-12-04",
    });

    await deleteEncounter(ctx, resident, encounter.id);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { entity: "encounter", entityId: encounter.id, action: "delete" } });
    expect(audit.actorSlackId).toBe("U0DB3");
    expect(JSON.parse(audit.before!)).toMatchObject({ performedOn: "2026-11-30", procedures: ["tips"], notes: "revision planned" });
    expect(audit.after).toBeNull();
  });
});

describe("encounter edits", () => {
  it("put an entered encounter back on the worklist", async () => {
    const resident = await newResident("U0DB5");
    const { encounter } = await logEncounter(ctx, {
      resident,
      draft: { performedOn: "2026-11-30", procedureIds: ["port_placement"], role: "first_operator" },
      source: "slash",
      sourceKey: "slash:entered",
      actorSlackId: resident.slackUserId,
      today: "2026-12-04",
    });
    await db.encounter.update({ where: { id: encounter.id }, data: { enteredInAcgme: true, enteredInAcgmeAt: new Date() } });

    await updateEncounter(ctx, {
      actor: resident,
      encounterId: encounter.id,
      draft: { performedOn: "2026-11-29", procedureIds: ["nephrostomy"], role: "first_operator" },
      today: "2026-12-04",
      expectedVersion: 1,
    });
    const after = await db.encounter.findUniqueOrThrow({ where: { id: encounter.id } });
    expect(after.enteredInAcgme).toBe(false);
    expect(after.enteredInAcgmeAt).toBeNull();
  });
});

describe("DR aggregate counts", () => {
  it("replaces the year's value and keeps years apart", async () => {
    const resident = await newResident("U0DB4");
    const base = { resident, category: "ct_abdomen_pelvis" as const, actorSlackId: "U0DB4" };

    expect(await setDrCount(ctx, { ...base, count: 200, dateInYear: "2026-12-04" })).toEqual({ academicYear: 2026, before: null, after: 200 });
    expect(await setDrCount(ctx, { ...base, count: 250, dateInYear: "2027-06-30" })).toEqual({ academicYear: 2026, before: 200, after: 250 });
    expect(await setDrCount(ctx, { ...base, count: 40, dateInYear: "2026-06-30" })).toEqual({ academicYear: 2025, before: null, after: 40 });

    const progress = await getProgress(ctx, resident);
    expect(progress.dr.find((row) => row.id === "ct_abdomen_pelvis")).toMatchObject({ count: 290, minimum: 600 });
  });
});
