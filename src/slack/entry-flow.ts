import crypto from "node:crypto";
import type { WebClient } from "@slack/web-api";
import type { Person } from "../generated/prisma/client.js";
import type { DraftEncounterText } from "../entry/parse-text.js";
import { getProcedure } from "../rules/catalogue.js";
import { checkCoCredit, type EncounterDraft } from "../rules/counting.js";
import { CaselogError, RuleViolationError } from "../services/errors.js";
import { logEncounter, type EntrySource, type LogEncounterResult } from "../services/encounters.js";
import { residentProfile } from "../services/people.js";
import { getProgress } from "../services/progress.js";
import type { Responder, SlackDeps } from "./context.js";
import type { DraftButton, EncounterButton, EntryMetadata } from "./payloads.js";
import { choicesReply, plainReply, storedCard, type Reply } from "./views/messages.js";
import { entryModal } from "./views/modals.js";

/** Builds the stored-entry card with signed Undo and Edit buttons. */
export async function cardFor(deps: SlackDeps, resident: Person, result: LogEncounterResult, heading?: string): Promise<Reply> {
  const button: EncounterButton = { u: resident.slackUserId, e: result.encounter.id };
  const progress = await getProgress(deps.ctx, resident);
  return storedCard({
    encounterId: result.encounter.id,
    checked: result.checked,
    created: result.created,
    progress,
    undoValue: deps.signed.sign(button),
    editValue: deps.signed.sign(button),
    heading,
  });
}

/** Turns a rejection into the message the user sees; anything unexpected is logged. */
export function replyForError(deps: SlackDeps, error: unknown, ids: Record<string, unknown>): Reply {
  if (error instanceof CaselogError) {
    deps.ctx.logger.info({ ...ids, code: error.code }, "request rejected");
    return plainReply(`Nothing was saved. ${error.userMessage}`);
  }
  deps.ctx.logger.error({ ...ids, err: error }, "request failed");
  return plainReply("Something went wrong on Caselog's side and nothing was saved. Try again in a minute; if it keeps failing, tell your program coordinator.");
}

/** Stores a draft through the rules and replies with the card, or with the reason it was rejected. */
export async function storeDraft(
  deps: SlackDeps,
  input: { resident: Person; draft: EncounterDraft; source: EntrySource; sourceKey: string; today: string; respond: Responder },
): Promise<void> {
  try {
    const result = await logEncounter(deps.ctx, {
      resident: input.resident,
      draft: input.draft,
      source: input.source,
      sourceKey: input.sourceKey,
      actorSlackId: input.resident.slackUserId,
      today: input.today,
    });
    await input.respond(await cardFor(deps, input.resident, result));
  } catch (error) {
    await input.respond(replyForError(deps, error, { slackUserId: input.resident.slackUserId, source: input.source }));
  }
}

function newNonce(): string {
  return crypto.randomBytes(12).toString("base64url");
}

/**
 * Handles an encounter typed as text. Clear text is stored at once; text with an unknown or
 * ambiguous word is stored only after the resident picks a choice or fills the form.
 */
export async function handleEncounterText(
  deps: SlackDeps,
  input: { resident: Person; parsed: DraftEncounterText; today: string; sourceKey: string; respond: Responder },
): Promise<void> {
  const { parsed, resident, today } = input;
  const performedOn = parsed.performedOn ?? today;

  if (parsed.coCreditSlackId) {
    const problem = coCreditProblem(resident, parsed);
    await input.respond(plainReply(`Nothing was saved. ${problem}`));
    return;
  }
  if (parsed.extraMentions.length > 0) {
    await input.respond(plainReply("Nothing was saved. Name one supervising attending with @. To credit a supervising senior resident, write \"with @senior\"."));
    return;
  }

  const unresolved = parsed.ambiguities.length > 0 || parsed.unknownWords.length > 0;
  if (unresolved) {
    const ambiguity = parsed.ambiguities[0] ?? null;
    const candidates = ambiguity ? ambiguity.choices : parsed.suggestions;
    const onlyOneQuestion = parsed.ambiguities.length + (parsed.unknownWords.length > 0 ? 1 : 0) === 1;

    const draftFor = (extra: string[]): DraftButton => ({
      u: resident.slackUserId,
      k: newNonce(),
      p: [...parsed.procedureIds, ...extra],
      d: performedOn,
      s: parsed.supervisorSlackId,
      n: parsed.notes,
    });
    const choices = onlyOneQuestion ? candidates.map((procedureId) => ({ procedureId, value: deps.signed.sign(draftFor([procedureId])) })) : [];
    await input.respond(
      choicesReply({
        understood: parsed.procedureIds.map((id) => getProcedure(id).name),
        performedOn,
        ambiguity,
        unknownWords: parsed.unknownWords,
        choices,
        formValue: deps.signed.sign(draftFor([])),
      }),
    );
    return;
  }

  await storeDraft(deps, {
    resident,
    draft: {
      performedOn,
      procedureIds: parsed.procedureIds,
      diagnosticVascularIds: parsed.diagnosticVascularIds,
      role: "first_operator",
      supervisorSlackId: parsed.supervisorSlackId,
      notes: parsed.notes,
    },
    source: "slash",
    sourceKey: input.sourceKey,
    today,
    respond: input.respond,
  });
}

/**
 * Co-credit needs the named senior's confirmation and the attending's approval, which are not
 * built yet, so a co-credit request is checked against the rules and then refused.
 */
function coCreditProblem(resident: Person, parsed: DraftEncounterText): string {
  // TODO: store the co-credit as pending and ask the senior and the attending to confirm it.
  const procedures = parsed.procedureIds.map(getProcedure);
  const ruleProblem = checkCoCredit({
    procedures,
    firstOperatorPgy: resident.pgy ?? 0,
    coCreditedPgy: Number.POSITIVE_INFINITY,
    residentsCredited: 1,
    sameResident: parsed.coCreditSlackId === resident.slackUserId,
  });
  if (ruleProblem) return ruleProblem.message;
  return "Co-credit with a senior resident needs their confirmation and the attending's approval, which Caselog cannot collect yet. Log the procedure without \"with @...\" for now.";
}

export function entryMetadata(resident: Person, timeZone: string, today: string, extra: Partial<EntryMetadata> = {}): string {
  const metadata: EntryMetadata = {
    mode: "new",
    timeZone,
    today,
    profile: residentProfile(resident),
    ...extra,
  };
  return JSON.stringify(metadata);
}

/** Opens (or fills) the entry modal, prefilled from a draft. */
export async function showEntryModal(
  client: WebClient,
  target: { triggerId: string } | { viewId: string },
  input: { resident: Person; timeZone: string; today: string; responseUrl?: string; draft?: Partial<DraftButton> },
): Promise<void> {
  const view = entryModal({
    privateMetadata: entryMetadata(input.resident, input.timeZone, input.today, input.responseUrl ? { responseUrl: input.responseUrl } : {}),
    today: input.today,
    initial: {
      procedureIds: input.draft?.p ?? [],
      performedOn: input.draft?.d ?? input.today,
      supervisorSlackId: input.draft?.s ?? null,
      notes: input.draft?.n ?? null,
    },
  });
  if ("triggerId" in target) await client.views.open({ trigger_id: target.triggerId, view });
  else await client.views.update({ view_id: target.viewId, view });
}

export { RuleViolationError };
