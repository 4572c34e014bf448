import { describe, expect, it } from "vitest";
import {
  academicYearLabel,
  academicYearOf,
  academicYearRange,
  addDays,
  dateInTimeZone,
  formatIsoDate,
  isIsoDate,
  isValidTimeZone,
  parseIsoDate,
  pgyOn,
  utcOffsetMinutes,
} from "../../src/rules/academic-year.js";
import { checkEncounter, checkServiceDate, type ResidentProfile } from "../../src/rules/counting.js";

// Academic years run from July 1 to June 30, and the PGY level advances on July 1.

describe("academicYearOf", () => {
  it.each([
    { date: "2026-06-30", startYear: 2025 },
    { date: "2026-07-01", startYear: 2026 },
    { date: "2026-01-01", startYear: 2025 },
    { date: "2025-12-31", startYear: 2025 },
    { date: "2027-06-30", startYear: 2026 },
    { date: "2024-02-29", startYear: 2023 },
  ])("puts $date in $startYear", ({ date, startYear }) => {
    expect(academicYearOf(date)).toBe(startYear);
  });

  it("rejects an invalid date", () => {
    expect(() => academicYearOf("2026-13-01")).toThrow(RangeError);
  });
});

describe("academicYearLabel", () => {
  it("joins start and end years", () => {
    expect(academicYearLabel(2026)).toBe("2026-2027");
  });
});

describe("academicYearRange", () => {
  it("runs from July 1 to next July 1", () => {
    expect(academicYearRange(2026)).toEqual({ from: "2026-07-01", until: "2027-07-01" });
  });

  it.each([
    { date: "2026-06-30", inside: false },
    { date: "2026-07-01", inside: true },
    { date: "2026-12-31", inside: true },
    { date: "2027-06-30", inside: true },
    { date: "2027-07-01", inside: false },
  ])("range 2026 holds $date: $inside", ({ date, inside }) => {
    const { from, until } = academicYearRange(2026);
    expect(from <= date && date < until).toBe(inside);
    expect(academicYearOf(date) === 2026).toBe(inside);
  });
});

describe("pgyOn", () => {
  it.each([
    { name: "same academic year", date: "2026-07-01", currentPgy: 3, today: "2027-06-30", expected: 3 },
    { name: "day before July 1", date: "2026-06-30", currentPgy: 3, today: "2027-06-30", expected: 2 },
    { name: "logged on July 1", date: "2026-06-30", currentPgy: 4, today: "2026-07-01", expected: 3 },
    { name: "logged on June 30", date: "2026-06-30", currentPgy: 3, today: "2026-06-30", expected: 3 },
    { name: "two years back", date: "2024-09-01", currentPgy: 5, today: "2026-09-15", expected: 3 },
  ])("$name gives PGY-$expected", ({ date, currentPgy, today, expected }) => {
    expect(pgyOn(date, currentPgy, today)).toBe(expected);
  });
});

describe("ISO calendar dates", () => {
  it.each(["2026-07-01", "2024-02-29", "2000-02-29", "1999-12-31"])("accepts %s", (value) => {
    expect(isIsoDate(value)).toBe(true);
    expect(formatIsoDate(parseIsoDate(value))).toBe(value);
  });

  it.each(["2026-02-30", "2025-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-7-1", "07/01/2026", "2026-07-01T00:00", ""])(
    "rejects %j",
    (value) => {
      expect(isIsoDate(value)).toBe(false);
      expect(() => parseIsoDate(value)).toThrow(RangeError);
    },
  );

  it.each([
    { date: "2026-06-30", days: 1, expected: "2026-07-01" },
    { date: "2026-12-31", days: 1, expected: "2027-01-01" },
    { date: "2024-03-01", days: -1, expected: "2024-02-29" },
    { date: "2026-07-01", days: -1, expected: "2026-06-30" },
    { date: "2026-07-01", days: 0, expected: "2026-07-01" },
  ])("addDays $date by $days", ({ date, days, expected }) => {
    expect(addDays(date, days)).toBe(expected);
  });
});

describe("time zones", () => {
  it.each([
    { at: "2026-07-01T03:00:00Z", timeZone: "America/Chicago", expected: "2026-06-30" },
    { at: "2026-07-01T03:00:00Z", timeZone: "UTC", expected: "2026-07-01" },
    { at: "2026-06-30T20:00:00Z", timeZone: "Asia/Tokyo", expected: "2026-07-01" },
  ])("dateInTimeZone $timeZone at $at", ({ at, timeZone, expected }) => {
    expect(dateInTimeZone(new Date(at), timeZone)).toBe(expected);
  });

  it.each([
    { at: "2026-01-15T12:00:00Z", timeZone: "America/Chicago", minutes: -360 },
    { at: "2026-07-15T12:00:00Z", timeZone: "America/Chicago", minutes: -300 },
    { at: "2026-07-15T12:00:00Z", timeZone: "Asia/Kolkata", minutes: 330 },
    { at: "2026-07-15T12:00:00Z", timeZone: "UTC", minutes: 0 },
  ])("utcOffsetMinutes $timeZone at $at", ({ at, timeZone, minutes }) => {
    expect(utcOffsetMinutes(new Date(at), timeZone)).toBe(minutes);
  });

  it.each([
    { timeZone: "America/New_York", valid: true },
    { timeZone: "UTC", valid: true },
    { timeZone: "Mars/Olympus_Mons", valid: false },
  ])("isValidTimeZone $timeZone", ({ timeZone, valid }) => {
    expect(isValidTimeZone(timeZone)).toBe(valid);
  });
});

describe("encounter dates", () => {
  const resident: ResidentProfile = { track: "ir_integrated", pgy: 3, residencyStart: "2024-07-01" };
  const today = "2026-07-01";

  it.each([
    { performedOn: "2026-07-01", expected: null },
    { performedOn: "2026-06-30", expected: null },
    { performedOn: "2026-07-02", expected: "future_date" },
    { performedOn: "2027-01-01", expected: "future_date" },
    { performedOn: "2024-07-01", expected: null },
    { performedOn: "2024-06-30", expected: "before_residency" },
    { performedOn: "2026-02-30", expected: "invalid_date" },
    { performedOn: "yesterday", expected: "invalid_date" },
  ])("$performedOn gives $expected", ({ performedOn, expected }) => {
    const result = checkEncounter({ performedOn, procedureIds: ["port_placement"], role: "first_operator" }, resident, today);
    const codes = result.ok ? [] : result.violations.map((found) => found.code);
    expect(codes).toEqual(expected === null ? [] : [expected]);
    expect(checkServiceDate(performedOn, resident, today)?.code ?? null).toBe(expected);
  });

  it.each([
    { performedOn: "2026-07-01", academicYear: 2026, pgy: 3 },
    { performedOn: "2026-06-30", academicYear: 2025, pgy: 2 },
    { performedOn: "2025-07-01", academicYear: 2025, pgy: 2 },
    { performedOn: "2025-06-30", academicYear: 2024, pgy: 1 },
  ])("stamps $performedOn with PGY-$pgy", ({ performedOn, academicYear, pgy }) => {
    const result = checkEncounter({ performedOn, procedureIds: ["port_placement"], role: "first_operator" }, resident, today);
    if (!result.ok) throw new Error(`expected the encounter to pass, got ${JSON.stringify(result.violations)}`);
    expect(result.value.academicYear).toBe(academicYear);
    expect(result.value.pgy).toBe(pgy);
  });
});
