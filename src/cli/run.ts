import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Person } from "../generated/prisma/client.js";
import { encounterImportReport, risImportReport } from "../import/report.js";
import { defaultRisMapping, loadRisMapping } from "../import/ris.js";
import { dateInTimeZone } from "../rules/academic-year.js";
import type { ServiceContext } from "../services/context.js";
import { CaselogError } from "../services/errors.js";
import { esirFormFiles, loadEsirSummary } from "../services/esir.js";
import { exportProgramLogCsv, exportProgressReport, exportResidentLogCsv, type ExportFile } from "../services/exports.js";
import { importEncounters, importRisCounts, type ImportMode } from "../services/imports.js";
import { getWorklist } from "../services/worklist.js";

/**
 * The `caselog` command line tool: exports, the ESIR form, imports and the ACGME worklist,
 * straight on the database, without Slack. Running it needs read access to the database file,
 * so it acts as an operator with coordinator rights unless `--as` names a person to act as.
 */

export const USAGE = `Usage: npm run caselog -- <command> [options]

Commands:
  export log --user ID [--out FILE]         CSV of one resident's log (stdout without --out)
  export program [--program ID] [--out FILE] CSV of a whole program's log
  export progress --user ID [--out FILE]    PDF progress report of one resident
  esir --user ID --as DIRECTOR [--out-dir DIR]
                                            ESIR verification form (PDF) and detailed log (CSV)
  worklist --user ID                        Credited entries not yet entered in the ACGME system
  import log --user ID FILE [--apply | --apply-valid]
                                            Check (and with --apply, store) a CSV of encounters
  import ris --user ID FILE [--map FILE] [--academic-year YEAR] [--apply | --apply-valid]
                                            Check (and store) DR exam counts from a RIS export

Options:
  --user ID        Slack member ID of the resident
  --as ID          Slack member ID of the person to act as; default: an operator with coordinator rights
  --team ID        Slack workspace ID, needed only when a member ID exists in several workspaces
  --apply          Store the import only when every row is valid
  --apply-valid    Store the valid rows and report the others
  --map FILE       RIS mapping table (JSON); default: src/import/ris-default-map.json
  --time-zone TZ   IANA time zone for "today" and relative dates; default: CASELOG_DEFAULT_TIME_ZONE

Without --apply or --apply-valid an import is a dry run that stores nothing.
Environment: DATABASE_URL (default file:./data/caselog.db).`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

/** Raised for a mistake in the command line itself; the usage text follows the message. */
class UsageError extends Error {}

