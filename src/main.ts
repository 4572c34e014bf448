import { ConfigError, loadConfig } from "./config.js";
import { createPrismaClient } from "./db/client.js";
import { migrateSqlite } from "./db/migrate.js";
import { createLogger } from "./logger.js";
import { SlackConnectionError, startCaselogApp } from "./slack/app.js";

/** Entry point: read configuration, migrate the database, serve Slack until a stop signal. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const line of error.lines) console.error(line);
    process.exit(1);
  }

  const logger = createLogger(config.LOG_LEVEL);
  const { applied } = migrateSqlite(config.DATABASE_URL);
  if (applied.length > 0) logger.info({ applied }, "database migrated");

  const db = createPrismaClient(config.DATABASE_URL);
  let running;
  try {
    running = await startCaselogApp({ config, db, logger });
  } catch (error) {
    if (!(error instanceof SlackConnectionError)) throw error;
    console.error(error.message);
    await db.$disconnect();
    process.exit(1);
  }

  const shutdown = async (signal: string) => {
    logger.info({ signal }, "stopping");
    await running.stop();
    await db.$disconnect();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

await main();
