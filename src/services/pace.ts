import type { Person } from "../generated/prisma/client.js";
import { addDays, parseIsoDate } from "../rules/academic-year.js";
import type { Progress, Track } from "../rules/counting.js";

/**
 * Pace: projects a resident's current volume linearly to the expected graduation date and
 * compares the projection with each target (the encounter total and every DR minimum).
 */

/** Radiology training years per track when no expected graduation date is stored. */
const TRAINING_YEARS: Record<Track, number> = {
  dr: 4,
  esir: 4,
  ir_integrated: 5,
  ir_independent: 2,
};

/** Days of training before a projection is shown, because earlier ones swing widely. A judgment, not an ACGME rule. */
const MIN_ELAPSED_DAYS = 60;

export interface PaceTarget {
  name: string;
  count: number;
  target: number;
}

export interface PaceShortfall extends PaceTarget {
  /** Count projected at the expected graduation date, rounded down. */
  projected: number;
}

export type PaceStatus = "on_pace" | "behind" | "too_early" | "finished";

export interface Pace {
  status: PaceStatus;
  from: string;
  until: string;
  /** Share of the period that has passed, from 0 to 1. */
  elapsed: number;
  shortfalls: PaceShortfall[];
}

function dayNumber(date: string): number {
  const { year, month, day } = parseIsoDate(date);
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

/** Returns the number of calendar days from `from` to `until` (negative when `until` is earlier). */
export function daysBetween(from: string, until: string): number {
  return dayNumber(until) - dayNumber(from);
}

/** Returns the stored expected graduation date, or residency start plus the track's usual length. */
export function expectedGraduation(person: Pick<Person, "expectedGraduation" | "residencyStart" | "track">): string | null {
  if (person.expectedGraduation) return person.expectedGraduation;
  if (!person.residencyStart || !person.track) return null;

  const years = TRAINING_YEARS[person.track as Track] ?? 4;
  const { year, month, day } = parseIsoDate(person.residencyStart);
  const sameDayLater = `${String(year + years).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  return addDays(sameDayLater, -1);
}

/**
 * Projects every target over [from, until] from the counts on `today`. A target is behind
 * when its linear projection falls short of it; targets already met are never behind.
 */
export function projectPace(input: { from: string; until: string; today: string; targets: readonly PaceTarget[] }): Pace {
  const total = daysBetween(input.from, input.until);
  const passed = daysBetween(input.from, input.today);
  const elapsed = total > 0 ? Math.min(Math.max(passed / total, 0), 1) : 1;
  const base = { from: input.from, until: input.until, elapsed, shortfalls: [] as PaceShortfall[] };

  if (input.today >= input.until) return { ...base, status: "finished" };
  if (passed < MIN_ELAPSED_DAYS) return { ...base, status: "too_early" };

  const shortfalls = input.targets
    .filter((target) => target.count < target.target)
    .map((target) => ({ ...target, projected: Math.floor(target.count / elapsed) }))
    .filter((target) => target.projected < target.target);
  return { ...base, status: shortfalls.length > 0 ? "behind" : "on_pace", shortfalls };
}

/** Lists the targets that count toward pace: the track's encounter total and every DR minimum. */
export function paceTargets(progress: Progress): PaceTarget[] {
  const targets: PaceTarget[] = [];
  if (progress.encounters.target !== null) {
    targets.push({ name: "Procedural encounters", count: progress.encounters.count, target: progress.encounters.target });
  }
  if (progress.showsDrCategories) {
    for (const category of progress.dr) {
      if (category.minimum !== null) targets.push({ name: category.name, count: category.count, target: category.minimum });
    }
  }
  return targets;
}

/** Computes a resident's pace; ESIR residents' encounter total runs over their ESIR dates. */
export function residentPace(person: Person, progress: Progress, today: string): Pace | null {
  const graduation = expectedGraduation(person);
  if (!person.residencyStart || !graduation) return null;

  const targets = paceTargets(progress);
  if (progress.track !== "esir" || !person.esirStart) {
    return projectPace({ from: person.residencyStart, until: graduation, today, targets });
  }

  // ESIR: the 500 encounters are projected over the ESIR window, the DR minimums over residency.
  const encounters = targets.filter((target) => target.name === "Procedural encounters");
  const others = targets.filter((target) => target.name !== "Procedural encounters");
  const residency = projectPace({ from: person.residencyStart, until: graduation, today, targets: others });
  const esir = projectPace({ from: person.esirStart, until: person.esirEnd ?? graduation, today, targets: encounters });
  const shortfalls = [...esir.shortfalls, ...residency.shortfalls];
  return { ...residency, status: shortfalls.length > 0 ? "behind" : residency.status, shortfalls };
}
