import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import type { Logger } from "../logger.js";

/** Dependencies of every service: the database, configuration, a clock and the logger. */
export interface ServiceContext {
  db: Db;
  config: Config;
  logger: Logger;
  now: () => Date;
}