const OPTIONS = {
  user: { type: "string" },
  as: { type: "string" },
  team: { type: "string" },
  out: { type: "string" },
  "out-dir": { type: "string" },
  program: { type: "string" },
  apply: { type: "boolean" },
  "apply-valid": { type: "boolean" },
  map: { type: "string" },
  "academic-year": { type: "string" },
  "time-zone": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

async function findPersonBySlackId(ctx: ServiceContext, slackUserId: string, team: string | undefined): Promise<Person> {
  const matches = await ctx.db.person.findMany({ where: { slackUserId, ...(team ? { slackTeamId: team } : {}) } });
  if (matches.length === 0) throw new UsageError(`No person with Slack member ID ${slackUserId}${team ? ` in workspace ${team}` : ""} is in the database.`);
  if (matches.length > 1) throw new UsageError(`Slack member ID ${slackUserId} exists in several workspaces; name one with --team.`);
  return matches[0]!;
}

/** Builds the operator the tool acts as without --as, with coordinator rights in one program. */
function operator(programId: number, slackTeamId: string): Person {
  const now = new Date(0);
  return {
    id: -1,
    programId,
    slackTeamId,
    slackUserId: "cli",
    displayName: "Caselog command line",
    role: "coordinator",
    track: null,
    pgy: null,
    residencyStart: null,
    esirStart: null,
    esirEnd: null,
    timeZone: null,
    expectedGraduation: null,
    icuRotationCompleted: false,
    nudgesPausedUntil: null,
    active: true,
    createdAt: now,
    updatedAt: now,
  } as Person;
}

function requireUser(values: Values): string {
  if (!values.user) throw new UsageError("This command needs --user with the resident's Slack member ID.");
  return values.user;
}

function writeFile(io: CliIo, file: ExportFile, out: string | undefined): void {
  const target = path.resolve(io.cwd, out ?? file.filename);
  fs.writeFileSync(target, file.data);
  io.stdout(`Wrote ${target} (${file.data.length} bytes)\n`);
}

function importMode(values: Values): ImportMode {
  if (values.apply && values["apply-valid"]) throw new UsageError("Use either --apply or --apply-valid, not both.");
  if (values.apply) return "all_or_nothing";
  if (values["apply-valid"]) return "valid_rows";
  return "dry_run";
}

async function residentAndActor(ctx: ServiceContext, values: Values): Promise<{ resident: Person; actor: Person }> {
  const resident = await findPersonBySlackId(ctx, requireUser(values), values.team);
  const actor = values.as ? await findPersonBySlackId(ctx, values.as, resident.slackTeamId) : operator(resident.programId, resident.slackTeamId);
  return { resident, actor };
}

async function programActor(ctx: ServiceContext, values: Values): Promise<Person> {
  if (values.as) return findPersonBySlackId(ctx, values.as, values.team);
  const programs = await ctx.db.program.findMany({ where: values.program ? { id: Number(values.program) } : {} });
  if (programs.length === 0) throw new UsageError(values.program ? `No program with id ${values.program}.` : "The database has no program yet.");
  if (programs.length > 1) {
    throw new UsageError(`The database has ${programs.length} programs; choose one with --program (${programs.map((program) => `${program.id}: ${program.name}`).join(", ")}).`);
  }
  return operator(programs[0]!.id, programs[0]!.slackTeamId);
}

async function dispatch(ctx: ServiceContext, io: CliIo, positionals: string[], values: Values): Promise<number> {
  const timeZone = values["time-zone"] ?? ctx.config.CASELOG_DEFAULT_TIME_ZONE;
  const today = dateInTimeZone(ctx.now(), timeZone);
  const [command, sub, file] = positionals;

  if (command === "export" && sub === "log") {
    const { resident, actor } = await residentAndActor(ctx, values);
    const exported = await exportResidentLogCsv(ctx, actor, resident);
    if (values.out) writeFile(io, exported, values.out);
    else io.stdout(exported.data.toString("utf8"));
    return 0;
  }
  if (command === "export" && sub === "program") {
    const exported = await exportProgramLogCsv(ctx, await programActor(ctx, values));
    if (values.out) writeFile(io, exported, values.out);
    else io.stdout(exported.data.toString("utf8"));
    return 0;
  }
  if (command === "export" && sub === "progress") {
    const { resident, actor } = await residentAndActor(ctx, values);
    writeFile(io, await exportProgressReport(ctx, actor, resident, today), values.out);
    return 0;
  }
  if (command === "esir") {
    if (!values.as) throw new UsageError("The ESIR form needs --as with the program director's Slack member ID.");
    const { resident, actor } = await residentAndActor(ctx, values);
    const summary = await loadEsirSummary(ctx, actor, resident, today);
    const files = await esirFormFiles(summary);
    const directory = values["out-dir"] ?? ".";
    writeFile(io, files.pdf, path.join(directory, files.pdf.filename));
    writeFile(io, files.csv, path.join(directory, files.csv.filename));
    io.stdout(
      summary.eligible
        ? `${summary.form.creditedTotal} credited encounters: eligible.\n`
        : `${summary.form.creditedTotal} credited encounters: not eligible, ${summary.missing} missing, ${summary.form.pendingTotal} pending verification.\n`,
    );
    return 0;
  }
  if (command === "worklist") {
    const { resident } = await residentAndActor(ctx, values);
    const worklist = await getWorklist(ctx, resident);
    for (const count of worklist.drCounts) io.stdout(`DR ${count.label} ${count.name}: ${count.count}\n`);
    for (const entry of worklist.entries) {
      io.stdout(`${entry.performedOn}  ${entry.categoryNames.join("; ") || "Encounter only"}  ${entry.procedureNames.join("; ")}  ${entry.roleName}  PGY-${entry.pgy ?? "?"}  #${entry.encounterId}\n`);
    }
    io.stdout(`${worklist.entries.length} encounters to enter; ${worklist.enteredCount} already entered.\n`);
    return 0;
  }
  if (command === "import" && (sub === "log" || sub === "ris")) {
    if (!file) throw new UsageError(`import ${sub} needs the CSV file to read.`);
    const data = fs.readFileSync(path.resolve(io.cwd, file));
    const { resident, actor } = await residentAndActor(ctx, values);
    const mode = importMode(values);

    if (sub === "log") {
      const result = await importEncounters(ctx, { actor, resident, data, mode, today, timeZone });
      io.stdout(`${encounterImportReport(result)}\n`);
      return result.check.fileProblem || (result.invalidRows > 0 && mode !== "valid_rows") ? 2 : 0;
    }

    const mapping = values.map ? loadRisMapping(path.resolve(io.cwd, values.map)) : defaultRisMapping();
    const academicYear = values["academic-year"] === undefined ? undefined : Number(values["academic-year"]);
    if (academicYear !== undefined && !Number.isInteger(academicYear)) throw new UsageError("--academic-year must be the first calendar year, such as 2025 for 2025-2026.");
    const result = await importRisCounts(ctx, { actor, resident, data, mode, mapping, ...(academicYear === undefined ? {} : { academicYear }) });
    io.stdout(`${risImportReport(result)}\n`);
    const invalid = result.check.rows.some((row) => row.problems.length > 0);
    return result.check.fileProblem || (invalid && mode !== "valid_rows") ? 2 : 0;
  }
  throw new UsageError(positionals.length === 0 ? "No command given." : `Unknown command: ${positionals.join(" ")}`);
}

/**
 * Runs one command line. Returns the exit code: 0 on success, 1 on a usage or permission
 * error, 2 when an import found invalid rows and stored nothing.
 */
export async function runCli(ctx: ServiceContext, argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${USAGE}\n`);
    return 1;
  }
  if (parsed.values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }

  try {
    return await dispatch(ctx, io, parsed.positionals, parsed.values);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n\n${USAGE}\n`);
      return 1;
    }
    if (error instanceof CaselogError) {
      io.stderr(`${error.userMessage}\n`);
      return 1;
    }
    throw error;
  }
}
