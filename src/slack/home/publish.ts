import type { WebClient } from "@slack/web-api";
import { loadDirectorHome, loadResidentHome } from "../../services/home.js";
import { findPerson, isResident } from "../../services/people.js";
import { managesProgram, getProgram } from "../../services/roster.js";
import type { SlackDeps } from "../context.js";
import { directorHomeView, residentHomeView, welcomeHomeView, type HomeButtonValues } from "../views/home.js";

/**
 * Users whose Home this process has published, so changes made elsewhere (a command, an
 * edit) republish only Homes that someone has opened.
 */
const publishedHomes = new WeakMap<SlackDeps, Map<string, string>>();

export function hasPublishedHome(deps: SlackDeps, slackUserId: string): boolean {
  return publishedHomes.get(deps)?.has(slackUserId) ?? false;
}

function buttonValues(deps: SlackDeps, slackUserId: string): HomeButtonValues {
  return {
    edit: (encounterId) => deps.signed.sign({ u: slackUserId, e: encounterId }),
    remove: (encounterId) => deps.signed.sign({ u: slackUserId, e: encounterId }),
    review: (residentId) => deps.signed.sign({ r: residentId }),
  };
}

/** Builds and publishes a user's Home for their role; `page` selects entries or residents. */
export async function publishHome(deps: SlackDeps, client: WebClient, slackTeamId: string, slackUserId: string, page = 1): Promise<void> {
  const person = await findPerson(deps.ctx, slackTeamId, slackUserId);
  let view;
  if (person && person.active && isResident(person)) {
    view = residentHomeView(slackUserId, await loadResidentHome(deps.ctx, person, page), buttonValues(deps, slackUserId));
  } else if (person && managesProgram(person, person.programId)) {
    const program = await getProgram(deps.ctx, person.programId);
    const timeZone = await deps.timeZones.lookup(deps, client, slackUserId, person);
    const home = await loadDirectorHome(deps.ctx, program, deps.timeZones.today(deps, timeZone), page);
    view = directorHomeView(home, buttonValues(deps, slackUserId));
  } else {
    view = welcomeHomeView(person?.role ?? null);
  }

  await client.views.publish({ user_id: slackUserId, view });
  let users = publishedHomes.get(deps);
  if (!users) {
    users = new Map();
    publishedHomes.set(deps, users);
  }
  users.set(slackUserId, slackTeamId);
}

/** Publishes a user's Home again after a change; failures are logged, not thrown. */
export async function republishHome(deps: SlackDeps, client: WebClient, slackTeamId: string, slackUserId: string): Promise<void> {
  try {
    await publishHome(deps, client, slackTeamId, slackUserId);
  } catch (error) {
    deps.ctx.logger.warn({ err: error, slackUserId }, "Home tab not republished");
  }
}

/**
 * Republishes the Home of a user whose data someone else changed (an attending's decision, a
 * co-credit notice), if this process has published that Home before.
 */
export async function republishHomeIfOpened(deps: SlackDeps, client: WebClient, slackUserId: string): Promise<void> {
  const slackTeamId = publishedHomes.get(deps)?.get(slackUserId);
  if (slackTeamId) await republishHome(deps, client, slackTeamId, slackUserId);
}
