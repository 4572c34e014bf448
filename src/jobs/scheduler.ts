import type { WebClient } from "@slack/web-api";
import cron, { type ScheduledTask } from "node-cron";
import type { Program } from "../generated/prisma/client.js";
import { isValidTimeZone } from "../rules/academic-year.js";
import type { ServiceContext } from "../services/context.js";
import { runDigest, type JobOutcome } from "./digest-job.js";
import { runNudges } from "./nudge-job.js";
import { runReviewEscalation, runReviewReminder } from "./review-jobs.js";

/**
 * Scheduled jobs. node-cron only decides when to look, and `runDueJobs` decides what is due
 * from the clock it is given. Each run is claimed in the database for its period, so a second
 * instance, a restart or a repeated tick never posts twice. A period missed while the app was
 * down is caught up by the first run after start.
 */

export type ProgramJob = (ctx: ServiceContext, client: WebClient, program: Program, now: Date) => Promise<JobOutcome>;

const PROGRAM_JOBS: Readonly<Record<string, ProgramJob>> = {
  digest: runDigest,
  review_reminder: runReviewReminder,
  review_escalation: runReviewEscalation,
  nudges: runNudges,
};

export type JobReport = Record<number, Record<string, JobOutcome | "invalid_time_zone">>;

/**
 * Runs every job that is due at `now` for each program (or only `programIds`). A failing job
 * is logged and does not stop the other jobs or programs.
 */
export async function runDueJobs(ctx: ServiceContext, client: WebClient, now: Date, programIds?: readonly number[]): Promise<JobReport> {
  const programs = await ctx.db.program.findMany({ where: programIds ? { id: { in: [...programIds] } } : {}, orderBy: { id: "asc" } });
  const report: JobReport = {};

  for (const program of programs) {
    const outcomes: JobReport[number] = {};
    report[program.id] = outcomes;
    if (!isValidTimeZone(program.timeZone)) {
      ctx.logger.error({ programId: program.id, timeZone: program.timeZone }, "program time zone is invalid; its jobs are skipped");
      outcomes.all = "invalid_time_zone";
      continue;
    }

    for (const [name, job] of Object.entries(PROGRAM_JOBS)) {
      try {
        outcomes[name] = await job(ctx, client, program, now);
      } catch (error) {
        ctx.logger.error({ err: error, programId: program.id, job: name }, "scheduled job failed");
        outcomes[name] = "failed";
      }
    }
  }
  return report;
}

/** Every hour on the hour, in the program's own time zone. */
const HOURLY = "0 * * * *";

export interface Scheduler {
  /** Creates, replaces or removes cron tasks to match the programs and their time zones. */
  sync(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts one hourly node-cron task per program in the program's time zone, plus a UTC task
 * that picks up new programs and changed zones. Invalid time zones are logged and skipped,
 * because node-cron 4 accepts them at creation and fails later. Runs missed periods once.
 */
export async function startScheduler(ctx: ServiceContext, client: WebClient): Promise<Scheduler> {
  const tasks = new Map<number, { task: ScheduledTask; timeZone: string }>();
  let running: Promise<unknown> = Promise.resolve();

  // Ticks run one after another, so two ticks of one process never race for the same claim.
  const enqueue = (programIds?: number[]) => {
    running = running.then(() => runDueJobs(ctx, client, ctx.now(), programIds)).catch((error: unknown) => {
      ctx.logger.error({ err: error }, "scheduled run failed");
    });
    return running;
  };

  const sync = async () => {
    const programs = await ctx.db.program.findMany({ select: { id: true, timeZone: true } });
    const seen = new Set<number>();
    for (const program of programs) {
      seen.add(program.id);
      const existing = tasks.get(program.id);
      if (existing?.timeZone === program.timeZone) continue;
      if (existing) await existing.task.destroy();
      tasks.delete(program.id);

      if (!isValidTimeZone(program.timeZone)) {
        ctx.logger.error({ programId: program.id, timeZone: program.timeZone }, "program time zone is invalid; its schedule was not started");
        continue;
      }
      const task = cron.schedule(HOURLY, () => enqueue([program.id]), { timezone: program.timeZone, name: `program-${program.id}`, noOverlap: true });
      tasks.set(program.id, { task, timeZone: program.timeZone });
    }
    for (const [programId, entry] of tasks) {
      if (seen.has(programId)) continue;
      await entry.task.destroy();
      tasks.delete(programId);
    }
  };

  await sync();
  const housekeeping = cron.schedule("30 * * * *", () => sync(), { timezone: "UTC", name: "program-schedules", noOverlap: true });
  ctx.logger.info({ programs: tasks.size }, "scheduler started");

  // Catch up: a period whose run was missed while the app was down is run now, once.
  await enqueue();

  return {
    sync,
    async stop() {
      await housekeeping.destroy();
      for (const entry of tasks.values()) await entry.task.destroy();
      tasks.clear();
      await running;
      ctx.logger.info("scheduler stopped");
    },
  };
}
