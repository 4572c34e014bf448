import type { RuleViolation, ViolationField } from "../rules/counting.js";

/**
 * Typed rejections. Each carries the sentence shown to the user. Listeners turn them into an
 * ephemeral message or modal errors, so Slack never shows a stack trace.
 */
export class CaselogError extends Error {
  constructor(
    readonly code: string,
    readonly userMessage: string,
    readonly field?: ViolationField,
  ) {
    super(userMessage);
    this.name = new.target.name;
  }
}

export class RuleViolationError extends CaselogError {
  constructor(readonly violations: RuleViolation[]) {
    super(violations[0]?.code ?? "rule_violation", violations.map((entry) => entry.message).join("\n"), violations[0]?.field);
  }
}

export class NotRegisteredError extends CaselogError {
  constructor() {
    super("not_registered", "You are not registered with Caselog yet. Type /caselog to register.");
  }
}

export class NotAllowedError extends CaselogError {
  constructor(message: string) {
    super("not_allowed", message);
  }
}

export class NotFoundError extends CaselogError {
  constructor(message: string) {
    super("not_found", message);
  }
}

export class StaleError extends CaselogError {
  constructor(message: string) {
    super("stale", message);
  }
}
