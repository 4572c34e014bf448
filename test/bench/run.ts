/**
 * Benchmarks, run with `npm run bench` (never part of `npm test`).
 *
 * 1. Quick entry: the time from sending a signed `/caselog port yesterday` to the HTTP
 *    acknowledgement and to the confirmation arriving at the response_url, at 1 and at 50
 *    requests in flight, for Caselog (`src/main.ts` on a fresh SQLite file) and for a bare Bolt
 *    app that acknowledges and responds with fixed text. Each app runs in its own process, as
 *    in production; this process plays Slack: it signs requests and serves the Web API and
 *    response URLs on 127.0.0.1.
 * 2. `/caselog progress` for a resident with 5,000 stored encounters, against a resident with 10.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { createPrismaClient, type Db } from "../../src/db/client.js";
import { migrateSqlite } from "../../src/db/migrate.js";
import { CALLBACKS, REGISTRATION_BLOCKS } from "../../src/slack/ids.js";
import { BOT_TOKEN, SIGNING_SECRET, TEAM_ID } from "../support/app-harness.js";
import { startFakeSlack, type FakeSlack } from "../support/fake-slack.js";
import { selectedOption, sendSlashCommand, sendViewSubmission, viewSubmissionPayload } from "../support/signed-request.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SEQUENTIAL_REQUESTS = Number(process.env.BENCH_SEQUENTIAL ?? 200);
const CONCURRENT_REQUESTS = Number(process.env.BENCH_CONCURRENT_TOTAL ?? 500);
const CONCURRENCY = 50;
const WARMUP = 20;

interface Stats {
  p50: number;
  p99: number;
  max: number;
  count: number;
}

interface Sample {
  ack: number;
  reply: number;
}

function percentile(sorted: number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

function summarize(values: number[]): Stats {
  const sorted = [...values].sort((left, right) => left - right);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1]!, count: sorted.length };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface ChildApp {
  baseUrl: string;
  stop(): Promise<void>;
}

/** Starts `script` with tsx in its own process and waits for its "Caselog started" log line. */
async function startChild(script: string, env: Record<string, string>): Promise<ChildApp> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  // A benchmark that fails part-way must not leave the app running.
  process.once("exit", () => child.kill());
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 30 s`)), 30_000);
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Caselog started")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`${script} exited with code ${code}`)));
  });
  child.stdout!.resume();
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Sends one signed slash command; returns the time to the acknowledgement and to the first reply. */
async function roundTrip(fake: FakeSlack, baseUrl: string, userId: string, text: string, label: string): Promise<Sample> {
  const responseUrl = fake.responseUrl(label);
  const arrived = fake.waitFor((record) => record.kind === "response" && record.url === responseUrl, 60_000);
  const started = performance.now();
  const send = () => sendSlashCommand(baseUrl, SIGNING_SECRET, { userId, teamId: TEAM_ID, text, responseUrl, timeoutMs: 60_000 });
  // A kept-alive connection the app closed while idle fails once; Slack would retry too.
  const http = await send().catch(send);
  const ack = performance.now() - started;
  if (http.status !== 200) throw new Error(`HTTP ${http.status} from ${baseUrl}: ${http.body}`);
  await arrived;
  return { ack, reply: performance.now() - started };
}

async function run(total: number, concurrency: number, once: (index: number) => Promise<Sample>): Promise<{ ack: Stats; reply: Stats }> {
  const samples: Sample[] = [];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const index = next++;
      samples.push(await once(index));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ack: summarize(samples.map((sample) => sample.ack)), reply: summarize(samples.map((sample) => sample.reply)) };
}

function row(label: string, stats: Stats): string {
  return `${label.padEnd(40)} n=${String(stats.count).padStart(4)}  p50 ${stats.p50.toFixed(1).padStart(7)} ms  p99 ${stats.p99.toFixed(1).padStart(7)} ms  max ${stats.max.toFixed(1).padStart(7)} ms`;
}

function ratio(label: string, subject: Stats, baseline: Stats): string {
  return `${label.padEnd(40)} p50 x${(subject.p50 / baseline.p50).toFixed(2)}  p99 x${(subject.p99 / baseline.p99).toFixed(2)}`;
}

async function registerOverHttp(fake: FakeSlack, baseUrl: string, userId: string): Promise<void> {
  const responseUrl = fake.responseUrl(`register-${userId}`);
  const arrived = fake.waitFor((record) => record.kind === "response" && record.url === responseUrl, 30_000);
  const values = {
    [REGISTRATION_BLOCKS.track]: { value: { type: "static_select", selected_option: selectedOption("ir_integrated") } },
    [REGISTRATION_BLOCKS.pgy]: { value: { type: "static_select", selected_option: selectedOption("3") } },
    [REGISTRATION_BLOCKS.residencyStart]: { value: { type: "datepicker", selected_date: "2024-07-01" } },
  };
  const http = await sendViewSubmission(
    baseUrl,
    SIGNING_SECRET,
    viewSubmissionPayload({ userId, teamId: TEAM_ID, callbackId: CALLBACKS.registration, privateMetadata: JSON.stringify({ responseUrl }), values: values as never }),
  );
  if (http.status !== 200) throw new Error(`registration of ${userId} failed: HTTP ${http.status}`);
  await arrived;
}

const CATEGORY_OF: Record<string, string | null> = {
  port_placement: "venous_port",
  tips: "tips",
  ptbd: "primary_gi_intervention",
  nephrostomy: "primary_nephrostomy",
  picc: null,
  paracentesis: null,
  tace: "embolization",
  rfa: "tumor_ablation",
};

async function seedEncounters(db: Db, slackUserId: string, count: number): Promise<void> {
  const resident = await db.person.findFirstOrThrow({ where: { slackUserId } });
  const procedures = Object.keys(CATEGORY_OF);
  for (let index = 0; index < count; index++) {
    const day = new Date(Date.UTC(2024, 6, 1) + (index % 880) * 86_400_000).toISOString().slice(0, 10);
    const procedureId = procedures[index % procedures.length]!;
    await db.encounter.create({
      data: {
        residentId: resident.id,
        performedOn: day,
        academicYear: Number(day.slice(0, 4)) - (Number(day.slice(5, 7)) >= 7 ? 0 : 1),
        pgy: 3,
        kind: "procedure",
        role: "first_operator",
        source: "import",
        sourceKey: `bench:${slackUserId}:${index}`,
        procedures: { create: [{ procedureId, category: CATEGORY_OF[procedureId] ?? null, complexity: 1 }] },
      },
    });
  }
}

async function main(): Promise<void> {
  const fake = await startFakeSlack({ validateRequests: false });
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "caselog-bench-"));
  const databaseUrl = `file:${path.join(directory, "caselog.db")}`;
  migrateSqlite(databaseUrl);
  const env = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, DATABASE_URL: databaseUrl };

  const caselog = await startChild("src/main.ts", env);
  const bare = await startChild("test/bench/bare-bolt.ts", env);
  const residents = Array.from({ length: CONCURRENCY }, (_, index) => `U0BENCH${String(index).padStart(3, "0")}`);
  for (const userId of residents) await registerOverHttp(fake, caselog.baseUrl, userId);

  console.log(`Node ${process.version} on ${os.cpus().length} cores; each app in its own process`);
  console.log(`${SEQUENTIAL_REQUESTS} requests one at a time, then ${CONCURRENT_REQUESTS} with ${CONCURRENCY} in flight, per app`);
  console.log("");

  const caselogOnce = (index: number) => roundTrip(fake, caselog.baseUrl, residents[index % residents.length]!, "port yesterday", `c${index}`);
  const bareOnce = (index: number) => roundTrip(fake, bare.baseUrl, residents[index % residents.length]!, "port yesterday", `b${index}`);
  await run(WARMUP, 1, caselogOnce);
  await run(WARMUP, 1, bareOnce);

  // The fake keeps every record, so each phase starts with an empty list to keep look-ups cheap.
  const phases: [string, () => Promise<{ ack: Stats; reply: Stats }>][] = [
    ["bare Bolt, 1 in flight", () => run(SEQUENTIAL_REQUESTS, 1, bareOnce)],
    ["Caselog, 1 in flight", () => run(SEQUENTIAL_REQUESTS, 1, caselogOnce)],
    ["bare Bolt, 50 in flight", () => run(CONCURRENT_REQUESTS, CONCURRENCY, bareOnce)],
    ["Caselog, 50 in flight", () => run(CONCURRENT_REQUESTS, CONCURRENCY, caselogOnce)],
  ];
  const results = new Map<string, { ack: Stats; reply: Stats }>();
  for (const [label, measure] of phases) {
    fake.reset();
    results.set(label, await measure());
  }

  console.log("Quick entry: signed request to confirmation at response_url");
  for (const [label, stats] of results) console.log(row(label, stats.reply));
  console.log(ratio("Caselog / bare Bolt, 1 in flight", results.get("Caselog, 1 in flight")!.reply, results.get("bare Bolt, 1 in flight")!.reply));
  console.log(ratio("Caselog / bare Bolt, 50 in flight", results.get("Caselog, 50 in flight")!.reply, results.get("bare Bolt, 50 in flight")!.reply));
  console.log("");
  console.log("Quick entry: signed request to HTTP acknowledgement (Slack allows 3,000 ms)");
  for (const [label, stats] of results) console.log(row(label, stats.ack));
  console.log("");

  const db = createPrismaClient(databaseUrl);
  const small = "U0BENCHSMALL";
  const large = "U0BENCHLARGE";
  await registerOverHttp(fake, caselog.baseUrl, small);
  await registerOverHttp(fake, caselog.baseUrl, large);
  await seedEncounters(db, small, 10);
  const seeding = performance.now();
  await seedEncounters(db, large, 5000);
  console.log(`Seeded 5,000 encounters in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

  const progressOnce = (userId: string) => (index: number) => roundTrip(fake, caselog.baseUrl, userId, "progress", `p${userId}${index}`);
  await run(WARMUP, 1, progressOnce(large));
  fake.reset();
  const progressSmall = await run(100, 1, progressOnce(small));
  fake.reset();
  const progressLarge = await run(100, 1, progressOnce(large));
  console.log("/caselog progress: signed request to reply at response_url");
  console.log(row("10 encounters", progressSmall.reply));
  console.log(row("5,000 encounters", progressLarge.reply));
  console.log(ratio("5,000 / 10 encounters", progressLarge.reply, progressSmall.reply));

  await db.$disconnect();
  await bare.stop();
  await caselog.stop();
  await fake.close();
  fs.rmSync(directory, { recursive: true, force: true });
}

await main();
