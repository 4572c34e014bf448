/**
 * Academic years run from July 1 to June 30. Dates are calendar dates written "YYYY-MM-DD",
 * already in the resident's own time zone, so no arithmetic here depends on the server's zone.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export function parseIsoDate(value: string): CalendarDate {
  const match = ISO_DATE.exec(value);
  if (!match) throw new RangeError(`Invalid date "${value}": expected YYYY-MM-DD`);

  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    throw new RangeError(`Invalid date "${value}": no such calendar day`);
  }
  return { year, month, day };
}

export function isIsoDate(value: string): boolean {
  try {
    parseIsoDate(value);
    return true;
  } catch {
    return false;
  }
}

export function formatIsoDate({ year, month, day }: CalendarDate): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** Returns the first calendar year of the academic year that contains `date`. */
export function academicYearOf(date: string): number {
  const { year, month } = parseIsoDate(date);
  return month >= 7 ? year : year - 1;
}

/** Returns the label residents and the ACGME use, such as "2026-2027". */
export function academicYearLabel(startYear: number): string {
  return `${startYear}-${startYear + 1}`;
}

/** Returns the half-open range [July 1, next July 1) of an academic year. */
export function academicYearRange(startYear: number): { from: string; until: string } {
  return { from: `${startYear}-07-01`, until: `${startYear + 1}-07-01` };
}

/**
 * Returns the PGY level on `date` for a resident who is at `currentPgy` on `today`. The level
 * advances on July 1, so a case keeps the PGY of its own date, not of the day it was logged.
 */
export function pgyOn(date: string, currentPgy: number, today: string): number {
  return currentPgy - (academicYearOf(today) - academicYearOf(date));
}

/** Returns the calendar date in the IANA `timeZone` at the instant `at`. */
export function dateInTimeZone(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(at);
  const part = (type: string) => Number(parts.find((entry) => entry.type === type)?.value);
  return formatIsoDate({ year: part("year"), month: part("month"), day: part("day") });
}

/** Returns the UTC offset of `timeZone` at the instant `at`, in minutes (Chicago in winter: -360). */
export function utcOffsetMinutes(at: Date, timeZone: string): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(at)
    .find((entry) => entry.type === "timeZoneName")?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? "");
  if (!match) return 0;

  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === "-" ? -minutes : minutes;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Returns `date` moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  const { year, month, day } = parseIsoDate(date);
  const moved = new Date(Date.UTC(year, month - 1, day + days));
  return formatIsoDate({ year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() });
}
