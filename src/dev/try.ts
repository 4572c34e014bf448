import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../config.js";
import { createPrismaClient } from "../db/client.js";
import { migrateSqlite } from "../db/migrate.js";
import { createLogger } from "../logger.js";
import { startCaselogApp } from "../slack/app.js";
import { startFakeSlack } from "./fake-slack.js";
import { TRY_HELP, TrySession, type TryUser } from "./try-session.js";

/**
 * `npm run try`: the real Caselog app on its HTTP receiver, with its Web API pointed at the fake
 * Slack on 127.0.0.1, and a prompt that sends signed slash commands, button presses and modal
 * submissions exactly as Slack does. Reads commands from the terminal, or from standard input
 * when it is not a terminal, so a transcript can be piped in.
 */

const TEAM_ID = "T0TRYCASELOG";

const USERS: TryUser[] = [
  { id: "U0RESIDENT", name: "Riley Resident", handle: "resident" },
  { id: "U0SENIOR", name: "Sam Senior", handle: "senior" },
  { id: "U0ATTEND", name: "Alex Attending", handle: "attending" },
  { id: "U0DIRECTOR", name: "Dana Director", handle: "director" },
  { id: "U0COORD", name: "Casey Coordinator", handle: "coordinator" },
];

const USAGE = `Usage: npm run try -- [--db FILE] [--files DIR] [--as NAME]
  --db FILE     SQLite file to use and keep; default: a new empty database, deleted at the end
  --files DIR   where files the app uploads (PDF, CSV) are saved; default: ./data/try-files
  --as NAME     the user to start as: ${USERS.map((user) => user.handle).join(", ")}; default: resident`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { db: { type: "string" }, files: { type: "string" }, as: { type: "string" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }

  const temporary = values.db ? null : fs.mkdtempSync(path.join(os.tmpdir(), "caselog-try-"));
  const databaseUrl = `file:${values.db ? path.resolve(values.db) : path.join(temporary!, "caselog.db")}`;
  const signingSecret = crypto.randomBytes(16).toString("hex");
  const fake = await startFakeSlack({ botToken: "xoxb-caselog-try" });
  for (const user of USERS) fake.setUser(user.id, { realName: user.name, displayName: user.handle, tz: "America/Chicago" });

  let config;
  try {
    config = loadConfig({
      ...process.env,
      SLACK_BOT_TOKEN: "xoxb-caselog-try",
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_APP_TOKEN: "",
      SLACK_API_URL: fake.apiUrl,
      PORT: "0",
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
      CASELOG_PROGRAM_DIRECTORS: "U0DIRECTOR",
      CASELOG_COORDINATORS: "U0COORD",
      CASELOG_DEFAULT_TIME_ZONE: "America/Chicago",
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const line of error.lines) console.error(line);
    await fake.close();
    return 1;
  }

  migrateSqlite(databaseUrl);
  const db = createPrismaClient(databaseUrl);
  const running = await startCaselogApp({ config, db, logger: createLogger(config.LOG_LEVEL) });
  const appUrl = `http://127.0.0.1:${running.port}`;

  const session = new TrySession({
    fake,
    appUrl,
    signingSecret,
    teamId: TEAM_ID,
    users: USERS,
    filesDir: path.resolve(values.files ?? "data/try-files"),
    print: (text) => console.log(text),
  });
  if (values.as) await session.run(`as ${values.as}`);

  console.log(`Caselog is running at ${appUrl} against a fake Slack at ${fake.baseUrl} (database ${databaseUrl}).`);
  console.log(TRY_HELP);
  await session.settle(200, 2000);

  const interactive = process.stdin.isTTY === true;
  const lines = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: interactive });
  const prompt = () => {
    if (interactive) {
      lines.setPrompt(`${session.user.handle}> `);
      lines.prompt();
    }
  };

  try {
    prompt();
    for await (const line of lines) {
      if (!interactive && line.trim()) console.log(`\n${session.user.handle}> ${line}`);
      if ((await session.run(line)) === "quit") break;
      prompt();
    }
  } finally {
    lines.close();
    await running.stop();
    await db.$disconnect();
    await fake.close();
    if (temporary) fs.rmSync(temporary, { recursive: true, force: true });
  }
  return 0;
}

process.exitCode = await main();
