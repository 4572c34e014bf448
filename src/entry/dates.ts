import * as chrono from "chrono-node";
import { addDays, dateInTimeZone, formatIsoDate, utcOffsetMinutes } from "../rules/academic-year.js";

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export interface FoundDate {
  /** "YYYY-MM-DD" in the user's time zone. */
  date: string;
  /** Position of the date phrase in the text, so the caller can remove it. */
  index: number;
  length: number;
}

/**
 * Finds the first date phrase in `text` ("yesterday", "last friday", "12/3", "Dec 3") and reads
 * it in the user's IANA time zone. chrono-node ignores IANA names, so the zone's UTC offset at
 * `now` is passed instead, and the calendar date is read from the parsed components. With
 * `requireDay: false` a month alone ("june", "jan 2026") is accepted, as its first day or today.
 */
export function findDate(text: string, now: Date, timeZone: string, options: { requireDay?: boolean } = {}): FoundDate | null {
  const requireDay = options.requireDay ?? true;
  const reference = { instant: now, timezone: utcOffsetMinutes(now, timeZone) };
  const results = chrono.en.casual.parse(text, reference, { forwardDate: false });

  for (const result of results) {
    const { start } = result;
    if (requireDay && !start.isCertain("day") && !start.isCertain("weekday") && !/\b(today|yesterday|tonight|ago|last|this)\b/i.test(result.text)) continue;

    const year = start.get("year");
    const month = start.get("month");
    const day = start.get("day");
    if (year === null || month === null || day === null) continue;

    // A case is in the past: "1/15" typed in December means last January, not next.
    let date = formatIsoDate({ year, month, day });
    const today = dateInTimeZone(now, timeZone);
    if (!start.isCertain("year") && date > today) {
      // A weekday alone ("monday") means the last one; a month and day mean last year's.
      const weekdayOnly = start.isCertain("weekday") && !start.isCertain("day");
      date = weekdayOnly ? addDays(date, -7 * Math.ceil((daysBetween(today, date) + 1) / 7)) : formatIsoDate({ year: year - 1, month, day });
    }
    return { date, index: result.index, length: result.text.length };
  }
  return null;
}

export function todayIn(timeZone: string, now: Date): string {
  return dateInTimeZone(now, timeZone);
}
