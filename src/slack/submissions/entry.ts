import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { checkEncounter, type EncounterDraft, type ViolationField } from "../../rules/counting.js";
import { encounterDraftSchema } from "../../rules/schemas.js";
import { findPerson, isResident } from "../../services/people.js";
import { logEncounter, updateEncounter } from "../../services/encounters.js";
import { directMessenger, responderFor, type Responder, type SlackDeps } from "../context.js";
import { cardFor, replyForError } from "../entry-flow.js";
import { ENTRY_BLOCKS } from "../ids.js";
import { CO_CREDIT_BLOCK } from "../co-credit/ids.js";
import { checkCoCreditRequest } from "../../services/co-credit.js";
import { CaselogError } from "../../services/errors.js";
import { entryMetadataSchema, type EntryMetadata } from "../payloads.js";

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
type StateValues = ViewSubmitAction["view"]["state"]["values"];

const FIELD_BLOCKS: Record<ViolationField, string> = {
  procedures: ENTRY_BLOCKS.procedures,
  date: ENTRY_BLOCKS.date,
  role: ENTRY_BLOCKS.role,
  notes: ENTRY_BLOCKS.notes,
  co_credit: ENTRY_BLOCKS.supervisor,
  dr_count: ENTRY_BLOCKS.procedures,
  track: ENTRY_BLOCKS.procedures,
};

function readDraft(values: StateValues): EncounterDraft {
  const field = (block: string) => values[block]?.value;
  return {
    procedureIds: (field(ENTRY_BLOCKS.procedures)?.selected_options ?? []).map((entry) => entry.value),
    performedOn: field(ENTRY_BLOCKS.date)?.selected_date ?? "",
    role: (field(ENTRY_BLOCKS.role)?.selected_option?.value ?? "first_operator") as EncounterDraft["role"],
    supervisorSlackId: field(ENTRY_BLOCKS.supervisor)?.selected_user ?? null,
    notes: field(ENTRY_BLOCKS.notes)?.value ?? null,
  };
}

/** Maps each rule violation to the input block it concerns, first message per block. */
function errorsByBlock(violations: { field: ViolationField; message: string }[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const found of violations) {
    const block = FIELD_BLOCKS[found.field];
    errors[block] = errors[block] ? errors[block] : found.message.slice(0, 2000);
  }
  return errors;
}

/**
 * Remembers recently handled view ids, at most `size`, forgetting the oldest first.
 * NOTE: per process only; a retry that reaches another instance reports a stale form.
 */
class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly size: number) {}

  /** Returns true the first time an id is seen. */
  claim(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.size) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}

/**
 * The entry modal's submission. Validation uses only the payload and the profile stored in
 * private_metadata, so the answer (errors on the right input block, or closing the modal) goes
 * back before any database work; the entry is then stored and confirmed.
 */
export function entrySubmission(deps: SlackDeps) {
  const handledEditViews = new RecentIds(10_000);
  return async ({ ack, body, view, client }: SubmitArgs): Promise<void> => {
    let metadata: EntryMetadata;
    try {
      metadata = entryMetadataSchema.parse(JSON.parse(view.private_metadata));
    } catch {
      deps.ctx.logger.warn({ slackUserId: body.user.id }, "entry modal metadata invalid");
      await ack({ response_action: "errors", errors: { [ENTRY_BLOCKS.procedures]: "This form is damaged. Close it and run /caselog again." } });
      return;
    }

    const draft = readDraft(view.state.values);
    const shape = encounterDraftSchema.safeParse(draft);
    const checked = checkEncounter(draft, metadata.profile, metadata.today);
    if (!shape.success || !checked.ok) {
      const violations = checked.ok ? [] : checked.violations;
      const errors = errorsByBlock(violations);
      if (Object.keys(errors).length === 0) errors[ENTRY_BLOCKS.procedures] = "Some fields are invalid. Check each one and save again.";
      await ack({ response_action: "errors", errors });
      return;
    }

    // The attending and co-credit checks read people by unique key before the acknowledgement, so a
    // rejection shows on its field. NOTE: on a slow database this risks Slack's 3-second limit.
    const slackTeamId = body.team?.id ?? view.team_id;
    if (draft.supervisorSlackId) {
      const named = await findPerson(deps.ctx, slackTeamId, draft.supervisorSlackId);
      if (named && isResident(named)) {
        await ack({
          response_action: "errors",
          errors: { [ENTRY_BLOCKS.supervisor]: `<@${draft.supervisorSlackId}> is registered as a resident, so they cannot be the supervising attending. Name the attending here, and a supervising senior resident in the co-credit field.` },
        });
        return;
      }
    }

    const coCreditSlackId = metadata.mode === "new" ? (view.state.values[CO_CREDIT_BLOCK]?.value?.selected_user ?? null) : null;
    let coCreditSeniorId: number | undefined;
    if (coCreditSlackId) {
      try {
        const person = await findPerson(deps.ctx, slackTeamId, body.user.id);
        if (!person) throw new Error("registered user missing");
        const senior = await checkCoCreditRequest(deps.ctx, {
          resident: person,
          seniorSlackId: coCreditSlackId,
          procedureIds: draft.procedureIds,
          supervisorSlackId: draft.supervisorSlackId ?? null,
          // The same people the slash path passes, so a resident named as attending counts as a third resident.
          otherSlackIds: draft.supervisorSlackId ? [draft.supervisorSlackId] : [],
        });
        coCreditSeniorId = senior.id;
      } catch (error) {
        if (!(error instanceof CaselogError)) throw error;
        await ack({ response_action: "errors", errors: { [CO_CREDIT_BLOCK]: error.userMessage.slice(0, 2000) } });
        return;
      }
    }
    await ack();

    const respond: Responder = metadata.responseUrl ? responderFor(deps, metadata.responseUrl) : directMessenger(deps, client, body.user.id);
    try {
      const person = await findPerson(deps.ctx, body.team?.id ?? view.team_id, body.user.id);
      if (!person) throw new Error("registered user missing");

      if (metadata.mode === "edit" && metadata.encounterId && metadata.version !== undefined) {
        // A Slack retry of the same submission would find the version it just wrote and report a
        // stale form, so a view already handled here is ignored.
        if (!handledEditViews.claim(view.id)) {
          deps.ctx.logger.info({ slackUserId: body.user.id, viewId: view.id }, "repeated edit submission ignored");
          return;
        }
        const result = await updateEncounter(deps.ctx, { actor: person, encounterId: metadata.encounterId, draft, today: metadata.today, expectedVersion: metadata.version });
        await respond({ replace_original: true, ...(await cardFor(deps, person, result, `Updated encounter #${result.encounter.id}`)) });
        return;
      }

      const result = await logEncounter(deps.ctx, {
        resident: person,
        draft,
        source: "modal",
        sourceKey: `view:${view.id}`,
        actorSlackId: body.user.id,
        today: metadata.today,
        ...(coCreditSeniorId !== undefined ? { coCreditSeniorId } : {}),
      });
      await respond(await cardFor(deps, person, result));
    } catch (error) {
      await respond(replyForError(deps, error, { slackUserId: body.user.id, viewId: view.id }));
    }
  };
}
