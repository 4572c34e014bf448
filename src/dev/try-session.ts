import fs from "node:fs";
import path from "node:path";
import type { FakeSlack, RecordedCall, RecordedResponse, RecordedUpload } from "./fake-slack.js";
import { renderBlocks, renderView, type RenderedButton, type RenderedInput } from "./render.js";
import {
  blockActionPayload,
  newTriggerId,
  sendBlockActions,
  sendSlashCommand,
  sendViewSubmission,
  viewSubmissionPayload,
  type ViewStateValue,
} from "./signed-request.js";

/**
 * One person at a terminal driving the real app through the fake Slack: slash commands are
 * sent as signed requests, and everything the app sends to Slack is printed as text. Buttons
 * and modal inputs get short numbers ("b3", "i2") so they can be pressed and filled.
 */

export interface TryUser {
  id: string;
  name: string;
  /** Word typed after @ to mention this user, such as "attending". */
  handle: string;
}

export interface TrySessionOptions {
  fake: FakeSlack;
  appUrl: string;
  signingSecret: string;
  teamId: string;
  users: TryUser[];
  /** Folder where uploaded files are saved. */
  filesDir: string;
  print: (text: string) => void;
}

type ButtonSource = { kind: "message"; userId: string } | { kind: "view"; viewId: string };

interface ModalState {
  viewId: string;
  view: Record<string, unknown>;
  inputs: RenderedInput[];
  values: Map<string, ViewStateValue>;
}

export const TRY_HELP = `Commands:
  /caselog TEXT      run /caselog as the current user (mention people as @resident, @attending, ...)
  as NAME            act as another user (see "users")
  users              list the users of the fake workspace
  press bN           press button N
  set iN VALUE       fill modal input N: an option number or value, a date YYYY-MM-DD, or text
  submit             submit the open modal
  show               show the open modal again
  help               show this list
  quit               stop`;

export class TrySession {
  private current: TryUser;
  private readonly buttons: { button: RenderedButton; source: ButtonSource }[] = [];
  private modal: ModalState | null = null;
  private seen = { calls: 0, responses: 0, uploads: 0 };
  private readonly responseOwners = new Map<string, string>();
  private readonly uploadNames = new Map<string, string>();

  constructor(private readonly options: TrySessionOptions) {
    this.current = options.users[0]!;
  }

  get user(): TryUser {
    return this.current;
  }

  /** Runs one line typed by the user and prints what the app did in response. */
  async run(line: string): Promise<"quit" | void> {
    const trimmed = line.trim();
    if (!trimmed) return;
    const [word = "", ...restWords] = trimmed.split(/\s+/);
    const rest = restWords.join(" ");

    switch (word.toLowerCase()) {
      case "quit":
      case "exit":
        return "quit";
      case "help":
        this.options.print(TRY_HELP);
        return;
      case "users":
        this.options.print(this.options.users.map((user) => `  ${user.handle.padEnd(12)} ${user.id}  ${user.name}${user.id === this.current.id ? "  (current)" : ""}`).join("\n"));
        return;
      case "as":
        this.switchUser(rest);
        return;
      case "press":
        await this.press(rest);
        break;
      case "set":
        this.set(rest);
        return;
      case "submit":
        await this.submit();
        break;
      case "show":
        this.showModal();
        return;
      default:
        if (/^\/?caselog$/i.test(word)) await this.slash(rest);
        else this.options.print(`Unknown command "${word}". Type help for the list.`);
    }
    await this.settle();
  }

  private switchUser(name: string): void {
    const requested = name.replace(/^@/, "").toLowerCase();
    const user = this.options.users.find((entry) => entry.handle === requested || entry.id.toLowerCase() === requested);
    if (!user) {
      this.options.print(`No user "${name}". Type users for the list.`);
      return;
    }
    this.current = user;
    this.modal = null;
    this.options.print(`Now acting as ${user.name} (${user.id}).`);
  }

