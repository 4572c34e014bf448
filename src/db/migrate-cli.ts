import { loadDatabaseUrl } from "./database-url.js";
import { migrateSqlite } from "./migrate.js";

const { applied } = migrateSqlite(loadDatabaseUrl());
console.log(applied.length > 0 ? `Applied migrations: ${applied.join(", ")}` : "The database is up to date.");
