import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../../src/config.js";
import { createPrismaClient, type Db } from "../../src/db/client.js";
import { migrateSqlite } from "../../src/db/migrate.js";
import { createLogger } from "../../src/logger.js";
import { startCaselogApp, type RunningApp } from "../../src/slack/app.js";
import { REGISTRATION_BLOCKS } from "../../src/slack/ids.js";
import { startFakeSlack, type FakeSlack, type RecordedCall, type RecordedResponse } from "./fake-slack.js";
import {
  sendSlashCommand,
  sendViewSubmission,
  selectedOption,
  viewSubmissionPayload,
  type SignedRequestOptions,
  type SlackHttpResponse,
} from "./signed-request.js";

export const SIGNING_SECRET = "5c1a7e0123456789abcdef0123456789";
export const BOT_TOKEN = "xoxb-caselog-test";
export const TEAM_ID = "T0CASELOG";

/**
 * Starts the real Caselog app on its HTTP receiver, on a fresh SQLite file, with its Web API
 * pointed at a fake Slack on 127.0.0.1. The clock is controllable through `setNow`.
 */
export interface Harness {
  fake: FakeSlack;
  running: RunningApp;
  db: Db;
  baseUrl: string;
  dbFile: string;
  setNow(at: Date | string): void;
  slash(userId: string, text: string, options?: SignedRequestOptions & { triggerId?: string; responseUrl?: string }): Promise<{ http: SlackHttpResponse; responseUrl: string }>;
  /** Waits for the next post to a response URL and returns its JSON body. */
  reply(responseUrl: string, index?: number, timeoutMs?: number): Promise<Record<string, unknown>>;
  waitForCall(method: string, index?: number): Promise<RecordedCall>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  now?: string;
  env?: Record<string, string>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeSlack();
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "caselog-e2e-"));
  const dbFile = path.join(directory, "caselog.db");
  const databaseUrl = `file:${dbFile}`;
  migrateSqlite(databaseUrl);

  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: "0",
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "silent",
    // Tests drive jobs directly with their own clock; an hourly tick must not fire mid-test.
    CASELOG_SCHEDULER: "off",
    ...options.env,
  });
  let now = new Date(options.now ?? "2026-12-04T15:00:00Z");
  const db = createPrismaClient(databaseUrl);
  const running = await startCaselogApp({ config, db, logger: createLogger("silent"), now: () => now });
  const baseUrl = `http://127.0.0.1:${running.port}`;

  let responseCounter = 0;
  const harness: Harness = {
    fake,
    running,
    db,
    baseUrl,
    dbFile,
    setNow(at) {
      now = new Date(at);
    },
    async slash(userId, text, extra = {}) {
      const responseUrl = extra.responseUrl ?? fake.responseUrl(`cmd-${++responseCounter}`);
      const http = await sendSlashCommand(baseUrl, SIGNING_SECRET, { userId, teamId: TEAM_ID, text, responseUrl, ...extra });
      return { http, responseUrl };
    },
    async reply(responseUrl, index = 0, timeoutMs = 5000) {
      const matches = () => fake.responses(responseUrl);
      const deadline = Date.now() + timeoutMs;
      while (matches().length <= index) {
        if (Date.now() > deadline) throw new Error(`No post #${index + 1} to ${responseUrl} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return matches()[index]!.body as Record<string, unknown>;
    },
    async waitForCall(method, index = 0) {
      const deadline = Date.now() + 5000;
      while (fake.calls(method).length <= index) {
        if (Date.now() > deadline) throw new Error(`No call #${index + 1} to ${method} within 5000 ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return fake.calls(method)[index]!;
    },
    async stop() {
      await running.stop();
      await db.$disconnect();
      await fake.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
  return harness;
}

export interface ResidentSetup {
  track?: string;
  pgy?: number;
  residencyStart?: string;
  esirStart?: string;
  esirEnd?: string;
}

/** Registers a resident through the real registration modal submission. */
export async function registerResident(harness: Harness, userId: string, setup: ResidentSetup = {}): Promise<void> {
  const values: Record<string, Record<string, Record<string, unknown>>> = {
    [REGISTRATION_BLOCKS.track]: { value: { type: "static_select", selected_option: selectedOption(setup.track ?? "ir_integrated") } },
    [REGISTRATION_BLOCKS.pgy]: { value: { type: "static_select", selected_option: selectedOption(String(setup.pgy ?? 3)) } },
    // By default residency started in the July that makes today's PGY consistent (PGY-1 in 2026-2027).
    [REGISTRATION_BLOCKS.residencyStart]: { value: { type: "datepicker", selected_date: setup.residencyStart ?? `${2026 - ((setup.pgy ?? 3) - 1)}-07-01` } },
    [REGISTRATION_BLOCKS.esirStart]: { value: { type: "datepicker", selected_date: setup.esirStart ?? null } },
    [REGISTRATION_BLOCKS.esirEnd]: { value: { type: "datepicker", selected_date: setup.esirEnd ?? null } },
  };
  const responseUrl = harness.fake.responseUrl(`register-${userId}`);
  const http = await sendViewSubmission(
    harness.baseUrl,
    SIGNING_SECRET,
    viewSubmissionPayload({
      userId,
      teamId: TEAM_ID,
      callbackId: "registration_modal",
      privateMetadata: JSON.stringify({ responseUrl }),
      values: values as never,
    }),
  );
  if (http.status !== 200) throw new Error(`registration failed with HTTP ${http.status}: ${http.body}`);
  await harness.reply(responseUrl);
}

export function responseText(body: Record<string, unknown>): string {
  const blocks = JSON.stringify(body.blocks ?? []);
  return `${String(body.text ?? "")}\n${blocks}`;
}

export type { RecordedResponse };
