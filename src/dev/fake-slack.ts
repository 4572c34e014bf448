/**
 * A fake Slack Web API and response URL server on 127.0.0.1 for end-to-end tests and for
 * `npm run try`.
 *
 * Point the app's Web API client at `fake.apiUrl` (Bolt: `clientOptions.slackApiUrl`). Every
 * call is recorded and gets a Slack-shaped JSON reply from FakeWorkspace, unless a test
 * overrides the method with `respondWith`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import {
  type ApiRequest,
  type FakeIdentity,
  type FakeReply,
  type FakeUser,
  FakeWorkspace,
  slackError,
} from "./fake-workspace.js";
import { DEFAULT_IDENTITY } from "./slack-test-ids.js";

export type { ApiRequest, FakeIdentity, FakeReply, FakeUser } from "./fake-workspace.js";
export { DEFAULT_USER_TIME_ZONE } from "./fake-workspace.js";
export { DEFAULT_IDENTITY } from "./slack-test-ids.js";

/** A Web API call received by the fake, with the reply it got. */
export interface RecordedCall extends ApiRequest {
  kind: "call";
  status: number;
  reply: unknown;
  receivedAt: number;
}

/** A POST to a response URL made by `fake.responseUrl()`. */
export interface RecordedResponse {
  kind: "response";
  url: string;
  name: string | undefined;
  /** Parsed JSON body, or the raw text when the body is not JSON. */
  body: unknown;
  contentType: string;
  receivedAt: number;
}

/** File bytes sent to an upload URL from `files.getUploadURLExternal`. */
export interface RecordedUpload {
  kind: "upload";
  fileId: string;
  contentType: string;
  /** File contents: the multipart file part or the `body` form field, else the raw body. */
  data: Buffer;
  receivedAt: number;
}

export type FakeSlackRecord = RecordedCall | RecordedResponse | RecordedUpload;

/**
 * Computes the reply to an overridden method. `defaultReply` returns the reply the fake would
 * have sent, so a handler can fail only some calls.
 */
export type MethodHandler = (request: ApiRequest, defaultReply: () => FakeReply) => FakeReply | Promise<FakeReply>;

export interface FakeSlackOptions extends Partial<FakeIdentity> {
  /** When set, API calls with another token fail with `invalid_auth`. */
  botToken?: string;
  /**
   * When true (the default), methods reject what Slack rejects: missing tokens, reused or
   * missing trigger ids, unknown view ids, hash conflicts and Block Kit size limits.
   */
  validateRequests?: boolean;
}