  /** Replaces "@handle" and "@U123" with the mention markup Slack sends in command text. */
  mentions(text: string): string {
    return text.replace(/(^|\s)@([A-Za-z0-9_]+)/g, (match, space: string, word: string) => {
      const user = this.options.users.find((entry) => entry.handle === word.toLowerCase() || entry.id === word);
      return user ? `${space}<@${user.id}|${user.handle}>` : match;
    });
  }

  private async slash(text: string): Promise<void> {
    const responseUrl = this.options.fake.responseUrl(`slash-${this.current.id}`);
    this.responseOwners.set(responseUrl, this.current.id);
    const http = await sendSlashCommand(this.options.appUrl, this.options.signingSecret, {
      userId: this.current.id,
      teamId: this.options.teamId,
      text: this.mentions(text),
      responseUrl,
      triggerId: newTriggerId(),
    });
    if (http.status !== 200) this.options.print(`(the app answered HTTP ${http.status}: ${http.body})`);
  }

  private async press(name: string): Promise<void> {
    const index = Number(name.replace(/^b/i, "")) - 1;
    const entry = this.buttons[index];
    if (!entry) {
      this.options.print(`No button ${name}.`);
      return;
    }

    const { button, source } = entry;
    const base = { userId: this.current.id, teamId: this.options.teamId, actionId: button.actionId, ...(button.value !== undefined ? { value: button.value } : {}), ...(button.blockId ? { blockId: button.blockId } : {}) };
    let payload;
    if (source.kind === "view") {
      const view = this.options.fake.view(source.viewId) ?? { id: source.viewId };
      payload = blockActionPayload({ ...base, view: { ...view, id: source.viewId } });
    } else {
      const responseUrl = this.options.fake.responseUrl(`button-${this.current.id}`);
      this.responseOwners.set(responseUrl, this.current.id);
      payload = blockActionPayload({ ...base, responseUrl, isEphemeral: true });
    }
    const http = await sendBlockActions(this.options.appUrl, this.options.signingSecret, payload);
    if (http.status !== 200) this.options.print(`(the app answered HTTP ${http.status}: ${http.body})`);
  }

  private findInput(name: string): RenderedInput | undefined {
    if (!this.modal) return undefined;
    const index = Number(name.replace(/^i/i, "")) - 1;
    return this.modal.inputs[index] ?? this.modal.inputs.find((input) => input.blockId === name);
  }

  private set(rest: string): void {
    const [name = "", ...valueWords] = rest.split(/\s+/);
    const raw = valueWords.join(" ");
    const input = this.findInput(name);
    if (!this.modal || !input) {
      this.options.print(this.modal ? `No input ${name} in the open modal.` : "No modal is open.");
      return;
    }
    const value = stateValue(input, raw, (text) => this.mentions(text));
    if (typeof value === "string") {
      this.options.print(value);
      return;
    }
    this.modal.values.set(input.blockId, value);
    this.options.print(`${input.label}: set.`);
  }

  private async submit(): Promise<void> {
    const modal = this.modal;
    if (!modal) {
      this.options.print("No modal is open.");
      return;
    }

    const values: Record<string, Record<string, ViewStateValue>> = {};
    for (const input of modal.inputs) {
      const value = modal.values.get(input.blockId) ?? initialState(input);
      values[input.blockId] = { [input.actionId]: value };
    }
    const payload = viewSubmissionPayload({
      userId: this.current.id,
      teamId: this.options.teamId,
      callbackId: String(modal.view.callback_id ?? ""),
      privateMetadata: String(modal.view.private_metadata ?? ""),
      viewId: modal.viewId,
      view: { blocks: modal.view.blocks ?? [] },
      values,
    });
    const http = await sendViewSubmission(this.options.appUrl, this.options.signingSecret, payload);
    if (http.status !== 200) {
      this.options.print(`(the app answered HTTP ${http.status}: ${http.body})`);
      return;
    }

    const answer = http.body ? (JSON.parse(http.body) as Record<string, unknown>) : {};
    if (answer.response_action === "errors") {
      const errors = answer.errors as Record<string, string>;
      this.options.print(Object.entries(errors).map(([block, message]) => `  ! ${modal.inputs.find((input) => input.blockId === block)?.label ?? block}: ${message}`).join("\n"));
      return;
    }
    if (answer.response_action === "update" || answer.response_action === "push") {
      this.showView(modal.viewId, answer.view as Record<string, unknown>);
      return;
    }
    this.modal = null;
    this.options.print("(modal closed)");
  }

