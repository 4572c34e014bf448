import { expect } from "vitest";
import { ACTIONS } from "../../src/slack/ids.js";
import { SIGNING_SECRET, TEAM_ID, type Harness } from "../support/app-harness.js";
import { blockActionPayload, sendBlockActions, type SlackHttpResponse } from "../support/signed-request.js";

type Block = { type: string; elements?: { action_id?: string; value?: string; text?: { text: string } }[] };

/** Returns the value of the first button with `actionId` in a reply's blocks. */
export function buttonValue(reply: Record<string, unknown>, actionId: string, index = 0): string {
  const buttons = ((reply.blocks ?? []) as Block[])
    .filter((block) => block.type === "actions")
    .flatMap((block) => block.elements ?? [])
    .filter((element) => element.action_id === actionId);
  expect(buttons.length, `button ${actionId} in reply`).toBeGreaterThan(index);
  return buttons[index]!.value!;
}

/** Presses a button as Slack would: a signed block_actions request with a fresh response_url. */
export async function pressButton(
  harness: Harness,
  userId: string,
  actionId: string,
  value: string,
): Promise<{ http: SlackHttpResponse; responseUrl: string; triggerId: string }> {
  const responseUrl = harness.fake.responseUrl(`button-${actionId}`);
  const triggerId = `trigger-${Math.random().toString(36).slice(2)}`;
  const http = await sendBlockActions(
    harness.baseUrl,
    SIGNING_SECRET,
    blockActionPayload({ userId, teamId: TEAM_ID, actionId, value, responseUrl, triggerId, isEphemeral: true }),
  );
  return { http, responseUrl, triggerId };
}

export { ACTIONS };
