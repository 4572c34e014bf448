import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import { App, LogLevel, verifySlackRequest, webApi } from "@slack/bolt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { type FakeSlack, type RecordedResponse, startFakeSlack } from "./fake-slack.js";
import {
  appHomeOpenedEvent,
  blockActionPayload,
  eventCallbackPayload,
  newTriggerId,
  selectedOption,
  sendBlockActions,
  sendEvent,
  sendSlashCommand,
  sendViewSubmission,
  signSlackRequest,
  slashCommandForm,
  viewSubmissionPayload,
} from "./signed-request.js";

const BOT_TOKEN = "xoxb-caselog-test";
const SIGNING_SECRET = "caselog-test-signing-secret";
const TEAM_ID = "T0CASELOG";
const USER_ID = "U0RESIDENT";

let fake: FakeSlack;

beforeAll(async () => {
  fake = await startFakeSlack();
});

afterAll(async () => {
  await fake.close();
});

afterEach(() => {
  fake.reset();
});

/** Creates a real Web API client aimed at the fake, failing fast instead of retrying. */
function createClient(options: { rejectRateLimitedCalls?: boolean } = {}): webApi.WebClient {
  return new webApi.WebClient(BOT_TOKEN, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logLevel: webApi.LogLevel.ERROR,
    ...options,
  });
}

function modalView(title = "Log a case") {
  return {
    type: "modal" as const,
    callback_id: "case_entry",
    title: { type: "plain_text" as const, text: title },
    submit: { type: "plain_text" as const, text: "Save" },
    private_metadata: JSON.stringify({ channel: "C0CASELOG" }),
    blocks: [
      {
        type: "input" as const,
        block_id: "procedure_block",
        label: { type: "plain_text" as const, text: "Procedure" },
        element: { type: "plain_text_input" as const, action_id: "procedure" },
      },
    ],
  };
}

