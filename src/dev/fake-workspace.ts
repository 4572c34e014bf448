/**
 * State and default Web API replies of the fake Slack workspace: users, views, DM channels,
 * message timestamps and file uploads. The HTTP side lives in fake-slack.ts.
 */
import { randomBytes } from "node:crypto";

import { findMessageViolations, findViewViolations, formatViolations } from "./block-kit-limits.js";
import type { FakeIdentity } from "./slack-test-ids.js";

export type { FakeIdentity } from "./slack-test-ids.js";


/** Profile returned by `users.info`. A `tz` of null leaves the time zone fields out. */
export interface FakeUser {
  tz?: string | null;
  realName?: string;
  displayName?: string;
  name?: string;
  isBot?: boolean;
  deleted?: boolean;
}

/** A Web API request as the fake server parsed it. */
export interface ApiRequest {
  method: string;
  /** Arguments, with JSON-encoded object fields (`blocks`, `view`, ...) decoded. */
  args: Record<string, unknown>;
  /** Token from `Authorization: Bearer` or, failing that, the `token` argument. */
  token: string | undefined;
  contentType: string;
}

/** An HTTP reply. A string body is sent as is, and any other body is sent as JSON. */
export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}

export interface FakeWorkspaceOptions {
  identity: FakeIdentity;
  /** Origin of the fake server, used to build upload URLs. */
  baseUrl: string;
  /** When false, every known method succeeds without checking its arguments. */
  validateRequests: boolean;
  /** When set, calls with any other token fail with `invalid_auth`. */
  botToken?: string;
}

type JsonObject = Record<string, unknown>;

export const DEFAULT_USER_TIME_ZONE = "America/New_York";

function asObject(value: unknown): JsonObject | undefined {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    return value as JsonObject;
  }
  return undefined;
}

function stringArg(args: JsonObject, name: string): string | undefined {
  const value = args[name];
  if (typeof value === "string" && value !== "") {
    return value;
  }
  return typeof value === "number" ? String(value) : undefined;
}

function ok(body: JsonObject = {}): FakeReply {
  return { status: 200, body: { ok: true, ...body } };
}

/** Builds the HTTP 200 `{ ok: false }` reply that Slack uses for method errors. */
export function slackError(error: string, messages?: string[]): FakeReply {
  const body: JsonObject = { ok: false, error };
  if (messages !== undefined && messages.length > 0) {
    body.response_metadata = { messages };
  }
  return { status: 200, body };
}

/**
 * Returns the UTC offset in seconds and the long zone name of an IANA time zone at `at`, or
 * undefined when Intl does not know the zone.
 */
function describeTimeZone(timeZone: string, at: Date): { offsetSeconds: number; label: string } | undefined {
  try {
    const offsetName = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
      .formatToParts(at)
      .find((part) => part.type === "timeZoneName")?.value;
    const label = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "long" })
      .formatToParts(at)
      .find((part) => part.type === "timeZoneName")?.value;
    // longOffset names look like "GMT-05:00", or plain "GMT" for UTC.
    const match = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(offsetName ?? "");
    if (match === null) {
      return undefined;
    }
    const sign = match[1] === "-" ? -1 : 1;
    const offsetSeconds = match[1] === undefined ? 0 : sign * (Number(match[2]) * 3600 + Number(match[3]) * 60);
    return { offsetSeconds, label: label ?? timeZone };
  } catch (error) {
    if (error instanceof RangeError) {
      return undefined;
    }
    throw error;
  }
}

interface PendingFile {
  filename: string;
  length: number;
  uploaded: boolean;
}

type ReplyBuilder = (request: ApiRequest) => FakeReply;

export class FakeWorkspace {
  private readonly identity: FakeIdentity;
  private readonly baseUrl: string;
  private readonly validateRequests: boolean;
  private readonly botToken: string | undefined;
  private readonly startSeconds = Math.floor(Date.now() / 1000);
  private idCounter = 0;
  private tsCounter = 0;

  private users = new Map<string, FakeUser>();
  private views = new Map<string, JsonObject>();
  private viewIdsByExternalId = new Map<string, string>();
  private homeViewIds = new Map<string, string>();
  private usedTriggerIds = new Set<string>();
  private dmChannelIds = new Map<string, string>();
  private files = new Map<string, PendingFile>();

