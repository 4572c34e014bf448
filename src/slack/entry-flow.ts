import crypto from "node:crypto";
import type { WebClient } from "@slack/web-api";
import type { Person } from "../generated/prisma/client.js";
import type { DraftEncounterText } from "../entry/parse-text.js";
import { getProcedure } from "../rules/catalogue.js";
import { checkEncounter, checkNotes, type EncounterDraft } from "../rules/counting.js";
import { checkCoCreditRequest } from "../services/co-credit.js";
import { CaselogError, RuleViolationError, StaleError } from "../services/errors.js";
import { logEncounter, type EntrySource, type LogEncounterResult } from "../services/encounters.js";
import { findPerson, isResident, residentProfile } from "../services/people.js";
import { getProgress } from "../services/progress.js";
import type { Responder, SlackDeps } from "./context.js";
import type { DraftButton, EncounterButton, EntryMetadata } from "./payloads.js";
import { choicesReply, plainReply, storedCard, type Reply } from "./views/messages.js";
import { LIMITS } from "./views/limits.js";
import { entryModal } from "./views/modals.js";

const MAX_BUTTON_VALUE = LIMITS.buttonValue;

/** Builds the stored-entry card with signed Undo and Edit buttons. */
export async function cardFor(deps: SlackDeps, resident: Person, result: LogEncounterResult, heading?: string): Promise<Reply> {
  const button: EncounterButton = { u: resident.slackUserId, e: result.encounter.id };
  const progress = await getProgress(deps.ctx, resident);
  const coCredit = await deps.ctx.db.coCredit.findUnique({ where: { encounterId: result.encounter.id }, include: { senior: true } });
  const pendingLines = [
    coCredit && coCredit.status !== "approved"
      ? `Co-credit for <@${coCredit.senior.slackUserId}>: ${coCredit.status.replace("_", " ")}. It counts for them only after they confirm and the attending approves.`
      : null,
    result.encounter.verification === "pending" ? "This entry waits for attending verification and counts once it is verified." : null,
    progress.pending.entries + progress.pending.coCredits > 0
      ? `Not counted yet: ${progress.pending.entries} of your entries wait for verification and ${progress.pending.coCredits} co-credits wait for a decision.`
      : null,
  ].filter((line): line is string => line !== null);
  return storedCard({
    pendingLines,
    encounterId: result.encounter.id,
    checked: result.checked,
    created: result.created,
    progress,
    undoValue: deps.signed.sign(button),
    editValue: deps.signed.sign(button),
    heading,
  });
}

/** Turns a rejection into the message shown to the user, and logs anything unexpected. */
export function replyForError(deps: SlackDeps, error: unknown, ids: Record<string, unknown>): Reply {
  if (error instanceof CaselogError) {
    deps.ctx.logger.info({ ...ids, code: error.code }, "request rejected");
    // Permission and not-found rejections also reply to requests that would have saved nothing.
    const changedNothing = error instanceof RuleViolationError || error instanceof StaleError;
    return plainReply(changedNothing ? `Nothing was saved. ${error.userMessage}` : error.userMessage);
  }
  deps.ctx.logger.error({ ...ids, err: error }, "request failed");
  return plainReply("Something went wrong on Caselog's side and nothing was saved. Try again in a minute; if it keeps failing, tell your program coordinator.");
}

