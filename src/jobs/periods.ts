import { dateInTimeZone, parseIsoDate } from "../rules/academic-year.js";

/**
 * Calendar arithmetic for schedules. Every job run belongs to one period written as a string
 * ("2026-W49", "2026-12", "2026-12-04"), and a job is due once its period's start time has
 * passed in the program's or resident's own time zone.
 */

/** Hour of the local day (0-23) from which a period's run is due. */
export const RUN_HOUR = 8;

export interface LocalTime {
  /** Calendar date, "YYYY-MM-DD". */
  date: string;
  /** ISO weekday: 1 is Monday, 7 is Sunday. */
  weekday: number;
  hour: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Returns the local date, ISO weekday and hour at the instant `at` in `timeZone`. */
export function localTime(at: Date, timeZone: string): LocalTime {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "numeric", hourCycle: "h23" }).formatToParts(at);
  const weekday = WEEKDAYS[parts.find((part) => part.type === "weekday")?.value ?? ""] ?? 1;
  const hour = Number(parts.find((part) => part.type === "hour")?.value ?? 0);
  return { date: dateInTimeZone(at, timeZone), weekday, hour };
}

/** Returns the ISO 8601 week of a date, such as "2026-W49". */
export function isoWeek(date: string): string {
  const { year, month, day } = parseIsoDate(date);
  const utc = new Date(Date.UTC(year, month - 1, day));
  const weekday = utc.getUTCDay() === 0 ? 7 : utc.getUTCDay();
  // The ISO week belongs to the year of its Thursday.
  utc.setUTCDate(utc.getUTCDate() + 4 - weekday);
  const weekYear = utc.getUTCFullYear();
  const firstDay = Date.UTC(weekYear, 0, 1);
  const week = Math.ceil(((utc.getTime() - firstDay) / 86_400_000 + 1) / 7);
  return `${weekYear}-W${String(week).padStart(2, "0")}`;
}

export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** Returns the current weekly period, or null before Monday at RUN_HOUR. */
export function weeklyPeriod(local: LocalTime): string | null {
  if (local.weekday === 1 && local.hour < RUN_HOUR) return null;
  return isoWeek(local.date);
}

/** Returns the current monthly period, or null before the 1st at RUN_HOUR. */
export function monthlyPeriod(local: LocalTime): string | null {
  if (local.date.endsWith("-01") && local.hour < RUN_HOUR) return null;
  return monthOf(local.date);
}
