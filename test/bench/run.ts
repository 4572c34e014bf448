/**
 * Benchmarks, run with `npm run bench` (never part of `npm test`).
 *
 * 1. Quick entry: the time from sending a signed `/caselog port yesterday` to the confirmation
 *    arriving at the response_url, at 1 and at 50 requests in flight, for Caselog and for a
 *    bare Bolt app that acknowledges and responds with fixed text. Both run in this process,
 *    against the same fake Slack on 127.0.0.1, so the ratio is what Caselog's own work costs.
 * 2. `/caselog progress` for a resident with 5,000 stored encounters, against a resident with 10.
 */
import { performance } from "node:perf_hooks";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, LogLevel } from "@slack/bolt";
import { BOT_TOKEN, SIGNING_SECRET, TEAM_ID, registerResident, startHarness, type Harness } from "../support/app-harness.js";
import type { FakeSlack } from "../support/fake-slack.js";
import { sendSlashCommand } from "../support/signed-request.js";

const SEQUENTIAL_REQUESTS = Number(process.env.BENCH_SEQUENTIAL ?? 200);
const CONCURRENT_REQUESTS = Number(process.env.BENCH_CONCURRENT_TOTAL ?? 500);
const CONCURRENCY = 50;
const WARMUP = 20;

interface Stats {
  p50: number;
  p99: number;
  count: number;
}

function percentile(sorted: number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

function summarize(samples: number[]): Stats {
  const sorted = [...samples].sort((left, right) => left - right);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), count: sorted.length };
}

/** Sends one signed slash command and resolves when its first reply reaches the response_url. */
async function roundTrip(fake: FakeSlack, baseUrl: string, userId: string, text: string, label: string): Promise<number> {
  const responseUrl = fake.responseUrl(label);
  const arrived = fake.waitFor((record) => record.kind === "response" && record.url === responseUrl, 30_000);
  const started = performance.now();
  const http = await sendSlashCommand(baseUrl, SIGNING_SECRET, { userId, teamId: TEAM_ID, text, responseUrl });
  if (http.status !== 200) throw new Error(`HTTP ${http.status} from ${baseUrl}: ${http.body}`);
  await arrived;
  return performance.now() - started;
}

async function run(total: number, concurrency: number, once: (index: number) => Promise<number>): Promise<Stats> {
  const samples: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const index = next++;
      samples.push(await once(index));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return summarize(samples);
}

async function startBareBolt(fake: FakeSlack): Promise<{ baseUrl: string; stop: () => Promise<void> }> {
  const app = new App({
    token: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    tokenVerificationEnabled: false,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: fake.apiUrl },
  });
  app.command("/caselog", async ({ ack, respond }) => {
    await ack();
    await respond({ response_type: "ephemeral", text: "Logged." });
  });
  const server = (await app.start(0)) as Server;
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stop: () => app.stop() };
}

function row(label: string, stats: Stats): string {
  return `${label.padEnd(34)} n=${String(stats.count).padStart(4)}  p50 ${stats.p50.toFixed(2).padStart(7)} ms  p99 ${stats.p99.toFixed(2).padStart(7)} ms`;
}

function ratio(label: string, subject: Stats, baseline: Stats): string {
  return `${label.padEnd(34)} p50 x${(subject.p50 / baseline.p50).toFixed(2)}  p99 x${(subject.p99 / baseline.p99).toFixed(2)}`;
}