describe("fake Slack Web API", () => {
  it("has an API URL ending in /api/", () => {
    expect(fake.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  });

  it("answers auth.test with the bot identity", async () => {
    const result = await createClient().auth.test();

    expect(result.ok).toBe(true);
    expect(result.user_id).toBe(fake.identity.botUserId);
    expect(result.team_id).toBe(fake.identity.teamId);
    expect(result.bot_id).toBe(fake.identity.botId);
  });

  it("answers users.info with the default time zone", async () => {
    const result = await createClient().users.info({ user: USER_ID });

    expect(result.user?.id).toBe(USER_ID);
    expect(result.user?.tz).toBe("America/New_York");
    expect([-18000, -14400]).toContain(result.user?.tz_offset);
  });

  it("answers users.info with a configured user", async () => {
    fake.setUser(USER_ID, { tz: "America/Chicago", realName: "Dana Reyes", displayName: "dana" });

    const result = await createClient().users.info({ user: USER_ID });

    expect(result.user?.tz).toBe("America/Chicago");
    expect([-21600, -18000]).toContain(result.user?.tz_offset);
    expect(result.user?.real_name).toBe("Dana Reyes");
    expect(result.user?.profile?.display_name).toBe("dana");
  });

  it("omits the time zone when set to null", async () => {
    fake.setUser(USER_ID, { tz: null });

    const result = await createClient().users.info({ user: USER_ID });

    expect(result.user?.tz).toBeUndefined();
    expect(result.user?.tz_offset).toBeUndefined();
  });

  it("records the call, token and decoded args", async () => {
    await createClient().users.info({ user: USER_ID });

    const [call] = fake.calls("users.info");
    expect(call?.token).toBe(BOT_TOKEN);
    expect(call?.args).toEqual({ user: USER_ID });
    expect(call?.contentType).toBe("application/x-www-form-urlencoded");
    expect(call?.status).toBe(200);
  });

  it("decodes blocks sent to chat.postMessage", async () => {
    const blocks = [{ type: "section", block_id: "summary", text: { type: "mrkdwn", text: "*3* cases logged" } }];

    const result = await createClient().chat.postMessage({ channel: "C0CASELOG", text: "3 cases logged", blocks });

    const [call] = fake.calls("chat.postMessage");
    expect(call?.args.blocks).toEqual(blocks);
    expect(call?.args.text).toBe("3 cases logged");
    expect(result.channel).toBe("C0CASELOG");
    expect(result.ts).toMatch(/^\d+\.\d{6}$/);
  });

  it("returns increasing message timestamps", async () => {
    const client = createClient();

    const first = await client.chat.postMessage({ channel: "C0CASELOG", text: "first" });
    const second = await client.chat.postMessage({ channel: "C0CASELOG", text: "second" });

    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
  });

  it("keeps JSON-looking text as a string", async () => {
    await createClient().chat.postMessage({ channel: "C0CASELOG", text: "[1, 2]" });

    expect(fake.calls("chat.postMessage")[0]?.args.text).toBe("[1, 2]");
  });

  it("rejects a message over 50 blocks", async () => {
    const blocks = Array.from({ length: 51 }, (_, index) => ({
      type: "section",
      text: { type: "mrkdwn", text: `row ${index}` },
    }));

    const post = createClient().chat.postMessage({ channel: "C0CASELOG", text: "too long", blocks });

    await expect(post).rejects.toMatchObject({ code: webApi.ErrorCode.PlatformError, data: { error: "invalid_blocks" } });
  });

  it("opens a DM channel per user", async () => {
    const client = createClient();

    const first = await client.conversations.open({ users: USER_ID });
    const again = await client.conversations.open({ users: USER_ID });
    const posted = await client.chat.postMessage({ channel: USER_ID, text: "hello" });

    expect(first.channel?.id).toMatch(/^D/);
    expect(again.channel?.id).toBe(first.channel?.id);
    expect(posted.channel).toBe(first.channel?.id);
  });

  it("answers views.open with a fresh view", async () => {
    const client = createClient();

    const first = await client.views.open({ trigger_id: newTriggerId(), view: modalView() });
    const second = await client.views.open({ trigger_id: newTriggerId(), view: modalView() });

    expect(first.view?.id).toMatch(/^V/);
    expect(second.view?.id).not.toBe(first.view?.id);
    expect(first.view?.callback_id).toBe("case_entry");
    expect(first.view?.hash).toEqual(expect.any(String));
    expect(fake.calls("views.open")[0]?.args.view).toEqual(modalView());
    expect(fake.view(first.view?.id ?? "")?.callback_id).toBe("case_entry");
  });

  it("rejects a reused trigger id", async () => {
    const client = createClient();
    const triggerId = newTriggerId();
    await client.views.open({ trigger_id: triggerId, view: modalView() });

    const reopen = client.views.open({ trigger_id: triggerId, view: modalView() });

    await expect(reopen).rejects.toMatchObject({ data: { error: "invalid_arguments" } });
  });

  it("rejects a modal title over 24 characters", async () => {
    const open = createClient().views.open({ trigger_id: newTriggerId(), view: modalView("A title that is too long!") });

    await expect(open).rejects.toMatchObject({
      data: {
        error: "invalid_arguments",
        response_metadata: { messages: [expect.stringContaining("/view/title/text")] },
      },
    });
  });

  it("keeps the view id across views.update", async () => {
    const client = createClient();
    const opened = await client.views.open({ trigger_id: newTriggerId(), view: modalView() });
    const viewId = opened.view?.id ?? "";

    const updated = await client.views.update({ view_id: viewId, hash: opened.view?.hash, view: modalView("Saved") });

    expect(updated.view?.id).toBe(viewId);
    expect(updated.view?.hash).not.toBe(opened.view?.hash);
    expect(fake.view(viewId)?.title).toEqual({ type: "plain_text", text: "Saved" });
  });

  it("rejects views.update with a stale hash", async () => {
    const client = createClient();
    const opened = await client.views.open({ trigger_id: newTriggerId(), view: modalView() });
    const viewId = opened.view?.id ?? "";
    await client.views.update({ view_id: viewId, view: modalView("Saved") });

    const stale = client.views.update({ view_id: viewId, hash: opened.view?.hash, view: modalView("Again") });

    await expect(stale).rejects.toMatchObject({ data: { error: "hash_conflict" } });
  });

  it("keeps one Home tab view per user", async () => {
    const client = createClient();
    const home = { type: "home" as const, blocks: [{ type: "section" as const, text: { type: "mrkdwn" as const, text: "Hi" } }] };

    const first = await client.views.publish({ user_id: USER_ID, view: home });
    const second = await client.views.publish({ user_id: USER_ID, view: home });

    expect(second.view?.id).toBe(first.view?.id);
    expect(fake.homeView(USER_ID)?.blocks).toEqual(home.blocks);
  });

  it("accepts filesUploadV2 uploads", async () => {
    const result = await createClient().filesUploadV2({
      channel_id: "C0CASELOG",
      filename: "caselog.csv",
      content: "date,procedure\n2026-12-01,CT head\n",
      title: "Case log",
    });

    expect(result.ok).toBe(true);
    expect(fake.calls("files.getUploadURLExternal")[0]?.args).toMatchObject({ filename: "caselog.csv" });
    expect(fake.uploads()[0]?.data.toString("utf8")).toBe("date,procedure\n2026-12-01,CT head\n");
    const complete = fake.calls("files.completeUploadExternal")[0];
    expect(complete?.args.files).toEqual([{ id: fake.uploads()[0]?.fileId, title: "Case log" }]);
    expect(complete?.args.channel_id).toBe("C0CASELOG");
  });

  it("answers unknown methods with ok", async () => {
    const result = await createClient().apiCall("reactions.add", { channel: "C0CASELOG", name: "white_check_mark" });

    expect(result.ok).toBe(true);
  });

  it("returns an overridden error", async () => {
    fake.respondWith("chat.postMessage", { body: { ok: false, error: "not_in_channel" } });

    const post = createClient().chat.postMessage({ channel: "C0OTHER", text: "hello" });

    await expect(post).rejects.toMatchObject({ code: webApi.ErrorCode.PlatformError, data: { error: "not_in_channel" } });
    expect(fake.calls("chat.postMessage")).toHaveLength(1);
  });

  it("lets an override fall back to the default", async () => {
    let attempts = 0;
    fake.respondWith("chat.postMessage", (_request, defaultReply) => {
      attempts += 1;
      return attempts === 1 ? { body: { ok: false, error: "internal_error" } } : defaultReply();
    });
    const client = createClient();

    await expect(client.chat.postMessage({ channel: "C0CASELOG", text: "a" })).rejects.toThrow(/internal_error/);
    const retried = await client.chat.postMessage({ channel: "C0CASELOG", text: "a" });

    expect(retried.ok).toBe(true);
  });

  it("delivers a 429 as a rate-limit error", async () => {
    fake.respondWith("chat.postMessage", {
      status: 429,
      headers: { "Retry-After": "7" },
      body: { ok: false, error: "ratelimited" },
    });

    const post = createClient({ rejectRateLimitedCalls: true }).chat.postMessage({ channel: "C0CASELOG", text: "x" });

    await expect(post).rejects.toMatchObject({ code: webApi.ErrorCode.RateLimitedError, retryAfter: 7 });
    expect(fake.calls("chat.postMessage")[0]?.status).toBe(429);
  });

  it("clears overrides on reset", async () => {
    fake.respondWith("auth.test", { body: { ok: false, error: "invalid_auth" } });

    fake.reset();

    await expect(createClient().auth.test()).resolves.toMatchObject({ ok: true });
  });

  it("rejects calls without a token", async () => {
    const result = await fetch(`${fake.apiUrl}auth.test`, { method: "POST" });

    expect(await result.json()).toEqual({ ok: false, error: "not_authed" });
  });

  it("accepts JSON bodies", async () => {
    const result = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: { authorization: `Bearer ${BOT_TOKEN}`, "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({ channel: "C0CASELOG", text: "json", blocks: [{ type: "divider" }] }),
    });

    expect(await result.json()).toMatchObject({ ok: true, channel: "C0CASELOG" });
    expect(fake.calls("chat.postMessage")[0]?.args.blocks).toEqual([{ type: "divider" }]);
  });
});