  private readonly replyBuilders: Record<string, ReplyBuilder> = {
    "auth.test": () => this.authTest(),
    "users.info": (request) => this.usersInfo(request.args),
    "conversations.open": (request) => this.conversationsOpen(request.args),
    "chat.postMessage": (request) => this.chatPostMessage(request.args),
    "chat.update": (request) => this.chatUpdate(request.args),
    "chat.postEphemeral": (request) => this.chatPostEphemeral(request.args),
    "chat.delete": (request) => this.chatDelete(request.args),
    "views.open": (request) => this.viewsOpen(request.args),
    "views.push": (request) => this.viewsOpen(request.args),
    "views.update": (request) => this.viewsUpdate(request.args),
    "views.publish": (request) => this.viewsPublish(request.args),
    "files.getUploadURLExternal": (request) => this.filesGetUploadUrlExternal(request.args),
    "files.completeUploadExternal": (request) => this.filesCompleteUploadExternal(request.args),
  };

  constructor(options: FakeWorkspaceOptions) {
    this.identity = options.identity;
    this.baseUrl = options.baseUrl;
    this.validateRequests = options.validateRequests;
    this.botToken = options.botToken;
  }

  /** Computes the default reply to a Web API call. Unknown methods get `{ ok: true }`. */
  reply(request: ApiRequest): FakeReply {
    if (this.validateRequests) {
      if (request.token === undefined || request.token === "") {
        return slackError("not_authed");
      }
      if (this.botToken !== undefined && request.token !== this.botToken) {
        return slackError("invalid_auth");
      }
    }
    const buildReply = this.replyBuilders[request.method];
    return buildReply === undefined ? ok() : buildReply(request);
  }

  setUser(userId: string, user: FakeUser): void {
    this.users.set(userId, { ...this.users.get(userId), ...user });
  }

  /** Returns the current state of a view opened, pushed, updated or published through the fake. */
  view(viewId: string): JsonObject | undefined {
    return this.views.get(viewId);
  }

  /** Returns the Home tab view last published for a user. */
  homeView(userId: string): JsonObject | undefined {
    const viewId = this.homeViewIds.get(userId);
    return viewId === undefined ? undefined : this.views.get(viewId);
  }

  /** Marks a file as uploaded. Returns false when no upload URL was issued for the id. */
  markUploaded(fileId: string): boolean {
    const file = this.files.get(fileId);
    if (file === undefined) {
      return false;
    }
    file.uploaded = true;
    return true;
  }

  /** Forgets users, views, triggers, DM channels and files. Id and ts counters keep counting. */
  reset(): void {
    this.users = new Map();
    this.views = new Map();
    this.viewIdsByExternalId = new Map();
    this.homeViewIds = new Map();
    this.usedTriggerIds = new Set();
    this.dmChannelIds = new Map();
    this.files = new Map();
  }

  private nextId(prefix: string): string {
    this.idCounter += 1;
    return `${prefix}0FAKE${this.idCounter.toString(36).toUpperCase().padStart(4, "0")}`;
  }

  /** Returns message timestamps that increase with every call, as Slack's do within a channel. */
  private nextTs(): string {
    this.tsCounter += 1;
    return `${this.startSeconds}.${String(this.tsCounter).padStart(6, "0")}`;
  }

  private nextHash(): string {
    return `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString("hex")}`;
  }

  private dmChannelFor(userIds: string): { id: string; existed: boolean } {
    const key = userIds
      .split(",")
      .map((id) => id.trim())
      .filter((id) => id !== "")
      .sort()
      .join(",");
    const existing = this.dmChannelIds.get(key);
    if (existing !== undefined) {
      return { id: existing, existed: true };
    }
    const id = this.nextId("D");
    this.dmChannelIds.set(key, id);
    return { id, existed: false };
  }

  private authTest(): FakeReply {
    return ok({
      url: `https://${this.identity.teamDomain}.slack.com/`,
      team: "Caselog Test",
      user: "caselog",
      team_id: this.identity.teamId,
      user_id: this.identity.botUserId,
      bot_id: this.identity.botId,
      is_enterprise_install: false,
    });
  }

  private usersInfo(args: JsonObject): FakeReply {
    const userId = stringArg(args, "user");
    if (userId === undefined) {
      return slackError("user_not_found");
    }
    const user = this.users.get(userId) ?? {};
    const name = user.name ?? `user_${userId.toLowerCase()}`;
    const realName = user.realName ?? `Test User ${userId}`;
    const body: JsonObject = {
      id: userId,
      team_id: this.identity.teamId,
      name,
      real_name: realName,
      deleted: user.deleted ?? false,
      is_bot: user.isBot ?? false,
      profile: { display_name: user.displayName ?? name, real_name: realName },
    };

    const timeZone = user.tz === undefined ? DEFAULT_USER_TIME_ZONE : user.tz;
    if (timeZone !== null) {
      // An unknown zone is passed through unchanged, so tests can check how the app rejects it.
      const zone = describeTimeZone(timeZone, new Date());
      body.tz = timeZone;
      body.tz_label = zone?.label ?? timeZone;
      body.tz_offset = zone?.offsetSeconds ?? 0;
    }
    return ok({ user: body });
  }