export interface FakeSlack {
  /** Origin of the server, e.g. "http://127.0.0.1:53211". */
  readonly baseUrl: string;
  /** Web API base URL ending in "/api/", for `slackApiUrl`. */
  readonly apiUrl: string;
  readonly identity: FakeIdentity;
  /** Sets the profile and time zone that `users.info` returns for a user. */
  setUser(userId: string, user: FakeUser): void;
  /** Replaces the reply of one Web API method until `reset()`. */
  respondWith(method: string, handler: MethodHandler | FakeReply): void;
  /**
   * Creates a response URL on this server. `name` is recorded with each post to it. Every post
   * gets `{ ok: true }`, so Slack's limit of 5 posts in 30 minutes is not enforced.
   */
  responseUrl(name?: string): string;
  /** Lists recorded Web API calls, optionally of one method, oldest first. */
  calls(method?: string): RecordedCall[];
  /** Lists posts to response URLs, optionally to one URL, oldest first. */
  responses(url?: string): RecordedResponse[];
  uploads(): RecordedUpload[];
  /** Returns the current state of a view opened, pushed, updated or published through the fake. */
  view(viewId: string): Record<string, unknown> | undefined;
  /** Returns the Home tab view last published for a user. */
  homeView(userId: string): Record<string, unknown> | undefined;
  /**
   * Resolves with the first record, old or new, that matches. A string matches Web API calls
   * of that method. Rejects after `timeoutMs` (default 2000).
   */
  waitFor(method: string, timeoutMs?: number): Promise<RecordedCall>;
  waitFor<T extends FakeSlackRecord>(predicate: (record: FakeSlackRecord) => record is T, timeoutMs?: number): Promise<T>;
  waitFor(predicate: (record: FakeSlackRecord) => boolean, timeoutMs?: number): Promise<FakeSlackRecord>;
  /**
   * Clears records, overrides, users, views, used trigger ids, DM channels and files.
   * Response URLs keep working.
   */
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_WAIT_TIMEOUT_MS = 2000;

/** Arguments holding free text, which stay strings even when they look like JSON. */
const FREE_TEXT_ARGS = new Set([
  "text",
  "markdown_text",
  "title",
  "initial_comment",
  "alt_text",
  "filename",
  "content",
  "query",
  "name",
  "topic",
  "purpose",
]);

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

/** Decodes arguments that the Web API client sent as JSON strings, such as `blocks` and `view`. */
function decodeJsonArgs(args: Record<string, unknown>): Record<string, unknown> {
  const decoded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    decoded[key] = value;
    if (typeof value !== "string" || FREE_TEXT_ARGS.has(key) || !/^\s*[[{]/.test(value)) {
      continue;
    }
    try {
      decoded[key] = JSON.parse(value);
    } catch {
      // Not JSON after all, so the argument stays a string.
    }
  }
  return decoded;
}

/** Parses a multipart body with the platform's own parser, which only Request exposes. */
function parseMultipart(contentType: string, raw: Buffer): Promise<FormData> {
  return new Request("http://127.0.0.1/", {
    method: "POST",
    headers: { "content-type": contentType },
    body: Uint8Array.from(raw),
  }).formData();
}

/** Parses a form, multipart or JSON body. Multipart file parts become `{ filename, size, type }`. */
async function parseArgs(contentType: string, raw: Buffer): Promise<Record<string, unknown>> {
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (raw.length === 0) {
    return {};
  }
  if (mediaType === "application/json") {
    const parsed: unknown = JSON.parse(raw.toString("utf8"));
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  }
  if (mediaType === "multipart/form-data") {
    const form = await parseMultipart(contentType, raw);
    const args: Record<string, unknown> = {};
    for (const [key, value] of form.entries()) {
      args[key] = typeof value === "string" ? value : { filename: value.name, size: value.size, type: value.type };
    }
    return args;
  }
  return Object.fromEntries(new URLSearchParams(raw.toString("utf8")));
}

/** Extracts the file bytes from the body that `WebClient.filesUploadV2` posts to an upload URL. */
async function extractUploadData(contentType: string, raw: Buffer): Promise<Buffer> {
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (mediaType === "multipart/form-data") {
    const form = await parseMultipart(contentType, raw);
    for (const value of form.values()) {
      return typeof value === "string" ? Buffer.from(value) : Buffer.from(await value.arrayBuffer());
    }
    return Buffer.alloc(0);
  }
  if (mediaType === "application/x-www-form-urlencoded") {
    const body = new URLSearchParams(raw.toString("utf8")).get("body");
    if (body !== null) {
      return Buffer.from(body);
    }
  }
  return raw;
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  return match?.[1];
}

function sendReply(response: ServerResponse, reply: FakeReply): void {
  const isText = typeof reply.body === "string";
  const payload = isText ? (reply.body as string) : JSON.stringify(reply.body);
  response.writeHead(reply.status ?? 200, {
    "content-type": isText ? "text/plain; charset=utf-8" : "application/json; charset=utf-8",
    ...reply.headers,
  });
  response.end(payload);
}

interface Waiter {
  predicate: (record: FakeSlackRecord) => boolean;
  resolve: (record: FakeSlackRecord) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

class FakeSlackServer implements FakeSlack {
  readonly baseUrl: string;
  readonly apiUrl: string;
  readonly identity: FakeIdentity;
  private readonly server: Server;
  private readonly workspace: FakeWorkspace;
  private records: FakeSlackRecord[] = [];
  private handlers = new Map<string, MethodHandler>();
  private responseUrlNames = new Map<string, string | undefined>();
  private responseUrlCounter = 0;
  private waiters = new Set<Waiter>();

  constructor(server: Server, baseUrl: string, identity: FakeIdentity, options: FakeSlackOptions) {
    this.server = server;
    this.baseUrl = baseUrl;
    this.apiUrl = `${baseUrl}/api/`;
    this.identity = identity;
    this.workspace = new FakeWorkspace({
      identity,
      baseUrl,
      validateRequests: options.validateRequests ?? true,
      botToken: options.botToken,
    });
  }

  setUser(userId: string, user: FakeUser): void {
    this.workspace.setUser(userId, user);
  }

  respondWith(method: string, handler: MethodHandler | FakeReply): void {
    this.handlers.set(method, typeof handler === "function" ? handler : () => handler);
  }

  responseUrl(name?: string): string {
    this.responseUrlCounter += 1;
    const url = `${this.baseUrl}/response/${this.responseUrlCounter}`;
    this.responseUrlNames.set(url, name);
    return url;
  }

  calls(method?: string): RecordedCall[] {
    return this.records.filter(
      (record): record is RecordedCall => record.kind === "call" && (method === undefined || record.method === method),
    );
  }

  responses(url?: string): RecordedResponse[] {
    return this.records.filter(
      (record): record is RecordedResponse => record.kind === "response" && (url === undefined || record.url === url),
    );
  }

  uploads(): RecordedUpload[] {
    return this.records.filter((record): record is RecordedUpload => record.kind === "upload");
  }

  view(viewId: string): Record<string, unknown> | undefined {
    return this.workspace.view(viewId);
  }

  homeView(userId: string): Record<string, unknown> | undefined {
    return this.workspace.homeView(userId);
  }

  waitFor(method: string, timeoutMs?: number): Promise<RecordedCall>;
  waitFor<T extends FakeSlackRecord>(predicate: (record: FakeSlackRecord) => record is T, timeoutMs?: number): Promise<T>;
  waitFor(predicate: (record: FakeSlackRecord) => boolean, timeoutMs?: number): Promise<FakeSlackRecord>;
  waitFor(
    matcher: string | ((record: FakeSlackRecord) => boolean),
    timeoutMs = DEFAULT_WAIT_TIMEOUT_MS,
  ): Promise<FakeSlackRecord> {
    const predicate =
      typeof matcher === "string"
        ? (record: FakeSlackRecord) => record.kind === "call" && record.method === matcher
        : matcher;
    const target = typeof matcher === "string" ? `Web API call ${matcher}` : "a record matching the predicate";

    const existing = this.records.find(predicate);
    if (existing !== undefined) {
      return Promise.resolve(existing);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${target}. ${this.describeRecords()}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  reset(): void {
    this.records = [];
    this.handlers = new Map();
    this.workspace.reset();
  }

  async close(): Promise<void> {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error("Fake Slack server closed while a waitFor was pending"));
    }
    this.waiters.clear();
    await new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      // Keep-alive connections from fetch would otherwise hold close() open.
      this.server.closeAllConnections();
    });
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", this.baseUrl);
    const contentType = request.headers["content-type"] ?? "";
    const raw = await readBody(request);

    if (url.pathname.startsWith("/api/")) {
      const method = decodeURIComponent(url.pathname.slice("/api/".length));
      await this.handleApiCall(method, url, contentType, raw, request, response);
      return;
    }
    if (url.pathname.startsWith("/response/") && request.method === "POST") {
      this.handleResponseUrlPost(`${this.baseUrl}${url.pathname}`, contentType, raw, response);
      return;
    }
    if (url.pathname.startsWith("/upload/") && request.method === "POST") {
      await this.handleUpload(url.pathname.slice("/upload/".length), contentType, raw, response);
      return;
    }
    sendReply(response, { status: 404, body: { ok: false, error: "unknown_path", path: url.pathname } });
  }

  private async handleApiCall(
    method: string,
    url: URL,
    contentType: string,
    raw: Buffer,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    let parsed: Record<string, unknown>;
    try {
      parsed = { ...Object.fromEntries(url.searchParams), ...(await parseArgs(contentType, raw)) };
    } catch (error) {
      sendReply(response, slackError("invalid_form_data", [`[ERROR] ${String(error)}`]));
      return;
    }
    const { token: tokenArg, ...args } = decodeJsonArgs(parsed);
    const token = bearerToken(request.headers.authorization) ?? (typeof tokenArg === "string" ? tokenArg : undefined);
    const apiRequest: ApiRequest = { method, args, token, contentType };

    let reply: FakeReply;
    const handler = this.handlers.get(method);
    try {
      reply = handler ? await handler(apiRequest, () => this.workspace.reply(apiRequest)) : this.workspace.reply(apiRequest);
    } catch (error) {
      console.error(`Fake Slack: respondWith handler for ${method} threw`, error);
      reply = { status: 500, body: { ok: false, error: "fake_handler_failed", detail: String(error) } };
    }

    this.record({ kind: "call", ...apiRequest, status: reply.status ?? 200, reply: reply.body, receivedAt: Date.now() });
    sendReply(response, reply);
  }

  private handleResponseUrlPost(url: string, contentType: string, raw: Buffer, response: ServerResponse): void {
    const text = raw.toString("utf8");
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Keep the raw text, so a test can see what the app sent.
    }
    this.record({ kind: "response", url, name: this.responseUrlNames.get(url), body, contentType, receivedAt: Date.now() });
    sendReply(response, { status: 200, body: { ok: true } });
  }