describe("fake Slack response URLs", () => {
  it("records a post", async () => {
    const url = fake.responseUrl("slash");

    const result = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "Logged", replace_original: true }),
    });

    expect(await result.json()).toEqual({ ok: true });
    expect(fake.responses(url)).toEqual([
      expect.objectContaining({ kind: "response", name: "slash", body: { text: "Logged", replace_original: true } }),
    ]);
  });

  it("separates posts by URL", async () => {
    const first = fake.responseUrl();
    const second = fake.responseUrl();

    await fetch(second, { method: "POST", body: JSON.stringify({ text: "two" }) });

    expect(fake.responses(first)).toHaveLength(0);
    expect(fake.responses(second)).toHaveLength(1);
    expect(fake.responses()).toHaveLength(1);
  });
});

describe("fake Slack waitFor", () => {
  it("resolves on a later call", async () => {
    const waiting = fake.waitFor("chat.postEphemeral", 1000);

    await createClient().chat.postEphemeral({ channel: "C0CASELOG", user: USER_ID, text: "only you" });

    await expect(waiting).resolves.toMatchObject({ method: "chat.postEphemeral", args: { user: USER_ID } });
  });

  it("resolves on an earlier call", async () => {
    await createClient().auth.test();

    await expect(fake.waitFor("auth.test", 100)).resolves.toMatchObject({ method: "auth.test" });
  });

  it("resolves on a response URL post", async () => {
    const url = fake.responseUrl();
    const waiting = fake.waitFor((record): record is RecordedResponse => record.kind === "response" && record.url === url);

    await fetch(url, { method: "POST", body: JSON.stringify({ text: "done" }) });

    expect((await waiting).body).toEqual({ text: "done" });
  });

  it("times out with a description", async () => {
    await createClient().auth.test();

    const waiting = fake.waitFor("chat.delete", 50);

    await expect(waiting).rejects.toThrow(
      "Timed out after 50 ms waiting for Web API call chat.delete. Recorded calls: auth.test x1",
    );
  });
});

