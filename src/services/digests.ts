import type { Person, Program } from "../generated/prisma/client.js";
import type { Track } from "../rules/counting.js";
import type { ServiceContext } from "./context.js";
import { residentPace, type Pace } from "./pace.js";
import { getProgress } from "./progress.js";
import { listResidents } from "./roster.js";

/**
 * The program digest: counts and pace per resident, never entry details, notes or anything
 * else that could identify a patient.
 */
export interface DigestRow {
  slackUserId: string;
  displayName: string | null;
  track: Track;
  pgy: number;
  encounters: { count: number; target: number | null; all: number };
  /** DR minimums met and in all; zero of zero for independent IR residents. */
  minimumsMet: number;
  minimumsTotal: number;
  pace: Pace | null;
}

export interface Digest {
  programName: string;
  period: string;
  today: string;
  rows: DigestRow[];
}

export async function residentRow(ctx: ServiceContext, resident: Person, today: string): Promise<DigestRow> {
  const progress = await getProgress(ctx, resident);
  const minimums = progress.showsDrCategories ? progress.dr.filter((category) => category.minimum !== null) : [];
  return {
    slackUserId: resident.slackUserId,
    displayName: resident.displayName,
    track: progress.track,
    pgy: resident.pgy ?? 0,
    encounters: progress.encounters,
    minimumsMet: minimums.filter((category) => category.count >= (category.minimum ?? 0)).length,
    minimumsTotal: minimums.length,
    pace: residentPace(resident, progress, today),
  };
}

/** Builds the digest of every active resident in `program` on the program's date `today`. */
export async function buildDigest(ctx: ServiceContext, program: Program, period: string, today: string): Promise<Digest> {
  const residents = await listResidents(ctx, program.id);
  const rows: DigestRow[] = [];
  for (const resident of residents) rows.push(await residentRow(ctx, resident, today));
  return { programName: program.name, period, today, rows };
}

export function behindPace(rows: readonly DigestRow[]): DigestRow[] {
  return rows.filter((row) => row.pace?.status === "behind");
}