  private showModal(): void {
    if (!this.modal) this.options.print("No modal is open.");
    else this.showView(this.modal.viewId, this.modal.view);
  }

  private showView(viewId: string, view: Record<string, unknown>): void {
    const rendered = renderView(view, (kind, index) => (kind === "button" ? `[b${this.buttons.length + index + 1}]` : `[i${index + 1}]`));
    for (const button of rendered.buttons) this.buttons.push({ button, source: { kind: "view", viewId } });
    this.modal = { viewId, view, inputs: rendered.inputs, values: new Map() };
    this.options.print(rendered.lines.join("\n"));
    if (rendered.inputs.length > 0) this.options.print("  (fill inputs with: set iN VALUE, then: submit)");
  }

  private showMessage(heading: string, body: Record<string, unknown>, userId: string): void {
    const rendered = renderBlocks(body.blocks, (_, index) => `[b${this.buttons.length + index + 1}]`);
    for (const button of rendered.buttons) this.buttons.push({ button, source: { kind: "message", userId } });
    const lines = rendered.lines.length > 0 ? rendered.lines : [String(body.text ?? "")];
    this.options.print(`${heading}\n${lines.map((line) => `  ${line}`).join("\n")}`);
  }

  private showCall(call: RecordedCall): void {
    const args = call.args;
    const reply = (call.reply ?? {}) as Record<string, unknown>;
    if (reply.ok === false) {
      this.options.print(`(Slack rejected ${call.method}: ${String(reply.error)})`);
      return;
    }

    if (call.method === "chat.postMessage" || call.method === "chat.postEphemeral" || call.method === "chat.update") {
      const to = String(args.user ?? args.channel ?? "");
      this.showMessage(`--- ${call.method === "chat.update" ? "message updated" : "message"} in ${to} ---`, args, this.current.id);
    } else if (call.method === "views.open" || call.method === "views.update" || call.method === "views.push") {
      const view = (reply.view ?? args.view) as Record<string, unknown>;
      this.showView(String(view.id ?? args.view_id ?? ""), view);
    } else if (call.method === "views.publish") {
      this.options.print(`--- Home tab of ${String(args.user_id)} updated ---`);
      this.showMessage("", asObject(args.view), String(args.user_id));
    } else if (call.method === "files.getUploadURLExternal") {
      const fileId = String(reply.file_id ?? "");
      this.uploadNames.set(fileId, String(args.filename ?? fileId));
    } else if (call.method === "files.completeUploadExternal" && args.initial_comment) {
      this.options.print(`--- files shared in ${String(args.channel_id)}: ${String(args.initial_comment)} ---`);
    }
  }

  private showResponse(response: RecordedResponse): void {
    const body = asObject(response.body);
    const owner = this.responseOwners.get(response.url) ?? this.current.id;
    if (body.delete_original) {
      this.options.print(`--- reply to ${owner} (deletes the message) ---`);
      return;
    }

    let kind = "only you can see this";
    if (body.replace_original) kind = "replaces the message";
    else if (body.response_type === "in_channel") kind = "in channel";
    this.showMessage(`--- reply to ${owner} (${kind}) ---`, body, owner);
  }

  private saveUpload(upload: RecordedUpload): void {
    const name = this.uploadNames.get(upload.fileId) ?? `${upload.fileId}.bin`;
    fs.mkdirSync(this.options.filesDir, { recursive: true });
    const target = path.join(this.options.filesDir, path.basename(name));
    fs.writeFileSync(target, upload.data);
    this.options.print(`  file: ${target} (${upload.data.length} bytes)`);
  }

