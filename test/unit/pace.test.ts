import { describe, expect, it } from "vitest";
import { buildProgress } from "../../src/rules/counting.js";
import { daysBetween, expectedGraduation, projectPace, residentPace } from "../../src/services/pace.js";
import type { Person } from "../../src/generated/prisma/client.js";

function person(fields: Partial<Person>): Person {
  return {
    id: 1,
    programId: 1,
    slackTeamId: "T0CASELOG",
    slackUserId: "U0RES",
    displayName: null,
    role: "resident",
    track: "ir_integrated",
    pgy: 3,
    residencyStart: "2024-07-01",
    esirStart: null,
    esirEnd: null,
    timeZone: null,
    expectedGraduation: null,
    icuRotationCompleted: false,
    nudgesPausedUntil: null,
    active: true,
    createdAt: new Date(),
    updatedAt: new Date(),
    ...fields,
  };
}

describe("pace projection", () => {
  it("counts calendar days across a leap year", () => {
    expect(daysBetween("2024-02-28", "2024-03-01")).toBe(2);
    expect(daysBetween("2024-07-01", "2024-06-30")).toBe(-1);
  });

  it("marks a target behind when its projection falls short", () => {
    const pace = projectPace({ from: "2024-07-01", until: "2026-06-30", today: "2025-06-30", targets: [{ name: "Encounters", count: 400, target: 1000 }] });
    expect(pace.status).toBe("behind");
    expect(pace.shortfalls).toHaveLength(1);
    expect(pace.shortfalls[0]!.projected).toBe(801);
  });

  it("keeps a resident on pace when the projection reaches the target", () => {
    const pace = projectPace({ from: "2024-07-01", until: "2026-06-30", today: "2025-06-30", targets: [{ name: "Encounters", count: 520, target: 1000 }] });
    expect(pace.status).toBe("on_pace");
    expect(pace.shortfalls).toEqual([]);
  });

  it("never marks a met target behind", () => {
    const pace = projectPace({ from: "2024-07-01", until: "2026-06-30", today: "2024-10-01", targets: [{ name: "PET", count: 30, target: 30 }] });
    expect(pace.status).toBe("on_pace");
  });

  it("reports too early in the first weeks", () => {
    const pace = projectPace({ from: "2026-07-01", until: "2030-06-30", today: "2026-07-20", targets: [{ name: "Encounters", count: 0, target: 500 }] });
    expect(pace.status).toBe("too_early");
  });

  it("reports finished on and after graduation", () => {
    const pace = projectPace({ from: "2022-07-01", until: "2026-06-30", today: "2026-06-30", targets: [{ name: "Encounters", count: 0, target: 500 }] });
    expect(pace.status).toBe("finished");
  });

  it("estimates graduation from track length", () => {
    expect(expectedGraduation({ expectedGraduation: null, residencyStart: "2024-07-01", track: "ir_integrated" })).toBe("2029-06-30");
    expect(expectedGraduation({ expectedGraduation: null, residencyStart: "2025-07-01", track: "ir_independent" })).toBe("2027-06-30");
    expect(expectedGraduation({ expectedGraduation: "2028-06-30", residencyStart: "2024-07-01", track: "dr" })).toBe("2028-06-30");
  });

  it("projects ESIR encounters over the ESIR window", () => {
    const progress = buildProgress({ track: "esir", encountersTowardTarget: 100, encountersAll: 120, irCounts: {}, drCounts: { chest_xray: 5000, cta_mra: 500, mammography: 500, ct_abdomen_pelvis: 900, us_abdomen_pelvis: 500, image_guided_biopsy_drainage: 50, mri_lower_extremity_joints: 50, mri_brain: 200, pet: 50, mri_body: 50, mri_spine: 100 } });
    const resident = person({ track: "esir", residencyStart: "2022-07-01", esirStart: "2025-07-01", esirEnd: "2026-06-30" });
    const pace = residentPace(resident, progress, "2025-12-31");
    expect(pace?.status).toBe("behind");
    expect(pace?.shortfalls.map((entry) => entry.name)).toEqual(["Procedural encounters"]);
    expect(pace?.shortfalls[0]!.projected).toBeLessThan(500);
  });
});
