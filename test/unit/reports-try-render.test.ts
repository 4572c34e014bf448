import { describe, expect, it } from "vitest";
import { plainMrkdwn, renderBlocks, renderView, type RenderedInput } from "../../src/dev/render.js";
import { stateValue } from "../../src/dev/try-session.js";

const label = (kind: "button" | "input", index: number) => `[${kind === "button" ? "b" : "i"}${index + 1}]`;

describe("try renderer", () => {
  it("renders sections, context and buttons", () => {
    const rendered = renderBlocks(
      [
        { type: "header", text: { type: "plain_text", text: "Worklist" } },
        { type: "section", text: { type: "mrkdwn", text: "Port with <@U0ATT|alex> &amp; more" }, accessory: { type: "button", text: { type: "plain_text", text: "Mark" }, action_id: "mark", value: "v1" } },
        { type: "context", elements: [{ type: "mrkdwn", text: "small print" }] },
        { type: "actions", block_id: "row", elements: [{ type: "button", text: { type: "plain_text", text: "All" }, action_id: "all", value: "v2" }] },
      ],
      label,
    );
    expect(rendered.lines).toEqual(["== Worklist ==", "Port with @alex & more", "    [b1] Mark", "  (small print)", "[b2] All"]);
    expect(rendered.buttons.map((button) => [button.actionId, button.value, button.blockId])).toEqual([
      ["mark", "v1", undefined],
      ["all", "v2", "row"],
    ]);
  });

  it("renders a modal with numbered inputs", () => {
    const rendered = renderView(
      {
        title: { type: "plain_text", text: "Register" },
        submit: { type: "plain_text", text: "Save" },
        blocks: [
          {
            type: "input",
            block_id: "track",
            label: { type: "plain_text", text: "Track" },
            element: { type: "static_select", action_id: "value", options: [{ text: { type: "plain_text", text: "DR" }, value: "dr" }] },
          },
        ],
      },
      label,
    );
    expect(rendered.lines).toEqual(["+-- modal: Register --+", "[i1] Track: static_select", "      1) DR", '+-- submit: "Save" --+']);
    expect(rendered.inputs[0]).toMatchObject({ blockId: "track", actionId: "value", type: "static_select" });
  });

  it("decodes Slack links", () => {
    expect(plainMrkdwn("see <https://example.org|the guide>")).toBe("see the guide (https://example.org)");
  });
});

describe("try input values", () => {
  const select: RenderedInput = { blockId: "pgy", actionId: "value", label: "PGY", type: "static_select", optional: false, options: [{ label: "PGY-1", value: "1" }, { label: "PGY-2", value: "2" }], initial: null };

  it("picks an option by number", () => {
    expect(stateValue(select, "2", (text) => text)).toEqual({ type: "static_select", selected_option: { text: { type: "plain_text", text: "PGY-2", emoji: true }, value: "2" } });
  });

  it("rejects an unknown option", () => {
    expect(stateValue(select, "9", (text) => text)).toBe('"9" is not an option of PGY; give its number or value.');
  });

  it("rejects a malformed date", () => {
    const date: RenderedInput = { ...select, type: "datepicker", label: "Start", options: [] };
    expect(stateValue(date, "12/3", (text) => text)).toBe("Start needs a date written YYYY-MM-DD.");
  });

  it("turns typed line breaks into real ones", () => {
    const text: RenderedInput = { ...select, type: "plain_text_input", options: [] };
    expect(stateValue(text, "a,b\\n1,2", (value) => value)).toEqual({ type: "plain_text_input", value: "a,b\n1,2" });
  });
});
