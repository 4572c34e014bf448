import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { findPerson } from "../../services/people.js";
import { NotAllowedError, NotRegisteredError } from "../../services/errors.js";
import type { WebClient } from "@slack/web-api";
import type { Person } from "../../generated/prisma/client.js";
import {
  esirFormFiles,
  loadEsirSummary,
  setIcuRotation,
  signEsirVerification,
  unlockEsirVerification,
  type EsirSummary,
} from "../../services/esir.js";
import { findResidentBySlackId } from "../../services/exports.js";
import type { SubcommandInput } from "../commands/subcommands.js";
import { responderFor, type Responder, type SlackDeps } from "../context.js";
import { replyForError } from "../entry-flow.js";
import { esirSignedMessage, esirSummaryMessage, esirUnlockedMessage } from "../views/esir.js";
import { plainReply } from "../views/messages.js";
import { firstMention, mentionReply, postToChannel, sendFiles } from "./delivery.js";
import { esirSignSchema, esirUnlockSchema } from "./ids.js";

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

const USAGE =
  "Write `/caselog esir @resident` for the ESIR verification form, `/caselog esir unlock @resident` to unlock a signed form, or `/caselog esir icu @resident yes` to record the ICU rotation.";

/**
 * `/caselog esir @resident` sends the ESIR form and log to the program director's DM with a
 * Sign button; `/caselog esir unlock @resident` unlocks a signed form.
 */
export async function esirSubcommand(input: SubcommandInput): Promise<void> {
  const { deps, command, client, person, rest, today, respond } = input;
  const ids = { slackUserId: command.user_id, slackTeamId: command.team_id };
  const residentSlackId = firstMention(rest);
  if (!residentSlackId) {
    await respond(plainReply(USAGE));
    return;
  }

  try {
    if (!person) throw new NotRegisteredError();
    if (person.role !== "program_director") throw new NotAllowedError("Only a program director can create, sign or unlock an ESIR verification form.");
    const resident = await findResidentBySlackId(deps.ctx, person, residentSlackId);

    const icu = /^icu\b.*\b(yes|no)\s*$/i.exec(rest.trim());
    if (/^icu\b/i.test(rest.trim())) {
      if (!icu) {
        await respond(plainReply("Write `/caselog esir icu @resident yes` or `/caselog esir icu @resident no`."));
        return;
      }
      const updated = await setIcuRotation(deps.ctx, person, resident, icu[1]!.toLowerCase() === "yes");
      await respond(mentionReply(`ICU rotation completed for <@${resident.slackUserId}>: ${updated.icuRotationCompleted ? "yes" : "no"}. The ESIR form shows it.`));
      return;
    }

    if (/^unlock\b/i.test(rest.trim())) {
      const unlocked = await unlockEsirVerification(deps.ctx, person, resident);
      await respond(esirUnlockedMessage(unlocked, resident.slackUserId));
      return;
    }

    const summary = await loadEsirSummary(deps.ctx, person, resident, today);
    await respond(mentionReply(`Preparing the ESIR verification form for <@${resident.slackUserId}>. It arrives in your direct messages with Caselog.`));
    await deliverEsirForm(deps, client, { director: person, resident, summary });
  } catch (error) {
    await respond(replyForError(deps, error, ids));
  }
}

/**
 * Sends the ESIR form (PDF) and detailed log (CSV) to the director's DM, followed by the summary
 * with a Sign button when the form can be signed. Other surfaces, such as an App Home button,
 * can call it with a summary from `loadEsirSummary`, which checks the director's rights.
 */
export async function deliverEsirForm(deps: SlackDeps, client: WebClient, input: { director: Person; resident: Person; summary: EsirSummary }): Promise<void> {
  const { director, resident, summary } = input;
  const files = await esirFormFiles(summary);
  const channel = await sendFiles(deps, client, director.slackUserId, [files.pdf, files.csv], `ESIR verification form and detailed log for ${summary.form.residentName}.`);

  const canSign = summary.eligible && !summary.verification;
  const sign = canSign
    ? deps.signed.sign({ u: director.slackUserId, r: resident.slackUserId, f: summary.form.period.from, t: summary.form.period.until, n: summary.form.creditedTotal })
    : null;
  const unlock = summary.verification ? deps.signed.sign({ u: director.slackUserId, r: resident.slackUserId }) : null;
  await postToChannel(client, channel, esirSummaryMessage(summary, resident.slackUserId, { sign, unlock }));
}

function responderOf(deps: SlackDeps, body: BlockButtonAction): Responder {
  return body.response_url ? responderFor(deps, body.response_url) : async () => undefined;
}

async function checkedValue<T extends { u: string }>(deps: SlackDeps, args: ButtonArgs, value: T | null, respond: Responder): Promise<T | null> {
  if (!value) {
    deps.ctx.logger.warn({ slackUserId: args.body.user.id, actionId: args.action.action_id }, "tampered button value rejected");
    await respond(plainReply("Nothing was done: this button's data was changed or damaged. Run /caselog esir again for a fresh form."));
    return null;
  }
  if (value.u !== args.body.user.id) {
    deps.ctx.logger.warn({ slackUserId: args.body.user.id, actionId: args.action.action_id }, "ESIR button pressed by another user");
    await respond(plainReply("Nothing was done: only the program director this form was sent to can press its buttons."));
    return null;
  }
  return value;
}

/** Sign: records the director's signature, locks the encounters and sends the signed form. */
export function esirSignButton(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const respond = responderOf(deps, args.body);
    const value = await checkedValue(deps, args, deps.signed.verify(args.action.value, esirSignSchema), respond);
    if (!value) return;

    const ids = { slackUserId: args.body.user.id, residentSlackId: value.r };
    try {
      const director = await findPerson(deps.ctx, args.body.team?.id ?? "", args.body.user.id);
      if (!director) throw new NotRegisteredError();
      const resident = await findResidentBySlackId(deps.ctx, director, value.r);
      const today = deps.timeZones.today(deps, await deps.timeZones.lookup(deps, args.client, director.slackUserId, director));

      const { verification } = await signEsirVerification(deps.ctx, { director, resident, expected: { from: value.f, until: value.t, total: value.n }, today });
      const files = await esirFormFiles(await loadEsirSummary(deps.ctx, director, resident, today));
      await sendFiles(deps, args.client, director.slackUserId, [files.pdf], `Signed ESIR verification form for ${files.pdf.filename.replace(/^esir-verification-|\.pdf$/g, "")}.`);

      const unlock = deps.signed.sign({ u: director.slackUserId, r: resident.slackUserId });
      await respond({ replace_original: true, ...esirSignedMessage(verification, resident.slackUserId, unlock) });
    } catch (error) {
      await respond(replyForError(deps, error, ids));
    }
  };
}

/** Unlock: releases the locked encounters so the resident can change them again. */
export function esirUnlockButton(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const respond = responderOf(deps, args.body);
    const value = await checkedValue(deps, args, deps.signed.verify(args.action.value, esirUnlockSchema), respond);
    if (!value) return;

    try {
      const director = await findPerson(deps.ctx, args.body.team?.id ?? "", args.body.user.id);
      if (!director) throw new NotRegisteredError();
      const resident = await findResidentBySlackId(deps.ctx, director, value.r);
      const unlocked = await unlockEsirVerification(deps.ctx, director, resident);
      await respond({ replace_original: true, ...esirUnlockedMessage(unlocked, resident.slackUserId) });
    } catch (error) {
      await respond(replyForError(deps, error, { slackUserId: args.body.user.id, residentSlackId: value.r }));
    }
  };
}