  private conversationsOpen(args: JsonObject): FakeReply {
    const channel = stringArg(args, "channel");
    if (channel !== undefined) {
      return ok({ no_op: true, already_open: true, channel: { id: channel } });
    }
    const users = stringArg(args, "users");
    if (users === undefined) {
      return slackError("users_list_not_supplied");
    }
    const dm = this.dmChannelFor(users);
    return ok({ no_op: dm.existed, already_open: dm.existed, channel: { id: dm.id } });
  }

  /** Returns an error reply when message arguments break a rule that Slack enforces, else undefined. */
  private checkMessageArgs(args: JsonObject): FakeReply | undefined {
    if (!this.validateRequests) {
      return undefined;
    }
    if (stringArg(args, "channel") === undefined) {
      return slackError("channel_not_found");
    }
    const hasContent = stringArg(args, "text") !== undefined || args.blocks !== undefined || args.attachments !== undefined;
    if (!hasContent) {
      return slackError("no_text");
    }
    const violations = findMessageViolations(args.blocks);
    if (violations.length > 0) {
      return slackError("invalid_blocks", formatViolations(violations));
    }
    return undefined;
  }

  private messageBody(args: JsonObject, ts: string): JsonObject {
    const message: JsonObject = {
      type: "message",
      text: stringArg(args, "text") ?? "",
      user: this.identity.botUserId,
      bot_id: this.identity.botId,
      app_id: this.identity.appId,
      team: this.identity.teamId,
      ts,
    };
    if (args.blocks !== undefined) {
      message.blocks = args.blocks;
    }
    const threadTs = stringArg(args, "thread_ts");
    if (threadTs !== undefined) {
      message.thread_ts = threadTs;
    }
    return message;
  }

  private chatPostMessage(args: JsonObject): FakeReply {
    const error = this.checkMessageArgs(args);
    if (error !== undefined) {
      return error;
    }
    let channel = stringArg(args, "channel") ?? "";
    // Slack accepts a user id as the channel and posts to the bot's DM with that user.
    if (/^[UW]/.test(channel)) {
      channel = this.dmChannelFor(channel).id;
    }
    const ts = this.nextTs();
    return ok({ channel, ts, message: this.messageBody(args, ts) });
  }

  private chatUpdate(args: JsonObject): FakeReply {
    const error = this.checkMessageArgs(args);
    if (error !== undefined) {
      return error;
    }
    const ts = stringArg(args, "ts");
    if (this.validateRequests && ts === undefined) {
      return slackError("message_not_found");
    }
    return ok({
      channel: stringArg(args, "channel"),
      ts,
      text: stringArg(args, "text") ?? "",
      message: this.messageBody(args, ts ?? ""),
    });
  }

  private chatPostEphemeral(args: JsonObject): FakeReply {
    if (this.validateRequests && stringArg(args, "user") === undefined) {
      return slackError("user_not_in_channel");
    }
    const error = this.checkMessageArgs(args);
    if (error !== undefined) {
      return error;
    }
    return ok({ message_ts: this.nextTs() });
  }

  private chatDelete(args: JsonObject): FakeReply {
    return ok({ channel: stringArg(args, "channel"), ts: stringArg(args, "ts") });
  }

  /** Returns an error reply when a view argument breaks a rule that Slack enforces, else undefined. */
  private checkView(view: unknown, expectedType: "modal" | "home"): FakeReply | undefined {
    if (!this.validateRequests) {
      return undefined;
    }
    const violations = findViewViolations(view);
    if (violations.length > 0) {
      return slackError("invalid_arguments", formatViolations(violations));
    }
    const type = asObject(view)?.type;
    if (type !== expectedType) {
      return slackError("invalid_arguments", [`[ERROR] must be "${expectedType}" [json-pointer:/view/type]`]);
    }
    const externalId = asObject(view)?.external_id;
    if (typeof externalId === "string" && externalId !== "" && this.viewIdsByExternalId.has(externalId)) {
      return slackError("duplicate_external_id");
    }
    return undefined;
  }

  /** Stores a view under `viewId` and returns what Slack would return as `view`. */
  private storeView(viewId: string, viewArgs: JsonObject, previous: JsonObject | undefined): JsonObject {
    const stored: JsonObject = {
      team_id: this.identity.teamId,
      blocks: [],
      private_metadata: "",
      callback_id: "",
      external_id: "",
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: null,
      previous_view_id: previous?.previous_view_id ?? null,
      ...viewArgs,
      id: viewId,
      hash: this.nextHash(),
      state: { values: {} },
      root_view_id: previous?.root_view_id ?? viewId,
      app_id: this.identity.appId,
      app_installed_team_id: this.identity.teamId,
      bot_id: this.identity.botId,
    };
    this.views.set(viewId, stored);
    if (typeof stored.external_id === "string" && stored.external_id !== "") {
      this.viewIdsByExternalId.set(stored.external_id, viewId);
    }
    return stored;
  }

