export const DEFAULT_DATABASE_URL = "file:./data/caselog.db";

export function loadDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
}
