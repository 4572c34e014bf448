import type { Person } from "../generated/prisma/client.js";
import { programLogCsv, residentLogCsv } from "../reports/csv.js";
import { toLogEntry, type LogEntry } from "../reports/log-entries.js";
import { progressReportPdf } from "../reports/progress-report.js";
import type { ServiceContext } from "./context.js";
import { NotAllowedError, NotFoundError } from "./errors.js";
import { residentProfile } from "./people.js";
import { getProgress } from "./progress.js";
import { combinedEsirIrTotal } from "./esir.js";

/**
 * Exports of encounter logs (CSV) and progress reports (PDF), for Slack and the command line.
 * A resident may export only their own log. Program directors and coordinators may export any
 * resident of their program and the whole program.
 */

export interface ExportFile {
  filename: string;
  contentType: string;
  data: Buffer;
}

export function isProgramStaff(person: Person): boolean {
  return person.role === "program_director" || person.role === "coordinator";
}

export function assertCanViewLog(actor: Person, resident: Person): void {
  if (actor.id === resident.id) return;
  if (isProgramStaff(actor) && actor.programId === resident.programId) return;
  throw new NotAllowedError("You can see only your own case log. Program directors and coordinators can export a resident's log.");
}

export interface DateRange {
  /** First day included, "YYYY-MM-DD". */
  from?: string;
  /** First day excluded, "YYYY-MM-DD". */
  until?: string;
}

const ENCOUNTER_INCLUDE = {
  procedures: { select: { procedureId: true, category: true } },
  resident: { select: { slackUserId: true, displayName: true } },
} as const;

function dateFilter(range: DateRange) {
  if (!range.from && !range.until) return {};
  return { performedOn: { ...(range.from ? { gte: range.from } : {}), ...(range.until ? { lt: range.until } : {}) } };
}

/** Loads a resident's encounters, oldest first, optionally within a half-open date range. */
export async function loadLogEntries(ctx: ServiceContext, residentId: number, range: DateRange = {}): Promise<LogEntry[]> {
  const rows = await ctx.db.encounter.findMany({
    where: { residentId, ...dateFilter(range) },
    include: ENCOUNTER_INCLUDE,
    orderBy: [{ performedOn: "asc" }, { id: "asc" }],
  });
  return rows.map(toLogEntry);
}

/** Finds a person of the actor's workspace by Slack user id. */
export async function findResidentBySlackId(ctx: ServiceContext, actor: Person, slackUserId: string): Promise<Person> {
  const person = await ctx.db.person.findUnique({ where: { slackTeamId_slackUserId: { slackTeamId: actor.slackTeamId, slackUserId } } });
  if (!person || person.role !== "resident") {
    throw new NotFoundError(`Slack user ${slackUserId} is not a registered resident. They register by typing /caselog.`);
  }
  return person;
}

function fileStem(resident: Person): string {
  return (resident.displayName ?? resident.slackUserId).replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase() || resident.slackUserId;
}

export async function exportResidentLogCsv(ctx: ServiceContext, actor: Person, resident: Person): Promise<ExportFile> {
  assertCanViewLog(actor, resident);
  const entries = await loadLogEntries(ctx, resident.id);
  ctx.logger.info({ actorId: actor.id, residentId: resident.id, rows: entries.length }, "resident log exported");
  return { filename: `caselog-${fileStem(resident)}.csv`, contentType: "text/csv", data: Buffer.from(residentLogCsv(entries), "utf8") };
}

export async function exportProgramLogCsv(ctx: ServiceContext, actor: Person): Promise<ExportFile> {
  if (!isProgramStaff(actor)) {
    throw new NotAllowedError("Only program directors and coordinators can export the whole program's log.");
  }
  const rows = await ctx.db.encounter.findMany({
    where: { resident: { programId: actor.programId } },
    include: ENCOUNTER_INCLUDE,
    orderBy: [{ resident: { slackUserId: "asc" } }, { performedOn: "asc" }, { id: "asc" }],
  });
  ctx.logger.info({ actorId: actor.id, programId: actor.programId, rows: rows.length }, "program log exported");
  return { filename: "caselog-program.csv", contentType: "text/csv", data: Buffer.from(programLogCsv(rows.map(toLogEntry)), "utf8") };
}

/** Builds the PDF progress report of one resident: category counts, totals and the log. */
export async function exportProgressReport(ctx: ServiceContext, actor: Person, resident: Person, today: string): Promise<ExportFile> {
  assertCanViewLog(actor, resident);
  const profile = residentProfile(resident);
  const [program, progress, entries, combined] = await Promise.all([
    ctx.db.program.findUniqueOrThrow({ where: { id: resident.programId } }),
    getProgress(ctx, resident),
    loadLogEntries(ctx, resident.id),
    combinedEsirIrTotal(ctx, resident),
  ]);
  const data = await progressReportPdf({
    programName: program.name,
    programNumber: program.acgmeNumber,
    residentName: resident.displayName ?? resident.slackUserId,
    track: profile.track,
    pgy: profile.pgy,
    progress,
    combined,
    entries,
    generatedOn: today,
  });
  return { filename: `caselog-progress-${fileStem(resident)}.pdf`, contentType: "application/pdf", data };
}
