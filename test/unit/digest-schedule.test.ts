import { describe, expect, it } from "vitest";
import { isoWeek, localTime, monthlyPeriod, weeklyPeriod } from "../../src/jobs/periods.js";
import { monthsBefore, parseReviewMonths } from "../../src/services/reviews.js";
import { digestMessages, splitIntoMessages } from "../../src/slack/views/digest.js";
import { section } from "../../src/slack/views/blocks.js";
import type { DigestRow } from "../../src/services/digests.js";

describe("schedule periods", () => {
  it.each([
    ["2026-12-07", "2026-W50"],
    ["2026-12-06", "2026-W49"],
    ["2027-01-01", "2026-W53"],
    ["2027-01-04", "2027-W01"],
    ["2024-12-30", "2025-W01"],
  ])("puts %s in ISO week %s", (date, week) => {
    expect(isoWeek(date)).toBe(week);
  });

  it("reads local weekday and hour across zones", () => {
    const at = new Date("2026-12-07T06:30:00Z");
    expect(localTime(at, "America/Los_Angeles")).toEqual({ date: "2026-12-06", weekday: 7, hour: 22 });
    expect(localTime(at, "Asia/Kolkata")).toEqual({ date: "2026-12-07", weekday: 1, hour: 12 });
  });

  it("opens the weekly period Monday at 08:00", () => {
    expect(weeklyPeriod({ date: "2026-12-07", weekday: 1, hour: 7 })).toBeNull();
    expect(weeklyPeriod({ date: "2026-12-07", weekday: 1, hour: 8 })).toBe("2026-W50");
    expect(weeklyPeriod({ date: "2026-12-13", weekday: 7, hour: 23 })).toBe("2026-W50");
  });

  it("opens the monthly period the 1st at 08:00", () => {
    expect(monthlyPeriod({ date: "2027-01-01", weekday: 5, hour: 7 })).toBeNull();
    expect(monthlyPeriod({ date: "2027-01-01", weekday: 5, hour: 8 })).toBe("2027-01");
    expect(monthlyPeriod({ date: "2027-01-31", weekday: 7, hour: 0 })).toBe("2027-01");
  });

  it("parses review months", () => {
    expect(parseReviewMonths("7, 1,7")).toEqual([1, 7]);
    expect(() => parseReviewMonths("0,6")).toThrow(RangeError);
    expect(() => parseReviewMonths("")).toThrow(RangeError);
    expect(() => parseReviewMonths("jan")).toThrow(RangeError);
  });

  it("subtracts months clamping the day", () => {
    expect(monthsBefore("2026-12-07", 12)).toBe("2025-12-07");
    expect(monthsBefore("2027-03-31", 1)).toBe("2027-02-28");
    expect(monthsBefore("2027-01-15", 13)).toBe("2025-12-15");
  });
});

function row(index: number): DigestRow {
  return {
    slackUserId: `U0RES${String(index).padStart(3, "0")}`,
    displayName: null,
    track: "ir_integrated",
    pgy: 3,
    encounters: { count: 100, target: 1000, all: 100 },
    minimumsMet: 2,
    minimumsTotal: 11,
    pace: { status: "behind", from: "2024-07-01", until: "2029-06-30", elapsed: 0.5, shortfalls: [{ name: "Procedural encounters", count: 100, target: 1000, projected: 200 }] },
  };
}

describe("digest messages", () => {
  it("keeps a short digest in one message", () => {
    const messages = digestMessages({ programName: "IR", period: "2026-W50", today: "2026-12-07", rows: [row(1)] }, "weekly");
    expect(messages).toHaveLength(1);
    expect(messages[0]!.text).toBe("Weekly case log digest: IR");
    expect(JSON.stringify(messages[0]!.blocks)).toContain("behind pace: Procedural encounters (100, projected 200 of 1000)");
  });

  it("splits at 50 blocks per message", () => {
    const rows = Array.from({ length: 120 }, (_, index) => row(index));
    const messages = digestMessages({ programName: "IR", period: "2026-W50", today: "2026-12-07", rows }, "weekly");
    expect(messages).toHaveLength(3);
    expect(messages.map((message) => message.blocks!.length)).toEqual([50, 50, 23]);
    expect(messages[2]!.text).toBe("Weekly case log digest: IR (part 3 of 3)");
  });

  it("rejects a section over 3000 characters", () => {
    const long = { ...section("x"), text: { type: "mrkdwn" as const, text: "x".repeat(3001) } };
    expect(() => splitIntoMessages("Long", [long])).toThrow(/over 3000 characters/);
  });
});