  private async handleUpload(fileId: string, contentType: string, raw: Buffer, response: ServerResponse): Promise<void> {
    if (!this.workspace.markUploaded(fileId)) {
      sendReply(response, { status: 404, body: `Unknown upload URL for file ${fileId}` });
      return;
    }
    const data = await extractUploadData(contentType, raw);
    this.record({ kind: "upload", fileId, contentType, data, receivedAt: Date.now() });
    sendReply(response, { status: 200, body: `OK - ${data.length}` });
  }

  private record(record: FakeSlackRecord): void {
    this.records.push(record);
    for (const waiter of this.waiters) {
      let matched: boolean;
      try {
        matched = waiter.predicate(record);
      } catch (error) {
        matched = false;
        this.settle(waiter, () => waiter.reject(error instanceof Error ? error : new Error(String(error))));
      }
      if (matched) {
        this.settle(waiter, () => waiter.resolve(record));
      }
    }
  }

  private settle(waiter: Waiter, finish: () => void): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
    finish();
  }

  private describeRecords(): string {
    const counts = new Map<string, number>();
    for (const call of this.calls()) {
      counts.set(call.method, (counts.get(call.method) ?? 0) + 1);
    }
    const callSummary = [...counts].map(([method, count]) => `${method} x${count}`).join(", ");
    return `Recorded calls: ${callSummary || "none"}; response URL posts: ${this.responses().length}; uploads: ${this.uploads().length}.`;
  }
}

/** Starts a fake Slack server on 127.0.0.1 with a random free port. */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const identity: FakeIdentity = {
    teamId: options.teamId ?? DEFAULT_IDENTITY.teamId,
    teamDomain: options.teamDomain ?? DEFAULT_IDENTITY.teamDomain,
    botUserId: options.botUserId ?? DEFAULT_IDENTITY.botUserId,
    botId: options.botId ?? DEFAULT_IDENTITY.botId,
    appId: options.appId ?? DEFAULT_IDENTITY.appId,
  };

  // eslint-disable-next-line prefer-const -- assigned once the port is known; the request handler reads it later.
  let fake: FakeSlackServer | undefined;
  const server = createServer((request, response) => {
    if (fake === undefined) {
      sendReply(response, { status: 503, body: "Fake Slack server is still starting" });
      return;
    }
    fake.handle(request, response).catch((error: unknown) => {
      console.error(`Fake Slack: failed to handle ${request.method ?? "?"} ${request.url ?? "?"}`, error);
      if (!response.headersSent) {
        sendReply(response, { status: 500, body: { ok: false, error: "fake_server_error", detail: String(error) } });
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  fake = new FakeSlackServer(server, `http://127.0.0.1:${port}`, identity, options);
  return fake;
}