  /** Prints records that arrived since the last call. */
  flush(): number {
    const { fake } = this.options;
    const calls = fake.calls();
    const responses = fake.responses();
    const uploads = fake.uploads();
    const fresh = calls.length - this.seen.calls + responses.length - this.seen.responses + uploads.length - this.seen.uploads;

    // Upload URLs come before the uploads, so calls are shown first to learn each file's name.
    for (const call of calls.slice(this.seen.calls)) this.showCall(call);
    for (const response of responses.slice(this.seen.responses)) this.showResponse(response);
    for (const upload of uploads.slice(this.seen.uploads)) this.saveUpload(upload);
    this.seen = { calls: calls.length, responses: responses.length, uploads: uploads.length };
    return fresh;
  }

  /** Waits until the app has been quiet for `quietMs`, printing as records arrive; at most `maxMs`. */
  async settle(quietMs = 600, maxMs = 15_000): Promise<void> {
    const started = Date.now();
    let lastActivity = Date.now();
    while (Date.now() - lastActivity < quietMs && Date.now() - started < maxMs) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (this.flush() > 0) lastActivity = Date.now();
    }
  }
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

function optionObject(option: { label: string; value: string }) {
  return { text: { type: "plain_text" as const, text: option.label, emoji: true }, value: option.value };
}

/** Builds the state Slack sends for an untouched input: its initial value, or nothing. */
function initialState(input: RenderedInput): ViewStateValue {
  const initial = input.initial as never;
  switch (input.type) {
    case "static_select":
    case "radio_buttons":
    case "external_select":
      return { type: input.type, selected_option: initial ?? null } as ViewStateValue;
    case "multi_static_select":
    case "checkboxes":
      return { type: input.type, selected_options: initial ?? [] } as ViewStateValue;
    case "datepicker":
      return { type: input.type, selected_date: initial ?? null } as ViewStateValue;
    case "users_select":
      return { type: input.type, selected_user: initial ?? null } as ViewStateValue;
    case "multi_users_select":
      return { type: input.type, selected_users: initial ?? [] } as ViewStateValue;
    default:
      return { type: input.type, value: initial ?? null } as ViewStateValue;
  }
}

/** Converts what the user typed into the state Slack would send, or returns a message saying why not. */
export function stateValue(input: RenderedInput, raw: string, mentions: (text: string) => string): ViewStateValue | string {
  const pick = (word: string) => {
    const byNumber = /^\d+$/.test(word) ? input.options[Number(word) - 1] : undefined;
    return byNumber ?? input.options.find((entry) => entry.value === word || entry.label.toLowerCase() === word.toLowerCase());
  };

  switch (input.type) {
    case "static_select":
    case "radio_buttons":
    case "external_select": {
      const chosen = pick(raw);
      if (!chosen) return `"${raw}" is not an option of ${input.label}; give its number or value.`;
      return { type: input.type, selected_option: optionObject(chosen) } as ViewStateValue;
    }
    case "multi_static_select":
    case "checkboxes": {
      const chosen = raw.split(",").map((word) => word.trim()).filter(Boolean).map(pick);
      if (chosen.some((entry) => !entry)) return `Some of "${raw}" are not options of ${input.label}; give numbers or values separated by commas.`;
      return { type: input.type, selected_options: chosen.map((entry) => optionObject(entry!)) } as ViewStateValue;
    }
    case "datepicker":
      if (raw && !/^\d{4}-\d{2}-\d{2}$/.test(raw)) return `${input.label} needs a date written YYYY-MM-DD.`;
      return { type: input.type, selected_date: raw || null } as ViewStateValue;
    case "users_select": {
      const id = /<@([UW][A-Z0-9]+)/.exec(mentions(raw))?.[1] ?? (raw || null);
      return { type: input.type, selected_user: id } as ViewStateValue;
    }
    default:
      // Typed "\n" becomes a line break, so a CSV can be pasted on one terminal line.
      return { type: input.type, value: raw ? raw.replace(/\\n/g, "\n") : null } as ViewStateValue;
  }
}
