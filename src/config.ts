import { z } from "zod";
import { isValidTimeZone } from "./rules/academic-year.js";

/**
 * All configuration, read from the environment once at start. A missing or malformed value
 * stops the app with one line per variable that names it and tells where to get it.
 */

const slackUserIdList = z
  .string()
  .default("")
  .transform((value) => value.split(/[\s,]+/).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, "must be Slack member IDs such as U012ABCDEF, separated by commas")));

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

export const configSchema = z.object({
  SLACK_BOT_TOKEN: z
    .string({ error: "is missing" })
    .regex(/^xoxb-/, "must be a bot token starting with xoxb-"),
  SLACK_SIGNING_SECRET: z.string({ error: "is missing" }).regex(/^[0-9a-f]{16,}$/i, "must be the hexadecimal signing secret"),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, "must be an app-level token starting with xapp-")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  SLACK_API_URL: z
    .url({ error: "must be a URL such as https://slack.com/api/" })
    .optional()
    .or(z.literal("").transform(() => undefined)),
  PORT: z.coerce.number({ error: "must be a port number" }).int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .default("file:./data/caselog.db")
    .refine((value) => value.startsWith("file:"), "must be a SQLite URL such as file:./data/caselog.db"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  CASELOG_PROGRAM_NAME: z.string().trim().min(1).max(120).default("Radiology Residency"),
  CASELOG_PROGRAM_KIND: z.enum(["dr", "ir"], { error: 'must be "dr" or "ir"' }).default("dr"),
  CASELOG_ACGME_PROGRAM_NUMBER: optionalText.pipe(z.string().regex(/^\d{7,10}$/, "must be the ACGME program number (digits only)").optional()),
  CASELOG_PROGRAM_DIRECTORS: slackUserIdList,
  CASELOG_COORDINATORS: slackUserIdList,
  CASELOG_DEFAULT_TIME_ZONE: z
    .string()
    .default("America/New_York")
    .refine(isValidTimeZone, "must be an IANA time zone such as America/Chicago"),
  // "off" stops this process from running digests, reviews and nudges on its own schedule.
  CASELOG_SCHEDULER: z.enum(["on", "off"], { error: 'must be "on" or "off"' }).default("on"),
});

export type Config = z.infer<typeof configSchema>;

const HOW_TO_OBTAIN: Record<string, string> = {
  SLACK_BOT_TOKEN: "copy the Bot User OAuth Token from the app's OAuth & Permissions page at api.slack.com/apps",
  SLACK_SIGNING_SECRET: "copy the Signing Secret from the app's Basic Information page at api.slack.com/apps",
  SLACK_APP_TOKEN: "create an app-level token with the connections:write scope on the app's Basic Information page, or leave it unset to use HTTP",
  SLACK_API_URL: "leave it unset to use https://slack.com/api/",
  DATABASE_URL: "leave it unset to use file:./data/caselog.db",
  CASELOG_PROGRAM_DIRECTORS: "copy each member ID from the person's Slack profile (More, then Copy member ID)",
  CASELOG_COORDINATORS: "copy each member ID from the person's Slack profile (More, then Copy member ID)",
};

export class ConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(`Invalid configuration:\n${lines.join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Reads and validates the configuration; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;

  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "configuration");
    const hint = HOW_TO_OBTAIN[name];
    return `${name} ${issue.message}${hint ? `: ${hint}.` : "."}`;
  });
  throw new ConfigError(lines);
}
