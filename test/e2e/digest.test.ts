import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPrismaClient } from "../../src/db/client.js";
import { runDueJobs } from "../../src/jobs/scheduler.js";
import type { Harness } from "../support/app-harness.js";
import { DIRECTOR, dateRange, jobContext, postsTo, seedEncounters, seedProgram, seedResident, seedStaff, startJobsHarness } from "./jobs-support.js";

// Monday 2026-12-07, 09:00 in New York: the weekly digest for 2026-W50 is due.
const MONDAY_MORNING = new Date("2026-12-07T14:00:00Z");

let harness: Harness;

beforeEach(async () => {
  harness = await startJobsHarness("2026-12-07T14:00:00Z");
});

afterEach(async () => {
  await harness.stop();
});

describe("weekly digest", () => {
  it("posts counts and pace without patient details", async () => {
    const program = await seedProgram(harness, { name: "IR Residency", channelId: "C0DIGEST", directorSlackId: DIRECTOR });
    const active = await seedResident(harness, program.id, "U0ACTIVE", { residencyStart: "2024-07-01" });
    await seedResident(harness, program.id, "U0IDLE", { residencyStart: "2024-07-01" });
    await seedEncounters(harness, active.id, dateRange("2026-06-01", 12), { notes: "difficult access, right IJ" });

    const { ctx, client } = jobContext(harness);
    const report = await runDueJobs(ctx, client, MONDAY_MORNING);
    expect(report[program.id]!.digest).toBe("done");

    const posts = postsTo(harness, "C0DIGEST").filter((post) => post.text.includes("digest"));
    expect(posts).toHaveLength(1);
    expect(posts[0]!.text).toContain("Weekly case log digest: IR Residency");
    expect(posts[0]!.json).toContain("<@U0ACTIVE>");
    expect(posts[0]!.json).toContain("12 of 1000 encounters");
    expect(posts[0]!.json).toContain("Behind pace:* <@U0ACTIVE>, <@U0IDLE>");
    expect(posts[0]!.json).not.toContain("right IJ");

    const run = await harness.db.jobRun.findFirstOrThrow({ where: { job: "digest", programId: program.id } });
    expect(run.period).toBe("2026-W50");
    expect(run.finishedAt).not.toBeNull();
  });

  it("waits until Monday 08:00 in the program's zone", async () => {
    const program = await seedProgram(harness, { name: "IR Residency", channelId: "C0DIGEST", timeZone: "America/Chicago" });
    const { ctx, client } = jobContext(harness);

    const early = await runDueJobs(ctx, client, new Date("2026-12-07T13:30:00Z"));
    expect(early[program.id]!.digest).toBe("not_due");
    expect(postsTo(harness, "C0DIGEST")).toHaveLength(0);

    const due = await runDueJobs(ctx, client, new Date("2026-12-07T14:00:00Z"));
    expect(due[program.id]!.digest).toBe("done");
  });

  it("posts a monthly digest once a month", async () => {
    const program = await seedProgram(harness, { name: "IR Residency", channelId: "C0DIGEST", digestFrequency: "monthly" });
    const { ctx, client } = jobContext(harness);

    await runDueJobs(ctx, client, new Date("2026-12-07T14:00:00Z"));
    await runDueJobs(ctx, client, new Date("2026-12-14T14:00:00Z"));
    expect(postsTo(harness, "C0DIGEST")).toHaveLength(1);
    expect(postsTo(harness, "C0DIGEST")[0]!.text).toContain("Monthly case log digest");

    const runs = await harness.db.jobRun.findMany({ where: { job: "digest", programId: program.id } });
    expect(runs.map((run) => run.period)).toEqual(["2026-12"]);
  });

  it("splits a long digest into messages of at most 50 blocks", async () => {
    const program = await seedProgram(harness, { name: "IR Residency", channelId: "C0DIGEST" });
    for (let index = 0; index < 60; index += 1) await seedResident(harness, program.id, `U0RES${String(index).padStart(3, "0")}`);

    const { ctx, client } = jobContext(harness);
    await runDueJobs(ctx, client, MONDAY_MORNING);

    const posts = postsTo(harness, "C0DIGEST");
    expect(posts).toHaveLength(2);
    expect(posts[0]!.text).toContain("(part 1 of 2)");
    expect(posts[1]!.text).toContain("(part 2 of 2)");
    for (const post of posts) expect(post.blocks.length).toBeLessThanOrEqual(50);
    const mentioned = posts.flatMap((post) => post.json.match(/\*<@U0RES\d{3}>\*/g) ?? []);
    expect(new Set(mentioned).size).toBe(60);
  });

  it("tells the director to invite the bot and still posts other programs", async () => {
    const blocked = await seedProgram(harness, { name: "DR Residency", kind: "dr", channelId: "C0BLOCKED", directorSlackId: DIRECTOR });
    const open = await seedProgram(harness, { name: "IR Residency", channelId: "C0OPEN", directorSlackId: "U0IRPD" });
    harness.fake.respondWith("chat.postMessage", (request, defaultReply) =>
      request.args.channel === "C0BLOCKED" ? { body: { ok: false, error: "not_in_channel" } } : defaultReply(),
    );

    const { ctx, client } = jobContext(harness);
    const report = await runDueJobs(ctx, client, MONDAY_MORNING);
    expect(report[blocked.id]!.digest).toBe("failed");
    expect(report[open.id]!.digest).toBe("done");

    expect(postsTo(harness, "C0OPEN")).toHaveLength(1);
    const notice = postsTo(harness, DIRECTOR);
    expect(notice).toHaveLength(1);
    expect(notice[0]!.text).toContain("/invite @Caselog");
    expect(notice[0]!.text).toContain("<#C0BLOCKED>");
  });

  it("retries a rate-limited post after Retry-After", async () => {
    await seedProgram(harness, { name: "IR Residency", channelId: "C0DIGEST" });
    let attempts = 0;
    harness.fake.respondWith("chat.postMessage", (_request, defaultReply) => {
      attempts += 1;
      return attempts === 1 ? { status: 429, headers: { "Retry-After": "1" }, body: { ok: false, error: "ratelimited" } } : defaultReply();
    });

    const { ctx, client } = jobContext(harness);
    await runDueJobs(ctx, client, MONDAY_MORNING);

    const calls = harness.fake.calls("chat.postMessage");
    expect(calls).toHaveLength(2);
    expect(calls[0]!.status).toBe(429);
    expect(calls[1]!.status).toBe(200);
    expect(calls[1]!.receivedAt - calls[0]!.receivedAt).toBeGreaterThanOrEqual(1000);
    expect(postsTo(harness, "C0DIGEST")).toHaveLength(1);
  });

  it("posts once when two instances run together", async () => {
    const program = await seedProgram(harness, { name: "IR Residency", channelId: "C0DIGEST" });
    await seedStaff(harness, program.id, DIRECTOR);
    const { ctx, client } = jobContext(harness);
    const secondDb = createPrismaClient(`file:${harness.dbFile}`);
    try {
      const secondInstance = { ...ctx, db: secondDb };
      const reports = await Promise.all([runDueJobs(ctx, client, MONDAY_MORNING), runDueJobs(secondInstance, client, MONDAY_MORNING)]);

      const outcomes = reports.map((report) => report[program.id]!.digest).sort();
      expect(outcomes).toEqual(["claimed_elsewhere", "done"]);
      expect(postsTo(harness, "C0DIGEST")).toHaveLength(1);
    } finally {
      await secondDb.$disconnect();
    }
  });

  it("skips digests that are off", async () => {
    const program = await seedProgram(harness, { name: "IR Residency", channelId: "C0DIGEST", digestFrequency: "off" });
    const { ctx, client } = jobContext(harness);
    const report = await runDueJobs(ctx, client, MONDAY_MORNING);
    expect(report[program.id]!.digest).toBe("not_due");
    expect(postsTo(harness, "C0DIGEST")).toHaveLength(0);
  });
});