describe("signed requests", () => {
  const body = slashCommandForm({
    userId: USER_ID,
    teamId: TEAM_ID,
    text: "CT head today",
    responseUrl: "http://127.0.0.1:1/response/1",
  }).toString();

  function headersFor(signature: string, timestamp: number) {
    return { "x-slack-signature": signature, "x-slack-request-timestamp": timestamp };
  }

  it("verifies with Bolt's check", () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signSlackRequest(SIGNING_SECRET, timestamp, body);

    expect(() =>
      verifySlackRequest({ signingSecret: SIGNING_SECRET, body, headers: headersFor(signature, timestamp) }),
    ).not.toThrow();
  });

  it("fails Bolt's check when the body changes", () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signSlackRequest(SIGNING_SECRET, timestamp, body);
    const tampered = body.replace("CT+head", "MR+head");

    expect(tampered).not.toBe(body);
    expect(() =>
      verifySlackRequest({ signingSecret: SIGNING_SECRET, body: tampered, headers: headersFor(signature, timestamp) }),
    ).toThrow(/signature mismatch/);
  });

  it("fails Bolt's check with another secret", () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signSlackRequest("another-secret", timestamp, body);

    expect(() =>
      verifySlackRequest({ signingSecret: SIGNING_SECRET, body, headers: headersFor(signature, timestamp) }),
    ).toThrow(/signature mismatch/);
  });

  it("builds the slash command form", () => {
    const form = slashCommandForm({ userId: USER_ID, teamId: TEAM_ID, text: "progress", responseUrl: "http://x/r" });

    expect(form.get("command")).toBe("/caselog");
    expect(form.get("user_id")).toBe(USER_ID);
    expect(form.get("team_id")).toBe(TEAM_ID);
    expect(form.get("text")).toBe("progress");
    expect(form.get("response_url")).toBe("http://x/r");
    expect(form.get("trigger_id")).toMatch(/^\d+\.\d+\.[0-9a-f]+$/);
    for (const field of ["token", "team_domain", "channel_id", "channel_name", "user_name", "api_app_id"]) {
      expect(form.get(field), field).toEqual(expect.any(String));
    }
  });

  it("creates unique trigger ids", () => {
    const ids = new Set(Array.from({ length: 100 }, () => newTriggerId()));

    expect(ids.size).toBe(100);
  });
});

