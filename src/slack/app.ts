import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App } from "@slack/bolt";
import { WebClient } from "@slack/web-api";
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import { boltLogger, type Logger } from "../logger.js";
import type { ServiceContext } from "../services/context.js";
import { startScheduler } from "../jobs/scheduler.js";
import { registerProgramFeatures } from "./admin/register.js";
import { chooseProcedureButton, editButton, openFormButton, registerButton, undoButton } from "./actions/encounter-buttons.js";
import { caselogCommand } from "./commands/caselog.js";
import { registerCoCredit } from "./co-credit/register.js";
import { SubcommandRegistry } from "./commands/subcommands.js";
import { TimeZoneCache, type SlackDeps } from "./context.js";
import { ACTIONS, CALLBACKS } from "./ids.js";
import { SignedValues } from "./signed-value.js";
import { WorkQueue } from "./work-queue.js";
import { entrySubmission } from "./submissions/entry.js";
import { registrationSubmission } from "./submissions/registration.js";
import { registerReports } from "./reports/register.js";

type BoltApp = App;

export interface CaselogAppOptions {
  config: Config;
  db: Db;
  logger: Logger;
  now?: () => Date;
}

export interface RunningApp {
  app: BoltApp;
  deps: SlackDeps;
  /** The HTTP port, or null in Socket Mode. */
  port: number | null;
  stop(): Promise<void>;
}

/** Registers every listener, grouped by Slack surface. Listeners stay thin: parse, call, render. */
export function registerListeners(app: BoltApp, deps: SlackDeps): void {
  app.command("/caselog", caselogCommand(deps));

  app.action(ACTIONS.undo, undoButton(deps));
  app.action(ACTIONS.edit, editButton(deps));
  app.action(ACTIONS.chooseProcedure, chooseProcedureButton(deps));
  app.action(ACTIONS.openForm, openFormButton(deps));
  app.action(ACTIONS.register, registerButton(deps));

  app.view(CALLBACKS.entry, entrySubmission(deps));
  app.view(CALLBACKS.registration, registrationSubmission(deps));
  registerProgramFeatures(app, deps);
  registerCoCredit(app, deps);
  registerReports(app, deps);

  app.error(async (error) => {
    deps.ctx.logger.error({ err: error, code: (error as { code?: string }).code }, "unhandled error in a listener");
  });
}

/**
 * Builds the Bolt app: Socket Mode when SLACK_APP_TOKEN is set, otherwise the HTTP receiver at
 * POST /slack/events. The Web API client goes to SLACK_API_URL when set, and retries a failed
 * call at most twice with waits of 0.5 to 3 s. A 429 still waits the Retry-After that Slack
 * sends before each of those retries (@slack/web-api 8.2).
 */
export function createCaselogApp(options: CaselogAppOptions, identity: BotIdentity = {}): { app: BoltApp; deps: SlackDeps } {
  const { config, logger } = options;
  const ctx: ServiceContext = { db: options.db, config, logger, now: options.now ?? (() => new Date()) };
  const deps: SlackDeps = {
    ctx,
    signed: new SignedValues(config.SLACK_SIGNING_SECRET),
    timeZones: new TimeZoneCache(config.CASELOG_DEFAULT_TIME_ZONE),
    subcommands: new SubcommandRegistry(),
    work: new WorkQueue(4),
  };

  const socketMode = Boolean(config.SLACK_APP_TOKEN);
  const app = new App({
    token: config.SLACK_BOT_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET,
    logger: boltLogger(logger),
    // The token was checked by verifyBotToken; Bolt's own check would crash the process on failure.
    tokenVerificationEnabled: false,
    ...(identity.botId ? { botId: identity.botId } : {}),
    ...(identity.botUserId ? { botUserId: identity.botUserId } : {}),
    ...(socketMode ? { socketMode: true, appToken: config.SLACK_APP_TOKEN } : { endpoints: "/slack/events" }),
    clientOptions: {
      ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
      retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 3000 },
    },
  });

  registerListeners(app, deps);
  return { app, deps };
}

export interface BotIdentity {
  botId?: string;
  botUserId?: string;
}

export class SlackConnectionError extends Error {}

/** Calls auth.test once at start, turning a bad token or an unreachable API into one clear line. */
export async function verifyBotToken(config: Config, logger: Logger): Promise<BotIdentity> {
  const client = new WebClient(config.SLACK_BOT_TOKEN, {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    retryConfig: { retries: 1 },
    logger: boltLogger(logger),
  });
  const apiUrl = config.SLACK_API_URL ?? "https://slack.com/api/";
  try {
    const result = await client.auth.test();
    return { botId: result.bot_id, botUserId: result.user_id };
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code) throw new SlackConnectionError(`SLACK_BOT_TOKEN was rejected by Slack (${code}): copy the Bot User OAuth Token again from the app's OAuth & Permissions page.`);
    throw new SlackConnectionError(`Could not reach the Slack Web API at ${apiUrl} (${(error as Error).message}). Check the network, or SLACK_API_URL if it is set.`);
  }
}

/** Creates and starts the app; in HTTP mode `config.PORT` 0 picks a free port. */
export async function startCaselogApp(options: CaselogAppOptions): Promise<RunningApp> {
  const identity = await verifyBotToken(options.config, options.logger);
  const { app, deps } = createCaselogApp(options, identity);
  const started = (await app.start(options.config.PORT)) as unknown;

  let port: number | null = null;
  if (!options.config.SLACK_APP_TOKEN) {
    const address = (started as Server).address() as AddressInfo | null;
    port = address?.port ?? options.config.PORT;
  }
  options.logger.info({ port, socketMode: port === null }, "Caselog started");
  const scheduler = options.config.CASELOG_SCHEDULER === "on" ? await startScheduler(deps.ctx, app.client) : null;

  return {
    app,
    deps,
    port,
    async stop() {
      await scheduler?.stop();
      await app.stop();
      options.logger.info("Caselog stopped");
    },
  };
}
