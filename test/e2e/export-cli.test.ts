import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Person } from "../../src/generated/prisma/client.js";
import { runCli } from "../../src/cli/run.js";
import { migrateSqlite } from "../../src/db/migrate.js";
import { createPrismaClient } from "../../src/db/client.js";
import { NotAllowedError } from "../../src/services/errors.js";
import { exportProgramLogCsv, exportResidentLogCsv } from "../../src/services/exports.js";
import { addPerson, encounterSeries, openServiceDb, seedEncounters, TEAM, type ServiceDb } from "../fixtures/service-db.js";
import { pdfFlatText } from "../fixtures/pdf-text.js";

let service: ServiceDb;
let resident: Person;
let directory: string;

beforeEach(async () => {
  service = await openServiceDb();
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "caselog-cli-"));
  resident = await addPerson(service, { slackUserId: "U0RES", role: "resident", displayName: "Rae Res", track: "esir", pgy: 5, residencyStart: "2022-07-01", esirStart: "2025-07-01" });
  await seedEncounters(service, resident, encounterSeries(4, "2025-09-01"));
});

afterEach(async () => {
  await service.close();
  fs.rmSync(directory, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(service.ctx, argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd: directory });
  return { code, stdout, stderr };
}

describe("export permissions", () => {
  it("lets a resident export their own log", async () => {
    const file = await exportResidentLogCsv(service.ctx, resident, resident);
    expect(file.data.toString().split("\r\n").filter(Boolean)).toHaveLength(5);
  });

  it("rejects a resident exporting another log", async () => {
    const other = await addPerson(service, { slackUserId: "U0OTHER", role: "resident", track: "dr", pgy: 2, residencyStart: "2025-07-01" });
    await expect(exportResidentLogCsv(service.ctx, other, resident)).rejects.toBeInstanceOf(NotAllowedError);
  });

  it("rejects a resident exporting the program", async () => {
    await expect(exportProgramLogCsv(service.ctx, resident)).rejects.toBeInstanceOf(NotAllowedError);
  });

  it("lets a coordinator export the program", async () => {
    const coordinator = await addPerson(service, { slackUserId: "U0COORD", role: "coordinator" });
    const file = await exportProgramLogCsv(service.ctx, coordinator);
    const lines = file.data.toString().split("\r\n").filter(Boolean);
    expect(lines[0]!.startsWith("resident_slack_id,resident,date,procedures")).toBe(true);
    expect(lines[1]!.startsWith("U0RES,Rae Res,2025-09-01,Venous port placement")).toBe(true);
  });
});

describe("caselog command line", () => {
  it("prints a resident log as CSV", async () => {
    const result = await cli("export", "log", "--user", "U0RES");
    expect(result.code).toBe(0);
    expect(result.stdout.split("\r\n")[1]).toContain("2025-09-01,Venous port placement,first_operator");
  });

  it("writes the program CSV to a file", async () => {
    const result = await cli("export", "program", "--out", "program.csv");
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(directory, "program.csv"), "utf8")).toContain("U0RES,Rae Res");
  });

  it("writes a progress report PDF", async () => {
    const result = await cli("export", "progress", "--user", "U0RES", "--out", "progress.pdf");
    expect(result.code).toBe(0);
    const text = await pdfFlatText(fs.readFileSync(path.join(directory, "progress.pdf")));
    expect(text).toContain("Resident: Rae Res");
    expect(text).toContain("Patient procedural encounters toward the target: 4 of 500");
  });

  it("writes the ESIR form for a director", async () => {
    await addPerson(service, { slackUserId: "U0PD", role: "program_director", displayName: "Pat Director" });
    const result = await cli("esir", "--user", "U0RES", "--as", "U0PD", "--out-dir", ".");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("4 credited encounters: not eligible, 496 missing, 0 pending verification.");
    const pdf = fs.readFileSync(path.join(directory, "esir-verification-rae-res.pdf"));
    expect(await pdfFlatText(pdf)).toContain("Diagnostic Radiology Program Director Name: Pat Director");
    expect(fs.readFileSync(path.join(directory, "esir-log-rae-res.csv"), "utf8").split("\r\n").filter(Boolean)).toHaveLength(5);
  });

  it("rejects the ESIR form for a coordinator", async () => {
    await addPerson(service, { slackUserId: "U0COORD", role: "coordinator" });
    const result = await cli("esir", "--user", "U0RES", "--as", "U0COORD");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Only a program director");
  });

  it("dry-runs an import by default", async () => {
    fs.copyFileSync(new URL("../fixtures/import/mixed.csv", import.meta.url), path.join(directory, "mixed.csv"));
    const result = await cli("import", "log", "--user", "U0RES", "mixed.csv");
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("row 3:");
    expect(await service.db.encounter.count()).toBe(4);

    const valid = await cli("import", "log", "--user", "U0RES", "mixed.csv", "--apply-valid");
    expect(valid.code).toBe(0);
    expect(valid.stdout).toContain("Stored 2 new encounters.");
    expect(await service.db.encounter.count()).toBe(6);
  });

  it("imports RIS counts", async () => {
    fs.writeFileSync(path.join(directory, "ris.csv"), "exam_date,exam_description\n2025-08-01,XR CHEST PA\n2025-08-02,XR FOOT 3 VIEWS\n");
    const result = await cli("import", "ris", "--user", "U0RES", "ris.csv", "--apply");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"XR FOOT 3 VIEWS": 1 exams, first at row 3');
    const count = await service.db.drCount.findFirstOrThrow({ where: { residentId: resident.id } });
    expect(count).toMatchObject({ category: "chest_xray", academicYear: 2025, count: 1 });
  });

  it("lists the worklist", async () => {
    const result = await cli("worklist", "--user", "U0RES");
    expect(result.stdout).toContain("4 encounters to enter; 0 already entered.");
  });

  it("rejects an unknown command", async () => {
    const result = await cli("frobnicate");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Unknown command: frobnicate");
  });

  it("rejects an unknown person", async () => {
    const result = await cli("export", "log", "--user", "U0NOBODY");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("No person with Slack member ID U0NOBODY");
  });
});

describe("caselog script", () => {
  it("runs on a database file without Slack", async () => {
    const file = path.join(directory, "script.db");
    const databaseUrl = `file:${file}`;
    migrateSqlite(databaseUrl);
    const db = createPrismaClient(databaseUrl);
    const program = await db.program.create({ data: { slackTeamId: TEAM, kind: "dr", name: "Script Program" } });
    await db.person.create({ data: { programId: program.id, slackTeamId: TEAM, slackUserId: "U0SCRIPT", role: "resident", track: "dr", pgy: 2, residencyStart: "2025-07-01" } });
    await db.$disconnect();

    const tsx = path.resolve("node_modules/.bin/tsx");
    const { stdout } = await promisify(execFile)(tsx, ["src/cli/main.ts", "export", "log", "--user", "U0SCRIPT"], {
      env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl },
    });
    expect(stdout.startsWith("date,procedures,role,supervisor,notes")).toBe(true);
  });
});
