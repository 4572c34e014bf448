import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createPrismaClient } from "../../src/db/client.js";
import { createLogger } from "../../src/logger.js";
import { startCaselogApp } from "../../src/slack/app.js";
import { runDueJobs, startScheduler } from "../../src/jobs/scheduler.js";
import { BOT_TOKEN, SIGNING_SECRET, type Harness } from "../support/app-harness.js";
import { jobContext, postsTo, seedProgram, startJobsHarness } from "./jobs-support.js";

// Wednesday 2026-12-09, 10:00 in New York: Monday's digest for 2026-W50 was missed.
const WEDNESDAY = "2026-12-09T15:00:00Z";

let harness: Harness;

beforeEach(async () => {
  harness = await startJobsHarness(WEDNESDAY);
});

afterEach(async () => {
  await harness.stop();
});

function digests(channel: string) {
  return postsTo(harness, channel).filter((post) => post.text.includes("digest"));
}

describe("scheduler", () => {
  it("catches up a missed run once at start", async () => {
    const program = await seedProgram(harness, { name: "IR Residency", channelId: "C0DIGEST" });
    await harness.db.jobRun.create({ data: { job: "digest", programId: program.id, period: "2026-W49", finishedAt: new Date("2026-11-30T14:00:00Z") } });
    const { ctx, client } = jobContext(harness);

    const first = await startScheduler(ctx, client);
    await first.stop();
    expect(digests("C0DIGEST")).toHaveLength(1);

    const restarted = await startScheduler(ctx, client);
    await restarted.stop();
    expect(digests("C0DIGEST")).toHaveLength(1);

    const runs = await harness.db.jobRun.findMany({ where: { job: "digest" }, orderBy: { period: "asc" } });
    expect(runs.map((run) => run.period)).toEqual(["2026-W49", "2026-W50"]);
  });

  it("posts one digest from two instances starting together", async () => {
    await seedProgram(harness, { name: "IR Residency", channelId: "C0DIGEST" });
    const { ctx, client } = jobContext(harness);
    const secondDb = createPrismaClient(`file:${harness.dbFile}`);
    try {
      const schedulers = await Promise.all([startScheduler(ctx, client), startScheduler({ ...ctx, db: secondDb }, client)]);
      await Promise.all(schedulers.map((scheduler) => scheduler.stop()));
      expect(digests("C0DIGEST")).toHaveLength(1);
    } finally {
      await secondDb.$disconnect();
    }
  });

  it("skips a program with an invalid time zone", async () => {
    const broken = await seedProgram(harness, { name: "DR Residency", kind: "dr", channelId: "C0BROKEN", timeZone: "Mars/Olympus" });
    const working = await seedProgram(harness, { name: "IR Residency", channelId: "C0DIGEST" });
    const { ctx, client } = jobContext(harness);

    const scheduler = await startScheduler(ctx, client);
    await scheduler.stop();
    expect(digests("C0DIGEST")).toHaveLength(1);
    expect(digests("C0BROKEN")).toHaveLength(0);

    const report = await runDueJobs(ctx, client, new Date(WEDNESDAY));
    expect(report[broken.id]).toEqual({ all: "invalid_time_zone" });
    expect(report[working.id]!.digest).toBe("claimed_elsewhere");
  });

  it("posts one digest from two app instances", async () => {
    await seedProgram(harness, { name: "IR Residency", channelId: "C0DIGEST" });
    const databaseUrl = `file:${harness.dbFile}`;
    const config = loadConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: harness.fake.apiUrl,
      PORT: "0",
      DATABASE_URL: databaseUrl,
      CASELOG_SCHEDULER: "on",
    });
    const databases = [createPrismaClient(databaseUrl), createPrismaClient(databaseUrl)];
    try {
      const instances = await Promise.all(
        databases.map((db) => startCaselogApp({ config, db, logger: createLogger("silent"), now: () => new Date(WEDNESDAY) })),
      );
      await Promise.all(instances.map((instance) => instance.stop()));
      expect(digests("C0DIGEST")).toHaveLength(1);
    } finally {
      await Promise.all(databases.map((db) => db.$disconnect()));
    }
  });
});
