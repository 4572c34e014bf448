import { describe, expect, it } from "vitest";
import { DR_CATEGORIES } from "../../src/rules/taxonomy.js";
import type { Worklist } from "../../src/services/worklist.js";
import { worklistMessage } from "../../src/slack/views/worklist.js";

function manyYears(years: number): Worklist {
  const drCounts = Array.from({ length: years }, (_, index) => 2019 + index).flatMap((year) =>
    DR_CATEGORIES.map((category, position) => ({
      academicYear: year,
      label: `${year}-${year + 1}`,
      category: category.id,
      name: category.name,
      count: 100 + position,
    })),
  );
  return { entries: [], drCounts, enteredCount: 0 };
}

describe("worklist message", () => {
  it("keeps every DR count across many years", () => {
    const reply = worklistMessage(manyYears(8), { markOne: new Map(), markShown: null });
    const sections = (reply.blocks ?? []).filter((block) => block.type === "section") as { text: { text: string } }[];
    const text = sections.map((block) => block.text.text).join("\n");

    expect(text).toContain("2026-2027 MRI Spine: *110*");
    expect(text).toContain("2019-2020 Chest X-Ray: *100*");
    expect(text.split("\n").filter((line) => line.startsWith("• "))).toHaveLength(88);
    for (const block of sections) expect(block.text.text.length).toBeLessThanOrEqual(3000);
    expect(text).not.toContain("…");
  });
});