  /** Replies to `views.open` and `views.push`, which both exchange a one-time trigger id for a modal. */
  private viewsOpen(args: JsonObject): FakeReply {
    const triggerId = stringArg(args, "trigger_id") ?? stringArg(args, "interactivity_pointer");
    if (this.validateRequests) {
      if (triggerId === undefined) {
        return slackError("invalid_arguments", ["[ERROR] missing required field: trigger_id"]);
      }
      if (this.usedTriggerIds.has(triggerId)) {
        return slackError("invalid_arguments", ["invalid `trigger_id`: already used"]);
      }
    }
    const error = this.checkView(args.view, "modal");
    if (error !== undefined) {
      return error;
    }
    if (triggerId !== undefined) {
      this.usedTriggerIds.add(triggerId);
    }
    return ok({ view: this.storeView(this.nextId("V"), asObject(args.view) ?? {}, undefined) });
  }

  private viewsUpdate(args: JsonObject): FakeReply {
    const externalId = stringArg(args, "external_id");
    const viewId =
      stringArg(args, "view_id") ?? (externalId === undefined ? undefined : this.viewIdsByExternalId.get(externalId));
    const existing = viewId === undefined ? undefined : this.views.get(viewId);

    if (this.validateRequests) {
      if (stringArg(args, "view_id") === undefined && externalId === undefined) {
        return slackError("invalid_arguments", ["[ERROR] missing required field: view_id or external_id"]);
      }
      if (existing === undefined) {
        return slackError("not_found");
      }
      const hash = stringArg(args, "hash");
      if (hash !== undefined && hash !== existing.hash) {
        return slackError("hash_conflict");
      }
      const violations = findViewViolations(args.view);
      if (violations.length > 0) {
        return slackError("invalid_arguments", formatViolations(violations));
      }
    }
    const viewArgs = asObject(args.view) ?? {};
    return ok({ view: this.storeView(viewId ?? this.nextId("V"), viewArgs, existing) });
  }

  private viewsPublish(args: JsonObject): FakeReply {
    const userId = stringArg(args, "user_id");
    if (this.validateRequests && userId === undefined) {
      return slackError("invalid_arguments", ["[ERROR] missing required field: user_id"]);
    }
    const existingId = userId === undefined ? undefined : this.homeViewIds.get(userId);
    const existing = existingId === undefined ? undefined : this.views.get(existingId);

    const hash = stringArg(args, "hash");
    if (this.validateRequests && hash !== undefined && existing !== undefined && hash !== existing.hash) {
      return slackError("hash_conflict");
    }
    const error = this.checkView(args.view, "home");
    if (error !== undefined) {
      return error;
    }
    // Each user has one Home tab view, so its id stays the same across publishes.
    const viewId = existingId ?? this.nextId("V");
    if (userId !== undefined) {
      this.homeViewIds.set(userId, viewId);
    }
    return ok({ view: this.storeView(viewId, asObject(args.view) ?? {}, existing) });
  }

  private filesGetUploadUrlExternal(args: JsonObject): FakeReply {
    const filename = stringArg(args, "filename");
    const length = Number(args.length);
    if (this.validateRequests && (filename === undefined || !Number.isInteger(length) || length < 0)) {
      return slackError("invalid_arguments", ["[ERROR] filename and a non-negative integer length are required"]);
    }
    const fileId = this.nextId("F");
    this.files.set(fileId, { filename: filename ?? "", length, uploaded: false });
    return ok({ upload_url: `${this.baseUrl}/upload/${fileId}`, file_id: fileId });
  }

  private filesCompleteUploadExternal(args: JsonObject): FakeReply {
    const files = args.files;
    if (!Array.isArray(files)) {
      return this.validateRequests
        ? slackError("invalid_arguments", ["[ERROR] files must be a JSON array of {id, title}"])
        : ok({ files: [] });
    }
    const completed = files.map((entry) => {
      const file = asObject(entry) ?? {};
      const id = typeof file.id === "string" ? file.id : "";
      const pending = this.files.get(id);
      return {
        id,
        name: pending?.filename ?? "",
        title: typeof file.title === "string" ? file.title : (pending?.filename ?? ""),
        size: pending?.length ?? 0,
        user: this.identity.botUserId,
      };
    });
    return ok({ files: completed });
  }
}