async function seedEncounters(harness: Harness, slackUserId: string, count: number): Promise<void> {
  const resident = await harness.db.person.findFirstOrThrow({ where: { slackUserId } });
  const procedures = ["port_placement", "tips", "ptbd", "nephrostomy", "picc", "paracentesis", "tace", "rfa"];
  const categories: Record<string, string | null> = {
    port_placement: "venous_port",
    tips: "tips",
    ptbd: "primary_gi_intervention",
    nephrostomy: "primary_nephrostomy",
    picc: null,
    paracentesis: null,
    tace: "embolization",
    rfa: "tumor_ablation",
  };
  for (let index = 0; index < count; index++) {
    const day = new Date(Date.UTC(2024, 6, 1) + (index % 880) * 86_400_000).toISOString().slice(0, 10);
    const procedureId = procedures[index % procedures.length]!;
    await harness.db.encounter.create({
      data: {
        residentId: resident.id,
        performedOn: day,
        academicYear: Number(day.slice(0, 4)) - (Number(day.slice(5, 7)) >= 7 ? 0 : 1),
        pgy: 3,
        kind: "procedure",
        role: "first_operator",
        source: "import",
        sourceKey: `bench:${slackUserId}:${index}`,
        procedures: { create: [{ procedureId, category: categories[procedureId], complexity: 1 }] },
      },
    });
  }
}

async function main(): Promise<void> {
  const harness = await startHarness({ now: "2026-12-04T16:00:00Z" });
  const bare = await startBareBolt(harness.fake);
  const residents = Array.from({ length: CONCURRENCY }, (_, index) => `U0BENCH${String(index).padStart(3, "0")}`);
  for (const userId of residents) await registerResident(harness, userId, { track: "ir_integrated", pgy: 3 });

  console.log(`Node ${process.version}, ${SEQUENTIAL_REQUESTS} sequential and ${CONCURRENT_REQUESTS} concurrent requests per app`);
  console.log("");

  const caselogOnce = (index: number) => roundTrip(harness.fake, harness.baseUrl, residents[index % residents.length]!, "port yesterday", `c${index}`);
  const bareOnce = (index: number) => roundTrip(harness.fake, bare.baseUrl, residents[index % residents.length]!, "port yesterday", `b${index}`);

  await run(WARMUP, 1, caselogOnce);
  await run(WARMUP, 1, bareOnce);

  const bareSequential = await run(SEQUENTIAL_REQUESTS, 1, bareOnce);
  const caselogSequential = await run(SEQUENTIAL_REQUESTS, 1, caselogOnce);
  const bareConcurrent = await run(CONCURRENT_REQUESTS, CONCURRENCY, bareOnce);
  const caselogConcurrent = await run(CONCURRENT_REQUESTS, CONCURRENCY, caselogOnce);

  console.log("Quick entry: signed request to confirmation at response_url");
  console.log(row("bare Bolt, 1 in flight", bareSequential));
  console.log(row("Caselog, 1 in flight", caselogSequential));
  console.log(ratio("Caselog / bare Bolt, 1 in flight", caselogSequential, bareSequential));
  console.log(row("bare Bolt, 50 in flight", bareConcurrent));
  console.log(row("Caselog, 50 in flight", caselogConcurrent));
  console.log(ratio("Caselog / bare Bolt, 50 in flight", caselogConcurrent, bareConcurrent));
  console.log("");

  const small = "U0BENCHSMALL";
  const large = "U0BENCHLARGE";
  await registerResident(harness, small, { track: "ir_integrated", pgy: 3 });
  await registerResident(harness, large, { track: "ir_integrated", pgy: 3 });
  await seedEncounters(harness, small, 10);
  const seeding = performance.now();
  await seedEncounters(harness, large, 5000);
  console.log(`Seeded 5,000 encounters in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

  const progressOnce = (userId: string) => (index: number) => roundTrip(harness.fake, harness.baseUrl, userId, "progress", `p${userId}${index}`);
  await run(WARMUP, 1, progressOnce(large));
  const progressSmall = await run(100, 1, progressOnce(small));
  const progressLarge = await run(100, 1, progressOnce(large));
  console.log("/caselog progress: signed request to reply at response_url");
  console.log(row("10 encounters", progressSmall));
  console.log(row("5,000 encounters", progressLarge));
  console.log(ratio("5,000 / 10 encounters", progressLarge, progressSmall));

  await bare.stop();
  await harness.stop();
}

await main();
