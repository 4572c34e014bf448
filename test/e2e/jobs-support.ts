import type { WebClient } from "@slack/web-api";
import type { Program } from "../../src/generated/prisma/client.js";
import type { ServiceContext } from "../../src/services/context.js";
import { TEAM_ID, startHarness, type Harness } from "../support/app-harness.js";

/** Helpers shared by the digest, review, nudge, Home and jobs tests. */

export const DIRECTOR = "U0DIRECTOR";

/** Starts the app with its own scheduler off, so tests drive jobs with an explicit clock. */
export function startJobsHarness(now = "2026-12-04T15:00:00Z"): Promise<Harness> {
  return startHarness({ now, env: { CASELOG_SCHEDULER: "off", CASELOG_PROGRAM_DIRECTORS: DIRECTOR } });
}

export function jobContext(harness: Harness): { ctx: ServiceContext; client: WebClient } {
  return { ctx: harness.running.deps.ctx, client: harness.running.app.client as unknown as WebClient };
}

export async function seedProgram(harness: Harness, fields: Partial<Program> & { name: string }): Promise<Program> {
  return harness.db.program.create({
    data: {
      slackTeamId: TEAM_ID,
      kind: "ir",
      timeZone: "America/New_York",
      digestFrequency: "weekly",
      ...fields,
    },
  });
}

export async function seedStaff(harness: Harness, programId: number, slackUserId: string, role = "program_director") {
  return harness.db.person.create({ data: { programId, slackTeamId: TEAM_ID, slackUserId, role } });
}

export interface ResidentFields {
  track?: string;
  pgy?: number;
  residencyStart?: string;
  expectedGraduation?: string | null;
  timeZone?: string | null;
  nudgesPausedUntil?: string | null;
  createdAt?: Date;
}

export async function seedResident(harness: Harness, programId: number, slackUserId: string, fields: ResidentFields = {}) {
  return harness.db.person.create({
    data: {
      programId,
      slackTeamId: TEAM_ID,
      slackUserId,
      role: "resident",
      track: fields.track ?? "ir_integrated",
      pgy: fields.pgy ?? 3,
      residencyStart: fields.residencyStart ?? "2024-07-01",
      expectedGraduation: fields.expectedGraduation ?? null,
      timeZone: fields.timeZone ?? null,
      nudgesPausedUntil: fields.nudgesPausedUntil ?? null,
      ...(fields.createdAt ? { createdAt: fields.createdAt } : {}),
    },
  });
}

let sourceCounter = 0;

/** Stores encounters straight in the database: one venous port each, on the given dates. */
export async function seedEncounters(
  harness: Harness,
  residentId: number,
  dates: readonly string[],
  extra: { notes?: string; verification?: string; createdAt?: Date } = {},
): Promise<void> {
  for (const performedOn of dates) {
    sourceCounter += 1;
    await harness.db.encounter.create({
      data: {
        residentId,
        performedOn,
        academicYear: Number(performedOn.slice(0, 4)) - (Number(performedOn.slice(5, 7)) >= 7 ? 0 : 1),
        pgy: 3,
        kind: "procedure",
        role: "first_operator",
        source: "import",
        sourceKey: `seed:${sourceCounter}:${Math.random()}`,
        notes: extra.notes ?? null,
        verification: extra.verification ?? "not_required",
        ...(extra.createdAt ? { createdAt: extra.createdAt } : {}),
        procedures: { create: [{ procedureId: "port_placement", category: "venous_port", complexity: 1 }] },
      },
    });
  }
}

/** Returns `count` consecutive dates starting at `from`. */
export function dateRange(from: string, count: number): string[] {
  const start = new Date(`${from}T00:00:00Z`).getTime();
  return Array.from({ length: count }, (_, index) => new Date(start + index * 86_400_000).toISOString().slice(0, 10));
}

/** Texts of every chat.postMessage sent to `channel`, with their blocks. */
export function postsTo(harness: Harness, channel: string): { text: string; blocks: unknown[]; json: string; receivedAt: number }[] {
  return harness.fake
    .calls("chat.postMessage")
    .filter((call) => call.args.channel === channel && call.status === 200 && (call.reply as { ok?: boolean }).ok)
    .map((call) => ({
      text: String(call.args.text ?? ""),
      blocks: (call.args.blocks as unknown[]) ?? [],
      json: JSON.stringify(call.args),
      receivedAt: call.receivedAt,
    }));
}
