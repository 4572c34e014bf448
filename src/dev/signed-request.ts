/**
 * Sends requests to the app the way Slack does: form-encoded slash commands, interaction
 * payloads in a `payload=` form field, and JSON Events API callbacks, each signed with the
 * signing secret (`v0=` + HMAC-SHA256 hex of `v0:{timestamp}:{raw body}`).
 */
import { createHmac, randomBytes } from "node:crypto";

import { DEFAULT_CHANNEL_ID, DEFAULT_IDENTITY } from "./slack-test-ids.js";

export { DEFAULT_CHANNEL_ID } from "./slack-test-ids.js";

export const SLACK_EVENTS_PATH = "/slack/events";
/** Legacy verification token that Slack still sends in bodies. Bolt does not check it. */
export const DEFAULT_VERIFICATION_TOKEN = "fake-verification-token";
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Ways to deviate from a correctly signed, first-attempt request. */
export interface SignedRequestOptions {
  /** Signs with a different secret, so the signature is well formed but wrong. */
  invalidSignature?: boolean;
  /** Unix time in seconds for `x-slack-request-timestamp`. Pass an old one to test staleness. */
  timestamp?: number;
  /** Sets `x-slack-retry-num`, as Slack does when it resends an unacknowledged request. */
  retryNum?: number;
  /** Sets `x-slack-retry-reason`, e.g. "http_timeout". */
  retryReason?: string;
  /** Extra headers, sent after the computed ones so they can replace them. */
  headers?: Record<string, string>;
  /** Aborts the request after this many milliseconds. */
  timeoutMs?: number;
}

export interface SlackHttpResponse {
  status: number;
  headers: Headers;
  /** Response body as text, empty when a Bolt listener calls `ack()` without arguments. */
  body: string;
  /** Parsed body, when the body is JSON. */
  json?: unknown;
}

let triggerCounter = 0;

/** Returns a trigger id in Slack's format that no other call in this process returns. */
export function newTriggerId(): string {
  triggerCounter += 1;
  return `${Date.now()}.${triggerCounter}.${randomBytes(8).toString("hex")}`;
}

/** Computes the `x-slack-signature` value for a raw body. */
export function signSlackRequest(signingSecret: string, timestamp: number, rawBody: string): string {
  const digest = createHmac("sha256", signingSecret).update(`v0:${timestamp}:${rawBody}`).digest("hex");
  return `v0=${digest}`;
}

/** Resolves the request URL: a bare origin gets the default path "/slack/events". */
export function eventsUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.pathname === "/" || url.pathname === "") {
    url.pathname = SLACK_EVENTS_PATH;
  }
  return url.toString();
}

/** Sends a raw body signed with `signingSecret` and returns the app's response. */
export async function sendSignedRequest(
  baseUrl: string,
  signingSecret: string,
  rawBody: string,
  contentType: string,
  options: SignedRequestOptions = {},
): Promise<SlackHttpResponse> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const secret = options.invalidSignature ? `${signingSecret}-wrong` : signingSecret;
  const headers: Record<string, string> = {
    "content-type": contentType,
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": signSlackRequest(secret, timestamp, rawBody),
  };
  if (options.retryNum !== undefined) {
    headers["x-slack-retry-num"] = String(options.retryNum);
  }
  if (options.retryReason !== undefined) {
    headers["x-slack-retry-reason"] = options.retryReason;
  }
  Object.assign(headers, options.headers);

  const response = await fetch(eventsUrl(baseUrl), {
    method: "POST",
    headers,
    body: rawBody,
    signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
  });
  const body = await response.text();
  const result: SlackHttpResponse = { status: response.status, headers: response.headers, body };
  if (body !== "") {
    try {
      result.json = JSON.parse(body);
    } catch {
      // The body is plain text, such as Bolt's "OK" or an error page.
    }
  }
  return result;
}

export interface SlashCommandParams extends SignedRequestOptions {
  userId: string;
  teamId: string;
  text: string;
  /** Defaults to "/caselog". */
  command?: string;
  channelId?: string;
  /** Defaults to "directmessage" for a D channel and "general" otherwise. */
  channelName?: string;
  userName?: string;
  teamDomain?: string;
  apiAppId?: string;
  responseUrl: string;
  /** Defaults to a fresh trigger id from `newTriggerId()`. */
  triggerId?: string;
}

/** Builds the form body Slack posts for a slash command. */
export function slashCommandForm(params: SlashCommandParams): URLSearchParams {
  const channelId = params.channelId ?? DEFAULT_CHANNEL_ID;
  return new URLSearchParams({
    token: DEFAULT_VERIFICATION_TOKEN,
    team_id: params.teamId,
    team_domain: params.teamDomain ?? DEFAULT_IDENTITY.teamDomain,
    channel_id: channelId,
    channel_name: params.channelName ?? (channelId.startsWith("D") ? "directmessage" : "general"),
    user_id: params.userId,
    user_name: params.userName ?? `user_${params.userId.toLowerCase()}`,
    command: params.command ?? "/caselog",
    text: params.text,
    api_app_id: params.apiAppId ?? DEFAULT_IDENTITY.appId,
    is_enterprise_install: "false",
    response_url: params.responseUrl,
    trigger_id: params.triggerId ?? newTriggerId(),
  });
}

