import { pino, type Logger } from "pino";
import { LogLevel, type Logger as BoltLogger } from "@slack/bolt";

export type { Logger };

/** Creates the app's structured logger. Callers log ids, never free text a user typed. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: "caselog" } });
}

const BOLT_LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

/** Adapts a pino logger to the logger interface Bolt and the Web API client expect. */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: "bolt" });
  let level = BOLT_LEVELS[logger.level] ?? LogLevel.INFO;
  const join = (messages: unknown[]) => messages.map((message) => (typeof message === "string" ? message : JSON.stringify(message))).join(" ");
  return {
    // Bolt and the Web API client log whole request bodies at debug level (@slack/web-api 8.2),
    // which would put notes and comments in the log, so their debug lines are dropped.
    debug: () => undefined,
    info: (...messages) => child.info(join(messages)),
    warn: (...messages) => child.warn(join(messages)),
    error: (...messages) => child.error(join(messages)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
