import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import type { Person } from "../../generated/prisma/client.js";
import type { Responder, SlackDeps } from "../context.js";

/**
 * Named `/caselog` subcommands (`/caselog esir @resident`, `/caselog admin ...`) registered by
 * feature modules. The command listener looks up the first word here before it parses the
 * text as an encounter, so each feature owns its own subcommands.
 */
export interface SubcommandInput {
  deps: SlackDeps;
  command: SlackCommandMiddlewareArgs["command"];
  client: AllMiddlewareArgs["client"];
  /** The caller, or null when they are not registered. */
  person: Person | null;
  /** The text after the subcommand's name. */
  rest: string;
  timeZone: string;
  today: string;
  respond: Responder;
}

export type SubcommandHandler = (input: SubcommandInput) => Promise<void>;

export class SubcommandRegistry {
  private readonly handlers = new Map<string, SubcommandHandler>();

  register(name: string, handler: SubcommandHandler): void {
    const key = name.toLowerCase();
    if (this.handlers.has(key)) throw new Error(`Subcommand "${name}" is registered twice`);
    this.handlers.set(key, handler);
  }

  /** Returns the handler and the remaining text when `text` starts with a registered name. */
  match(text: string): { handler: SubcommandHandler; rest: string } | null {
    const [first = "", ...rest] = text.trim().split(/\s+/);
    const handler = this.handlers.get(first.toLowerCase());
    return handler ? { handler, rest: rest.join(" ") } : null;
  }
}
