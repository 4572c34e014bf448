import type { AllMiddlewareArgs, AnyMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { deleteEncounter } from "../../services/encounters.js";
import { CaselogError } from "../../services/errors.js";
import { findPerson, isResident } from "../../services/people.js";
import type { SlackDeps } from "../context.js";
import { showEntryModal } from "../entry-flow.js";
import { encounterButtonSchema } from "../payloads.js";
import { loadingModal, messageModal } from "../views/modals.js";
import { ADMIN_ACTIONS, ADMIN_CALLBACKS } from "../admin/ids.js";
import { hasPublishedHome, publishHome, republishHome } from "./publish.js";

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;
type HomeOpenedArgs = SlackEventMiddlewareArgs<"app_home_opened"> & AllMiddlewareArgs;

/** `app_home_opened`: publishes the Home for the user's role each time they open the tab. */
export function homeOpened(deps: SlackDeps) {
  return async ({ event, client, context }: HomeOpenedArgs): Promise<void> => {
    if (event.tab !== "home") return;
    try {
      await publishHome(deps, client, context.teamId ?? "", event.user);
    } catch (error) {
      deps.ctx.logger.error({ err: error, slackUserId: event.user }, "Home tab not published");
    }
  };
}

/**
 * "Log a case" on a resident's Home or a nudge: opens a loading modal at once, because the
 * trigger id lasts 3 seconds, then fills in the entry form.
 */
export function homeLogCaseButton(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const slackUserId = args.body.user.id;
    const opened = await args.client.views.open({ trigger_id: args.body.trigger_id, view: loadingModal() });
    const viewId = opened.view?.id;
    if (!viewId) return;

    try {
      const person = await findPerson(deps.ctx, args.body.team?.id ?? "", slackUserId);
      if (!person || !isResident(person)) {
        await args.client.views.update({ view_id: viewId, view: messageModal("Only registered residents log cases. Type /caselog to register.") });
        return;
      }
      const timeZone = await deps.timeZones.lookup(deps, args.client, slackUserId, person);
      await showEntryModal(args.client, { viewId }, { resident: person, timeZone, today: deps.timeZones.today(deps, timeZone) });
    } catch (error) {
      deps.ctx.logger.error({ err: error, slackUserId }, "entry form not opened from Home");
      await args.client.views.update({ view_id: viewId, view: messageModal("The entry form could not be opened because of an error on Caselog's side. Try /caselog instead.") });
    }
  };
}

/** "Delete" on a Home entry: deletes the resident's own entry (audited) and republishes. */
export function homeDeleteButton(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const slackUserId = args.body.user.id;
    const teamId = args.body.team?.id ?? "";
    const value = deps.signed.verify(args.action.value, encounterButtonSchema);
    if (!value || value.u !== slackUserId) {
      deps.ctx.logger.warn({ slackUserId, actionId: args.action.action_id }, "Home delete button rejected: tampered or another user's");
      await republishHome(deps, args.client, teamId, slackUserId);
      return;
    }

    try {
      const person = await findPerson(deps.ctx, teamId, slackUserId);
      if (!person) return;
      await deleteEncounter(deps.ctx, person, value.e);
    } catch (error) {
      // An entry deleted twice is gone already; the republished Home shows the current log.
      if (!(error instanceof CaselogError)) deps.ctx.logger.error({ err: error, slackUserId, encounterId: value.e }, "Home delete failed");
    }
    await republishHome(deps, args.client, teamId, slackUserId);
  };
}

/** "Previous page" and "Next page" on either Home. */
export function homePageButton(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const page = Number.parseInt(args.action.value ?? "1", 10);
    try {
      await publishHome(deps, args.client, args.body.team?.id ?? "", args.body.user.id, Number.isFinite(page) ? page : 1);
    } catch (error) {
      deps.ctx.logger.error({ err: error, slackUserId: args.body.user.id }, "Home page not published");
    }
  };
}

/** Listeners that publish the Home themselves, so the middleware leaves it (and its page) alone. */
const PUBLISHING_ACTIONS = new Set<string>([ADMIN_ACTIONS.homeDelete, ADMIN_ACTIONS.homePreviousPage, ADMIN_ACTIONS.homeNextPage, ADMIN_ACTIONS.homeLogCase]);
const PUBLISHING_CALLBACKS = new Set<string>([ADMIN_CALLBACKS.review]);

function interactingUser(body: AnyMiddlewareArgs["body"]): { userId: string; teamId: string } | null {
  const raw = body as {
    type?: string;
    user_id?: string;
    team_id?: string;
    user?: { id?: string; team_id?: string };
    team?: { id?: string } | null;
    actions?: { action_id?: string }[];
    view?: { callback_id?: string };
  };
  // Events, option loads and closed modals change nothing a Home shows.
  if (raw.type === "event_callback" || raw.type === "block_suggestion" || raw.type === "view_closed") return null;
  if (raw.type === "block_actions" && raw.actions?.some((action) => PUBLISHING_ACTIONS.has(action.action_id ?? ""))) return null;
  if (raw.type === "view_submission" && PUBLISHING_CALLBACKS.has(raw.view?.callback_id ?? "")) return null;
  const userId = raw.user_id ?? raw.user?.id;
  const teamId = raw.team_id ?? raw.team?.id ?? raw.user?.team_id;
  return userId && teamId ? { userId, teamId } : null;
}

/**
 * Global middleware: after any command, button or form submission, republishes the user's
 * Home if this process has published it before, so the tab shows the user's own changes.
 * Changes made by someone else (an attending's decision, a co-credit) republish the Homes they
 * touch from the co-credit listeners.
 * NOTE: changes made on another instance appear on the next open of the tab.
 */
export function republishAfterChange(deps: SlackDeps) {
  return async ({ body, client, next }: AnyMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await next();
    const user = interactingUser(body);
    if (!user || !hasPublishedHome(deps, user.userId)) return;
    await republishHome(deps, client, user.teamId, user.userId);
  };
}
