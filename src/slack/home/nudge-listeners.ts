import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { z } from "zod";
import { addDays, isIsoDate } from "../../rules/academic-year.js";
import { slackUserIdSchema } from "../../rules/schemas.js";
import { findPerson, isResident } from "../../services/people.js";
import type { SubcommandInput } from "../commands/subcommands.js";
import { responderFor, type SlackDeps } from "../context.js";
import { textReply } from "../views/admin.js";

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

export const snoozeButtonSchema = z.object({ u: slackUserIdSchema, d: z.number().int().min(1).max(90) });

/** "Snooze for a week" on a nudge: pauses the resident's nudges and replaces the message. */
export function snoozeButton(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const slackUserId = args.body.user.id;
    const value = deps.signed.verify(args.action.value, snoozeButtonSchema);
    if (!value || value.u !== slackUserId) {
      deps.ctx.logger.warn({ slackUserId, actionId: args.action.action_id }, "snooze button rejected: tampered or another user's");
      return;
    }

    const person = await findPerson(deps.ctx, args.body.team?.id ?? "", slackUserId);
    if (!person) return;
    const timeZone = await deps.timeZones.lookup(deps, args.client, slackUserId, person);
    const until = addDays(deps.timeZones.today(deps, timeZone), value.d);
    await deps.ctx.db.person.update({ where: { id: person.id }, data: { nudgesPausedUntil: until } });
    deps.ctx.logger.info({ slackUserId, until }, "nudges snoozed");

    if (args.body.response_url) {
      await responderFor(deps, args.body.response_url)({ replace_original: true, ...textReply(`Reminders are paused until ${until}.`) });
    }
  };
}

/** `/caselog vacation until YYYY-MM-DD` pauses nudges; `/caselog vacation off` resumes them. */
export async function vacationCommand(input: SubcommandInput): Promise<void> {
  const { deps, person, respond, today } = input;
  if (!person || !isResident(person)) {
    await respond(textReply("Only registered residents get reminders to log. Type `/caselog` to register."));
    return;
  }

  const words = input.rest.trim().toLowerCase().split(/\s+/).filter((word) => word !== "until");
  const [argument = ""] = words;
  if (argument === "off") {
    await deps.ctx.db.person.update({ where: { id: person.id }, data: { nudgesPausedUntil: null } });
    await respond(textReply("Reminders to log are on again."));
    return;
  }
  if (!isIsoDate(argument) || argument <= today) {
    await respond(textReply(`Write it as \`/caselog vacation until 2027-01-05\` with a date after today (${today}), or \`/caselog vacation off\`.`));
    return;
  }
  await deps.ctx.db.person.update({ where: { id: person.id }, data: { nudgesPausedUntil: argument } });
  deps.ctx.logger.info({ slackUserId: person.slackUserId, until: argument }, "nudges paused for vacation");
  await respond(textReply(`Reminders to log are paused until ${argument}. Enjoy the time off.`));
}
