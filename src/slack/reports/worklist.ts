import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { Person } from "../../generated/prisma/client.js";
import { NotAllowedError, NotRegisteredError } from "../../services/errors.js";
import { findPerson, isResident } from "../../services/people.js";
import { getWorklist, markEnteredInAcgme } from "../../services/worklist.js";
import type { SubcommandInput } from "../commands/subcommands.js";
import { responderFor, type SlackDeps } from "../context.js";
import { replyForError } from "../entry-flow.js";
import { plainReply, type Reply } from "../views/messages.js";
import { WORKLIST_PAGE_SIZE, worklistMessage } from "../views/worklist.js";
import { worklistMarkSchema } from "./ids.js";

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

async function worklistReply(deps: SlackDeps, resident: Person): Promise<Reply> {
  const worklist = await getWorklist(deps.ctx, resident);
  const shown = worklist.entries.slice(0, WORKLIST_PAGE_SIZE);
  const markOne = new Map(shown.map((entry) => [entry.encounterId, deps.signed.sign({ u: resident.slackUserId, e: [entry.encounterId] })]));
  const markShown = shown.length > 0 ? deps.signed.sign({ u: resident.slackUserId, e: shown.map((entry) => entry.encounterId) }) : null;
  return worklistMessage(worklist, { markOne, markShown });
}

/** `/caselog worklist`: the resident's own entries still to copy into the ACGME system. */
export async function worklistSubcommand(input: SubcommandInput): Promise<void> {
  const { deps, command, person, respond } = input;
  try {
    if (!person) throw new NotRegisteredError();
    if (!isResident(person)) throw new NotAllowedError("The ACGME worklist is a resident's own list. Program staff can export a resident's log with /caselog export @resident.");
    await respond(await worklistReply(deps, person));
  } catch (error) {
    await respond(replyForError(deps, error, { slackUserId: command.user_id }));
  }
}

/** Mark entered (one entry or every shown entry), then redraw the worklist in place. */
export function worklistMarkButton(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const respond = args.body.response_url ? responderFor(deps, args.body.response_url) : async () => undefined;
    const value = deps.signed.verify(args.action.value, worklistMarkSchema);
    if (!value || value.u !== args.body.user.id) {
      deps.ctx.logger.warn({ slackUserId: args.body.user.id, actionId: args.action.action_id }, "worklist button rejected");
      await respond(plainReply("Nothing was marked: this button belongs to another resident's worklist or was changed. Run /caselog worklist again."));
      return;
    }

    try {
      const resident = await findPerson(deps.ctx, args.body.team?.id ?? "", args.body.user.id);
      if (!resident) throw new NotRegisteredError();
      const marked = await markEnteredInAcgme(deps.ctx, resident, value.e);
      const reply = await worklistReply(deps, resident);
      await respond({ replace_original: true, ...reply, text: `Marked ${marked} entered. ${reply.text}` });
    } catch (error) {
      await respond(replyForError(deps, error, { slackUserId: args.body.user.id }));
    }
  };
}