/** Stores a draft through the rules and replies with the card, or with the reason it was rejected. */
export async function storeDraft(
  deps: SlackDeps,
  input: { resident: Person; draft: EncounterDraft; source: EntrySource; sourceKey: string; today: string; respond: Responder; coCreditSeniorId?: number },
): Promise<void> {
  try {
    const result = await logEncounter(deps.ctx, {
      resident: input.resident,
      draft: input.draft,
      source: input.source,
      sourceKey: input.sourceKey,
      actorSlackId: input.resident.slackUserId,
      today: input.today,
      ...(input.coCreditSeniorId !== undefined ? { coCreditSeniorId: input.coCreditSeniorId } : {}),
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
 * Handles an encounter typed as text. Clear text is stored at once. Text with an unknown or
 * ambiguous word is stored only after the resident picks a choice or fills the form.
 */
export async function handleEncounterText(
  deps: SlackDeps,
  input: { resident: Person; parsed: DraftEncounterText; today: string; sourceKey: string; respond: Responder },
): Promise<void> {
  const { parsed, resident, today } = input;
  const performedOn = parsed.performedOn ?? today;

  if (parsed.counts.length > 0) {
    await input.respond(plainReply(`Nothing was saved. Each patient is one encounter, so log "${parsed.counts[0]}" as separate commands, one per patient.`));
    return;
  }
  if (parsed.invalidDates.length > 0) {
    await input.respond(plainReply(`Nothing was saved. "${parsed.invalidDates[0]}" is not a valid date. Write it as YYYY-MM-DD, or use words like "yesterday".`));
    return;
  }

  // Notes are checked before anything else, because the "did you mean" buttons carry them.
  const notesProblem = checkNotes(parsed.notes);
  if (notesProblem) {
    await input.respond(plainReply(`Nothing was saved. ${notesProblem.message}`));
    return;
  }

  if (parsed.supervisorSlackId) {
    const named = await findPerson(deps.ctx, resident.slackTeamId, parsed.supervisorSlackId);
    if (named && isResident(named)) {
      await input.respond(
        plainReply(
          `Nothing was saved. <@${parsed.supervisorSlackId}> is registered as a resident, so they cannot be the supervising attending. Name the attending with @, and a supervising senior resident with "with @senior".`,
        ),
      );
      return;
    }
  }

  // Co-credit is checked first, so a third resident among the other mentions gets rule 2's reason.
  let coCreditSeniorId: number | undefined;
  if (parsed.coCreditSlackId) {
    try {
      const senior = await checkCoCreditRequest(deps.ctx, {
        resident,
        seniorSlackId: parsed.coCreditSlackId,
        procedureIds: parsed.procedureIds,
        supervisorSlackId: parsed.supervisorSlackId,
        otherSlackIds: [...(parsed.supervisorSlackId ? [parsed.supervisorSlackId] : []), ...parsed.extraMentions],
      });
      coCreditSeniorId = senior.id;
    } catch (error) {
      await input.respond(replyForError(deps, error, { slackUserId: resident.slackUserId, source: "slash" }));
      return;
    }
  }
  if (parsed.extraMentions.length > 0) {
    await input.respond(plainReply("Nothing was saved. Name one supervising attending with @. To credit a supervising senior resident, write \"with @senior\"."));
    return;
  }

  const unresolved = parsed.ambiguities.length > 0 || parsed.unknownWords.length > 0;
  if (unresolved && parsed.diagnosticVascularIds.length > 0) {
    // The choice buttons carry procedures only, so counting rule 4's rejection is given now.
    const check = checkEncounter({ performedOn, procedureIds: [], diagnosticVascularIds: parsed.diagnosticVascularIds, role: "first_operator" }, residentProfile(resident), today);
    if (!check.ok) {
      await input.respond(plainReply(`Nothing was saved. ${check.violations.map((found) => found.message).join(" ")}`));
      return;
    }
  }
  if (unresolved && coCreditSeniorId !== undefined) {
    // The "did you mean" buttons carry no co-credit, so a choice there would drop the senior's credit.
    await input.respond(plainReply("Nothing was saved. Some words were not understood; write each procedure's name exactly when you name a co-credited senior, or use the form (/caselog with no text)."));
    return;
  }
  if (unresolved) {
    const ambiguity = parsed.ambiguities[0] ?? null;
    const candidates = ambiguity ? ambiguity.choices : parsed.suggestions;
    const onlyOneQuestion = parsed.ambiguities.length + (parsed.unknownWords.length > 0 ? 1 : 0) === 1;

    // One nonce for the whole reply, so pressing two different choices stores one encounter.
    const nonce = newNonce();
    const draftFor = (extra: string[]): DraftButton => ({
      u: resident.slackUserId,
      k: nonce,
      p: [...parsed.procedureIds, ...extra],
      d: performedOn,
      s: parsed.supervisorSlackId,
      n: parsed.notes,
    });
    const choices = onlyOneQuestion ? candidates.map((procedureId) => ({ procedureId, value: deps.signed.sign(draftFor([procedureId])) })) : [];
    const formValue = deps.signed.sign(draftFor([]));
    if (formValue.length > MAX_BUTTON_VALUE || choices.some((choice) => choice.value.length > MAX_BUTTON_VALUE)) {
      // Long notes in a non-Latin script can outgrow a button's 2,000 characters.
      await input.respond(plainReply("Nothing was saved. Some words were not understood, and the notes are too long to carry on a choice button. Write each procedure's name exactly, or shorten the notes."));
      return;
    }
    await input.respond(
      choicesReply({
        understood: parsed.procedureIds.map((id) => getProcedure(id).name),
        performedOn,
        ambiguity,
        unknownWords: parsed.unknownWords,
        choices,
        formValue,
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
    ...(coCreditSeniorId !== undefined ? { coCreditSeniorId } : {}),
  });
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
    coCredit: true,
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