/** Sends a signed slash command, form-encoded as Slack sends it. */
export function sendSlashCommand(
  baseUrl: string,
  signingSecret: string,
  params: SlashCommandParams,
): Promise<SlackHttpResponse> {
  const body = slashCommandForm(params).toString();
  return sendSignedRequest(baseUrl, signingSecret, body, "application/x-www-form-urlencoded", params);
}

/** Sends any interaction payload as Slack does: JSON in the `payload` form field. */
export function sendInteraction(
  baseUrl: string,
  signingSecret: string,
  payload: object,
  options: SignedRequestOptions = {},
): Promise<SlackHttpResponse> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return sendSignedRequest(baseUrl, signingSecret, body, "application/x-www-form-urlencoded", options);
}

/** Sends a signed `block_actions` payload, e.g. from `blockActionPayload()`. */
export function sendBlockActions(
  baseUrl: string,
  signingSecret: string,
  payload: object,
  options: SignedRequestOptions = {},
): Promise<SlackHttpResponse> {
  return sendInteraction(baseUrl, signingSecret, payload, options);
}

/** Sends a signed `view_submission` payload, e.g. from `viewSubmissionPayload()`. */
export function sendViewSubmission(
  baseUrl: string,
  signingSecret: string,
  payload: object,
  options: SignedRequestOptions = {},
): Promise<SlackHttpResponse> {
  return sendInteraction(baseUrl, signingSecret, payload, options);
}

/** Sends a signed Events API callback as JSON, e.g. from `eventCallbackPayload()`. */
export function sendEvent(
  baseUrl: string,
  signingSecret: string,
  payload: object,
  options: SignedRequestOptions = {},
): Promise<SlackHttpResponse> {
  return sendSignedRequest(baseUrl, signingSecret, JSON.stringify(payload), "application/json", options);
}

// ---------------------------------------------------------------------------
// Payload builders
// ---------------------------------------------------------------------------

export interface PlainTextObject {
  type: "plain_text";
  text: string;
  emoji?: boolean;
}

export interface SelectedOption {
  text: PlainTextObject;
  value: string;
}

/** One input's entry in `view.state.values`, keyed there by block id and then action id. */
export interface ViewStateValue {
  type: string;
  value?: string | null;
  selected_option?: SelectedOption | null;
  selected_options?: SelectedOption[];
  selected_date?: string | null;
  selected_time?: string | null;
  selected_user?: string | null;
  selected_users?: string[];
  selected_conversation?: string | null;
  selected_channel?: string | null;
}

export type ViewStateValues = Record<string, Record<string, ViewStateValue>>;

/** Builds an option as it appears in `selected_option` and `selected_options`. */
export function selectedOption(value: string, text: string = value): SelectedOption {
  return { text: { type: "plain_text", text, emoji: true }, value };
}

function userObject(userId: string, teamId: string): Record<string, string> {
  const name = `user_${userId.toLowerCase()}`;
  return { id: userId, username: name, name, team_id: teamId };
}

function actionTs(): string {
  const nowMs = Date.now();
  return `${Math.floor(nowMs / 1000)}.${String((nowMs % 1000) * 1000).padStart(6, "0")}`;
}

let viewCounter = 0;

function newViewId(): string {
  viewCounter += 1;
  return `V0PAYLOAD${viewCounter.toString(36).toUpperCase().padStart(4, "0")}`;
}

export interface BlockActionParams {
  userId: string;
  teamId: string;
  actionId: string;
  /** The element's `value`, as a button sends it. */
  value?: string;
  /** Defaults to "actions". */
  blockId?: string;
  /** Element type, "button" by default. */
  actionType?: string;
  /** Extra fields for the action, e.g. `{ selected_option }` for a select menu. */
  action?: Record<string, unknown>;
  /** Slack sends a response URL for actions in messages, but not for actions in views. */
  responseUrl?: string;
  /** Defaults to a fresh trigger id from `newTriggerId()`. */
  triggerId?: string;
  /**
   * The modal or Home tab view holding the element, e.g. the `view` a `views.open` call
   * returned. When set, the container is that view rather than a message.
   */
  view?: Record<string, unknown>;
  /** Replaces the computed container. */
  container?: Record<string, unknown>;
  /** Channel of the message holding the element, DEFAULT_CHANNEL_ID by default. */
  channelId?: string;
  /** Timestamp of the message holding the element. */
  messageTs?: string;
  /** True when the element is on an ephemeral message, which Slack then leaves out of the payload. */
  isEphemeral?: boolean;
  apiAppId?: string;
}

