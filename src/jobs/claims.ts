import { Prisma } from "../generated/prisma/client.js";
import type { ServiceContext } from "../services/context.js";

/**
 * Once-only job runs. A run inserts a JobRun row for (job, program, period) before it does
 * anything. The unique index makes every other instance's insert fail, so only one posts.
 * NOTE: a process that dies between its claim and its posts leaves the period unposted, and
 * a claim is never released (finishedAt stays null), so that period is not retried.
 */
export async function claimRun(ctx: ServiceContext, job: string, programId: number, period: string): Promise<number | null> {
  try {
    const run = await ctx.db.jobRun.create({ data: { job, programId, period, claimedAt: ctx.now() } });
    return run.id;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return null;
    throw error;
  }
}

export async function finishRun(ctx: ServiceContext, runId: number, at: Date): Promise<void> {
  await ctx.db.jobRun.update({ where: { id: runId }, data: { finishedAt: at } });
}
