import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerResident, responseText, startHarness, type Harness } from "../support/app-harness.js";

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
  harness.fake.setUser("U0JUNIOR", { tz: "America/Chicago", realName: "Jun Ior" });
  await registerResident(harness, "U0JUNIOR", { track: "ir_integrated", pgy: 3 });
});

afterAll(async () => {
  await harness.stop();
});

describe("quick entry", () => {
  it("stores a port logged for yesterday", async () => {
    const { http, responseUrl } = await harness.slash("U0JUNIOR", "port yesterday");
    expect(http.status).toBe(200);

    const reply = await harness.reply(responseUrl);
    expect(responseText(reply)).toContain("Venous port placement");

    const stored = await harness.db.encounter.findMany({ include: { procedures: true } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.performedOn).toBe("2026-12-03");
    expect(stored[0]!.procedures.map((row) => row.category)).toEqual(["venous_port"]);
  });
});