/** Builds a `block_actions` payload for one element, in a message or in a view. */
export function blockActionPayload(params: BlockActionParams): Record<string, unknown> {
  const action: Record<string, unknown> = {
    type: params.actionType ?? "button",
    action_id: params.actionId,
    block_id: params.blockId ?? "actions",
    action_ts: actionTs(),
    ...params.action,
  };
  if (params.value !== undefined) {
    action.value = params.value;
  }

  const payload: Record<string, unknown> = {
    type: "block_actions",
    user: userObject(params.userId, params.teamId),
    api_app_id: params.apiAppId ?? DEFAULT_IDENTITY.appId,
    token: DEFAULT_VERIFICATION_TOKEN,
    trigger_id: params.triggerId ?? newTriggerId(),
    team: { id: params.teamId, domain: DEFAULT_IDENTITY.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    actions: [action],
  };

  if (params.view !== undefined) {
    const viewId = params.view.id;
    payload.container = params.container ?? { type: "view", view_id: viewId };
    payload.view = { state: { values: {} }, ...params.view };
  } else {
    const channelId = params.channelId ?? DEFAULT_CHANNEL_ID;
    const messageTs = params.messageTs ?? actionTs();
    const isEphemeral = params.isEphemeral ?? false;
    payload.container = params.container ?? {
      type: "message",
      message_ts: messageTs,
      channel_id: channelId,
      is_ephemeral: isEphemeral,
    };
    payload.channel = { id: channelId, name: channelId.startsWith("D") ? "directmessage" : "general" };
    payload.state = { values: {} };
    if (!isEphemeral) {
      payload.message = { type: "message", ts: messageTs, text: "", user: DEFAULT_IDENTITY.botUserId, blocks: [] };
    }
  }
  if (params.responseUrl !== undefined) {
    payload.response_url = params.responseUrl;
  }
  return payload;
}

export interface ViewSubmissionParams {
  userId: string;
  teamId: string;
  callbackId: string;
  privateMetadata: string;
  values: ViewStateValues;
  /** Defaults to a fresh view id. */
  viewId?: string;
  /** Fields merged into the submitted view, e.g. the `blocks` and `hash` of an opened view. */
  view?: Record<string, unknown>;
  /** Response URLs, present when the modal has an input with `response_url_enabled`. */
  responseUrls?: { block_id: string; action_id: string; channel_id: string; response_url: string }[];
  /** Defaults to a fresh trigger id from `newTriggerId()`. */
  triggerId?: string;
  apiAppId?: string;
}

/** Builds a `view_submission` payload for a modal with the given state values. */
export function viewSubmissionPayload(params: ViewSubmissionParams): Record<string, unknown> {
  const viewId = params.viewId ?? newViewId();
  const apiAppId = params.apiAppId ?? DEFAULT_IDENTITY.appId;
  return {
    type: "view_submission",
    team: { id: params.teamId, domain: DEFAULT_IDENTITY.teamDomain },
    user: userObject(params.userId, params.teamId),
    api_app_id: apiAppId,
    token: DEFAULT_VERIFICATION_TOKEN,
    trigger_id: params.triggerId ?? newTriggerId(),
    view: {
      id: viewId,
      team_id: params.teamId,
      type: "modal",
      title: { type: "plain_text", text: "Caselog", emoji: true },
      blocks: [],
      close: null,
      submit: { type: "plain_text", text: "Save", emoji: true },
      hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString("hex")}`,
      clear_on_close: false,
      notify_on_close: false,
      previous_view_id: null,
      root_view_id: viewId,
      app_id: apiAppId,
      external_id: "",
      app_installed_team_id: params.teamId,
      bot_id: DEFAULT_IDENTITY.botId,
      ...params.view,
      private_metadata: params.privateMetadata,
      callback_id: params.callbackId,
      state: { values: params.values },
    },
    response_urls: params.responseUrls ?? [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export interface EventCallbackParams {
  teamId: string;
  /** The inner event, e.g. from `appHomeOpenedEvent()`. */
  event: Record<string, unknown>;
  /** Bot user the event is delivered to. Defaults to the fake Slack server's bot user. */
  botUserId?: string;
  apiAppId?: string;
}

let eventCounter = 0;

/** Wraps an event in the `event_callback` envelope of the Events API. */
export function eventCallbackPayload(params: EventCallbackParams): Record<string, unknown> {
  eventCounter += 1;
  return {
    token: DEFAULT_VERIFICATION_TOKEN,
    team_id: params.teamId,
    api_app_id: params.apiAppId ?? DEFAULT_IDENTITY.appId,
    event: params.event,
    type: "event_callback",
    event_id: `Ev0FAKE${eventCounter.toString(36).toUpperCase().padStart(4, "0")}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: params.teamId,
        user_id: params.botUserId ?? DEFAULT_IDENTITY.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}

export interface AppHomeOpenedParams {
  userId: string;
  /** Defaults to "home". */
  tab?: "home" | "messages";
  /** The DM channel between the user and the bot. */
  channelId?: string;
  /** Home tab view last published for the user, if any. */
  view?: Record<string, unknown>;
}

/** Builds an `app_home_opened` event, sent each time a user opens the app's Home or Messages tab. */
export function appHomeOpenedEvent(params: AppHomeOpenedParams): Record<string, unknown> {
  const event: Record<string, unknown> = {
    type: "app_home_opened",
    user: params.userId,
    channel: params.channelId ?? "D0CASELOG",
    tab: params.tab ?? "home",
    event_ts: actionTs(),
  };
  if (params.view !== undefined) {
    event.view = params.view;
  }
  return event;
}
