import { configSchema } from "../config.js";
import { createPrismaClient } from "../db/client.js";
import { loadDatabaseUrl } from "../db/database-url.js";
import { migrateSqlite } from "../db/migrate.js";
import { pino } from "pino";
import type { ServiceContext } from "../services/context.js";
import { runCli } from "./run.js";

/** Entry point of `npm run caselog`: opens the database named by DATABASE_URL and runs one command. */
async function main(): Promise<number> {
  const databaseUrl = loadDatabaseUrl();
  // The tool never calls Slack, so the Slack credentials the app requires may be absent here.
  const config = configSchema.parse({
    ...process.env,
    DATABASE_URL: databaseUrl,
    SLACK_BOT_TOKEN: process.env.SLACK_BOT_TOKEN || "xoxb-not-used-by-the-cli",
    SLACK_SIGNING_SECRET: process.env.SLACK_SIGNING_SECRET || "00000000000000000000000000000000",
    SLACK_APP_TOKEN: undefined,
  });
  migrateSqlite(databaseUrl);

  const db = createPrismaClient(databaseUrl);
  // Logs go to stderr, so CSV written to stdout stays clean.
  const ctx: ServiceContext = { db, config, logger: pino({ level: process.env.LOG_LEVEL ?? "warn", base: { app: "caselog-cli" } }, pino.destination(2)), now: () => new Date() };
  try {
    return await runCli(ctx, process.argv.slice(2), {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      cwd: process.cwd(),
    });
  } finally {
    await db.$disconnect();
  }
}

process.exitCode = await main();
