import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TrySession } from "../../src/dev/try-session.js";
import { SIGNING_SECRET, TEAM_ID, startHarness, type Harness } from "../support/app-harness.js";

// The `npm run try` session, driven line by line against the real app, from registration to the ESIR form.

let harness: Harness;
let session: TrySession;
let printed: string[] = [];
let filesDir: string;

beforeAll(async () => {
  harness = await startHarness({ env: { CASELOG_PROGRAM_DIRECTORS: "U0DIRECTOR" } });
  filesDir = fs.mkdtempSync(path.join(os.tmpdir(), "caselog-try-files-"));
  session = new TrySession({
    fake: harness.fake,
    appUrl: harness.baseUrl,
    signingSecret: SIGNING_SECRET,
    teamId: TEAM_ID,
    users: [
      { id: "U0RESIDENT", name: "Riley Resident", handle: "resident" },
      { id: "U0ATTEND", name: "Alex Attending", handle: "attending" },
      { id: "U0DIRECTOR", name: "Dana Director", handle: "director" },
    ],
    filesDir,
    print: (text) => printed.push(text),
  });
});

afterAll(async () => {
  await harness.stop();
  fs.rmSync(filesDir, { recursive: true, force: true });
});

async function type(line: string): Promise<string> {
  printed = [];
  await session.run(line);
  return printed.join("\n");
}

describe("try session", () => {
  it("registers through the rendered modal", async () => {
    const modal = await type("/caselog");
    expect(modal).toContain("+-- modal: Register --+");
    expect(modal).toContain("[i1] Training track: static_select");

    await type("set i1 2");
    await type("set i2 5");
    await type("set i3 2022-07-01");
    await type("set i4 2025-07-01");
    expect(await type("submit")).toContain("You are registered.");
  });

  it("shows modal validation errors", async () => {
    expect(await type("/caselog")).toContain("+-- modal: Log a case --+");
    const errors = await type("submit");
    expect(errors).toContain("! Procedures: No procedure was given.");
  });

  it("logs a case with a mention", async () => {
    const card = await type("/caselog port yesterday @attending");
    expect(card).toContain("Venous port placement");
    expect(card).toContain("*Attending:* @U0ATTEND");
    expect(card).toMatch(/\[b\d+\] Undo/);
  });

  it("presses a worklist button", async () => {
    const list = await type("/caselog worklist");
    const button = /\[(b\d+)\] Mark entered/.exec(list)![1]!;
    const after = await type(`press ${button}`);
    expect(after).toContain("replaces the message");
    expect(after).toContain("Every credited encounter is marked entered");
  });

  it("saves the ESIR form as a file", async () => {
    await type("as director");
    const output = await type("/caselog esir @resident");
    expect(output).toContain("NOT ELIGIBLE: 1 of the required 500");
    const pdf = /file: (\S+\.pdf)/.exec(output)![1]!;
    expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("rejects an unknown button", async () => {
    expect(await type("press b999")).toBe("No button b999.");
  });
});