describe("signed requests to a Bolt app", () => {
  interface Seen {
    commandText?: string;
    retryNum?: number;
    actionValue?: string;
    submittedProcedure?: string;
    privateMetadata?: string;
    homeOpenedBy?: string;
  }

  let app: App;
  let appUrl: string;
  const seen: Seen = {};

  beforeAll(async () => {
    app = new App({
      token: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
      logLevel: LogLevel.ERROR,
    });

    app.command("/caselog", async ({ command, ack, client, context }) => {
      seen.commandText = command.text;
      seen.retryNum = context.retryNum;
      await ack({ text: `Received: ${command.text}` });
      await client.views.open({ trigger_id: command.trigger_id, view: modalView() });
    });
    app.action("log_case", async ({ ack, action, respond }) => {
      await ack();
      seen.actionValue = "value" in action ? action.value : undefined;
      await respond({ text: "Logged", replace_original: true });
    });
    app.view("case_entry", async ({ ack, view }) => {
      const procedure = view.state.values.procedure_block?.procedure?.value ?? "";
      seen.submittedProcedure = procedure;
      seen.privateMetadata = view.private_metadata;
      if (procedure === "") {
        await ack({ response_action: "errors", errors: { procedure_block: "Enter a procedure." } });
        return;
      }
      await ack();
    });
    app.event("app_home_opened", async ({ event, client }) => {
      seen.homeOpenedBy = event.user;
      await client.views.publish({ user_id: event.user, view: { type: "home", blocks: [] } });
    });

    const server = (await app.start({ port: 0, host: "127.0.0.1" })) as Server;
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app.stop();
  });

  it("delivers a slash command", async () => {
    const responseUrl = fake.responseUrl();

    const response = await sendSlashCommand(appUrl, SIGNING_SECRET, {
      userId: USER_ID,
      teamId: TEAM_ID,
      text: "CT head today @attending",
      command: "/caselog",
      channelId: "C0CASELOG",
      responseUrl,
    });

    expect(response.status).toBe(200);
    expect(response.json).toEqual({ text: "Received: CT head today @attending" });
    expect(seen.commandText).toBe("CT head today @attending");
    const opened = await fake.waitFor("views.open");
    expect(opened.args.trigger_id).toMatch(/^\d+\./);
    expect(opened.status).toBe(200);
  });

  it("passes retry headers to Bolt", async () => {
    const response = await sendSlashCommand(appUrl, SIGNING_SECRET, {
      userId: USER_ID,
      teamId: TEAM_ID,
      text: "retry",
      responseUrl: fake.responseUrl(),
      retryNum: 1,
      retryReason: "http_timeout",
    });

    expect(response.status).toBe(200);
    expect(seen.retryNum).toBe(1);
  });

  it("is rejected with a wrong signature", async () => {
    const response = await sendSlashCommand(appUrl, SIGNING_SECRET, {
      userId: USER_ID,
      teamId: TEAM_ID,
      text: "forged",
      responseUrl: fake.responseUrl(),
      invalidSignature: true,
    });

    expect(response.status).toBe(401);
  });

  it("is rejected with an old timestamp", async () => {
    const response = await sendSlashCommand(appUrl, SIGNING_SECRET, {
      userId: USER_ID,
      teamId: TEAM_ID,
      text: "stale",
      responseUrl: fake.responseUrl(),
      timestamp: Math.floor(Date.now() / 1000) - 10 * 60,
    });

    expect(response.status).toBe(401);
  });

  it("delivers a block action", async () => {
    const responseUrl = fake.responseUrl("button");
    const payload = blockActionPayload({ userId: USER_ID, teamId: TEAM_ID, actionId: "log_case", value: "42", responseUrl });

    const response = await sendBlockActions(appUrl, SIGNING_SECRET, payload);

    expect(response.status).toBe(200);
    const posted = await fake.waitFor((record): record is RecordedResponse => record.kind === "response");
    expect(posted.name).toBe("button");
    expect(posted.body).toEqual({ text: "Logged", replace_original: true });
    expect(seen.actionValue).toBe("42");
  });

  it("delivers a view submission", async () => {
    const payload = viewSubmissionPayload({
      userId: USER_ID,
      teamId: TEAM_ID,
      callbackId: "case_entry",
      privateMetadata: '{"channel":"C0CASELOG"}',
      values: { procedure_block: { procedure: { type: "plain_text_input", value: "CT head" } } },
    });

    const response = await sendViewSubmission(appUrl, SIGNING_SECRET, payload);

    expect(response.status).toBe(200);
    expect(response.body).toBe("");
    expect(seen.submittedProcedure).toBe("CT head");
    expect(seen.privateMetadata).toBe('{"channel":"C0CASELOG"}');
  });

  it("returns view submission errors", async () => {
    const payload = viewSubmissionPayload({
      userId: USER_ID,
      teamId: TEAM_ID,
      callbackId: "case_entry",
      privateMetadata: "",
      values: {
        procedure_block: { procedure: { type: "plain_text_input", value: null } },
        modality_block: { modality: { type: "static_select", selected_option: selectedOption("ct", "CT") } },
      },
    });

    const response = await sendViewSubmission(appUrl, SIGNING_SECRET, payload);

    expect(response.json).toEqual({ response_action: "errors", errors: { procedure_block: "Enter a procedure." } });
  });

  it("delivers app_home_opened", async () => {
    const payload = eventCallbackPayload({ teamId: TEAM_ID, event: appHomeOpenedEvent({ userId: USER_ID }) });

    const response = await sendEvent(appUrl, SIGNING_SECRET, payload);

    expect(response.status).toBe(200);
    const published = await fake.waitFor("views.publish");
    expect(published.args.user_id).toBe(USER_ID);
    expect(seen.homeOpenedBy).toBe(USER_ID);
  });
});
