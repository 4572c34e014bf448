import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { z } from "zod";
import type { Person } from "../../generated/prisma/client.js";
import { findPerson, isResident } from "../../services/people.js";
import { deleteEncounter, getOwnEncounter } from "../../services/encounters.js";
import { responderFor, type Responder, type SlackDeps } from "../context.js";
import { entryMetadata, replyForError, showEntryModal, storeDraft } from "../entry-flow.js";
import { draftButtonSchema, encounterButtonSchema, registerButtonSchema, type RegistrationMetadata } from "../payloads.js";
import { plainReply } from "../views/messages.js";
import { entryModal, loadingModal, messageModal, registrationModal } from "../views/modals.js";
import { getProcedure } from "../../rules/catalogue.js";

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

const TAMPERED =
  "Nothing was done: this button's data was changed or damaged. Run the command again to get a fresh message.";

/** Verifies a button's signed value and that the clicking user is the one it was made for. */
async function verifiedValue<T extends { u: string }>(deps: SlackDeps, args: ButtonArgs, schema: z.ZodType<T>, respond: Responder): Promise<T | null> {
  const value = deps.signed.verify(args.action.value, schema);
  if (!value) {
    deps.ctx.logger.warn({ slackUserId: args.body.user.id, actionId: args.action.action_id }, "tampered button value rejected");
    await respond(plainReply(TAMPERED));
    return null;
  }
  if (value.u !== args.body.user.id) {
    deps.ctx.logger.warn({ slackUserId: args.body.user.id, actionId: args.action.action_id }, "button pressed by another user");
    await respond(plainReply("Nothing was done: this button belongs to another resident's entry."));
    return null;
  }
  return value;
}

interface ButtonResident {
  person: Person;
  timeZone: string;
  today: string;
}

/** Finds the registered resident who pressed a button, with their time zone and today's date. */
async function residentPressing(deps: SlackDeps, args: ButtonArgs, respond: Responder): Promise<ButtonResident | null> {
  const person = await findPerson(deps.ctx, args.body.team?.id ?? "", args.body.user.id);
  if (!person || !isResident(person)) {
    await respond(plainReply("Register first: type /caselog."));
    return null;
  }
  const timeZone = await deps.timeZones.lookup(deps, args.client, person.slackUserId, person);
  return { person, timeZone, today: deps.timeZones.today(deps, timeZone) };
}

/** Opens a "Loading…" modal and returns a way to replace it with a message. */
async function openLoadingModal(args: ButtonArgs): Promise<{ viewId: string; show: Responder } | null> {
  const opened = await args.client.views.open({ trigger_id: args.body.trigger_id, view: loadingModal() });
  const viewId = opened.view?.id;
  if (!viewId) return null;

  const show: Responder = async (reply) => {
    await args.client.views.update({ view_id: viewId, view: messageModal(reply.text) });
  };
  return { viewId, show };
}

function responderOf(deps: SlackDeps, body: BlockButtonAction): Responder {
  return body.response_url ? responderFor(deps, body.response_url) : async () => undefined;
}

/** Undo: deletes the encounter (audited) and replaces the card. A second click finds nothing. */
export function undoButton(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const respond = responderOf(deps, args.body);
    const value = await verifiedValue(deps, args, encounterButtonSchema, respond);
    if (!value) return;

    try {
      const person = await findPerson(deps.ctx, args.body.team?.id ?? "", args.body.user.id);
      if (!person) throw new Error("registered user missing");
      const removed = await deleteEncounter(deps.ctx, person, value.e);
      const names = removed.procedures.map((entry) => getProcedure(entry.procedureId).name).join(", ");
      await respond({ replace_original: true, ...plainReply(`Undone: encounter #${removed.id} (${names} on ${removed.performedOn}) was deleted from your log.`) });
    } catch (error) {
      await respond(replyForError(deps, error, { slackUserId: args.body.user.id, encounterId: value.e }));
    }
  };
}

/** Edit: opens the entry modal filled with the stored encounter. */
export function editButton(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const respond = responderOf(deps, args.body);
    const value = await verifiedValue(deps, args, encounterButtonSchema, respond);
    if (!value) return;

    // The trigger_id expires 3 seconds after the click: open the modal before any lookup.
    const modal = await openLoadingModal(args);
    if (!modal) return;

    try {
      const resident = await residentPressing(deps, args, modal.show);
      if (!resident) return;
      const { person, timeZone, today } = resident;
      const encounter = await getOwnEncounter(deps.ctx, person, value.e);
      const view = entryModal({
        title: `Edit entry #${encounter.id}`.slice(0, 24),
        today,
        privateMetadata: entryMetadata(person, timeZone, today, {
          mode: "edit",
          encounterId: encounter.id,
          version: encounter.version,
          ...(args.body.response_url ? { responseUrl: args.body.response_url } : {}),
        }),
        initial: {
          procedureIds: encounter.procedures.map((entry) => entry.procedureId),
          performedOn: encounter.performedOn,
          role: encounter.role === "assistant" ? "assistant" : "first_operator",
          supervisorSlackId: encounter.supervisorSlackId,
          notes: encounter.notes,
        },
      });
      await args.client.views.update({ view_id: modal.viewId, view });
    } catch (error) {
      await modal.show(replyForError(deps, error, { slackUserId: args.body.user.id, encounterId: value.e }));
    }
  };
}

/** A choice from the "did you mean" reply: stores the draft the resident confirmed, once. */
export function chooseProcedureButton(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const respond = responderOf(deps, args.body);
    const draft = await verifiedValue(deps, args, draftButtonSchema, respond);
    if (!draft) return;

    const resident = await residentPressing(deps, args, respond);
    if (!resident) return;
    await storeDraft(deps, {
      resident: resident.person,
      draft: { performedOn: draft.d, procedureIds: draft.p, role: "first_operator", supervisorSlackId: draft.s, notes: draft.n },
      source: "button",
      sourceKey: `draft:${draft.k}`,
      today: resident.today,
      respond: async (reply) => respond({ replace_original: true, ...reply }),
    });
  };
}

/** "Open the form" from the "did you mean" reply: the entry modal, prefilled with the draft. */
export function openFormButton(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const respond = responderOf(deps, args.body);
    const draft = await verifiedValue(deps, args, draftButtonSchema, respond);
    if (!draft) return;

    const modal = await openLoadingModal(args);
    if (!modal) return;

    try {
      const resident = await residentPressing(deps, args, modal.show);
      if (!resident) return;
      await showEntryModal(args.client, { viewId: modal.viewId }, {
        resident: resident.person,
        timeZone: resident.timeZone,
        today: resident.today,
        ...(args.body.response_url ? { responseUrl: args.body.response_url } : {}),
        draft,
      });
    } catch (error) {
      await modal.show(replyForError(deps, error, { slackUserId: args.body.user.id }));
    }
  };
}

/** "Register" fallback button, for when the registration modal could not open from the command. */
export function registerButton(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const respond = responderOf(deps, args.body);
    const value = await verifiedValue(deps, args, registerButtonSchema, respond);
    if (!value) return;

    const metadata: RegistrationMetadata = { ...(value.t ? { pendingText: value.t } : {}), ...(args.body.response_url ? { responseUrl: args.body.response_url } : {}) };
    await args.client.views.open({ trigger_id: args.body.trigger_id, view: registrationModal(JSON.stringify(metadata)) });
  };
}
