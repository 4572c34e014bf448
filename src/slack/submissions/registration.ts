import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { parseCommandText } from "../../entry/parse-text.js";
import { registrationSchema } from "../../rules/schemas.js";
import { dateInTimeZone } from "../../rules/academic-year.js";
import { checkRegistrationDates, registerResident } from "../../services/people.js";
import { directMessenger, responderFor, type Responder, type SlackDeps } from "../context.js";
import { handleEncounterText, replyForError } from "../entry-flow.js";
import { REGISTRATION_BLOCKS } from "../ids.js";
import { registrationMetadataSchema, type RegistrationMetadata } from "../payloads.js";
import { plainReply } from "../views/messages.js";

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const FIELD_BLOCKS: Record<string, string> = {
  track: REGISTRATION_BLOCKS.track,
  pgy: REGISTRATION_BLOCKS.pgy,
  residencyStart: REGISTRATION_BLOCKS.residencyStart,
  esirStart: REGISTRATION_BLOCKS.esirStart,
  esirEnd: REGISTRATION_BLOCKS.esirEnd,
};

const FIELD_MESSAGES: Record<string, string> = {
  track: "Choose your training track.",
  pgy: "Choose your current PGY level.",
  residencyStart: "Pick the first day of your radiology residency.",
};

/** Returns the user's real name from their Slack profile, for forms such as the ESIR verification. */
async function realName(deps: SlackDeps, client: SubmitArgs["client"], slackUserId: string): Promise<string | null> {
  try {
    const info = await client.users.info({ user: slackUserId });
    return info.user?.real_name?.trim() || info.user?.profile?.real_name?.trim() || null;
  } catch (error) {
    deps.ctx.logger.warn({ err: error, slackUserId }, "users.info failed; storing the Slack username");
    return null;
  }
}

/** The registration modal's submission: validated with zod, errors on the right input block. */
export function registrationSubmission(deps: SlackDeps) {
  return async ({ ack, body, view, client }: SubmitArgs): Promise<void> => {
    const values = view.state.values;
    const field = (block: string) => values[block]?.value;
    const input = {
      track: field(REGISTRATION_BLOCKS.track)?.selected_option?.value,
      pgy: field(REGISTRATION_BLOCKS.pgy)?.selected_option?.value,
      residencyStart: field(REGISTRATION_BLOCKS.residencyStart)?.selected_date ?? undefined,
      esirStart: field(REGISTRATION_BLOCKS.esirStart)?.selected_date ?? null,
      esirEnd: field(REGISTRATION_BLOCKS.esirEnd)?.selected_date ?? null,
    };

    const parsed = registrationSchema.safeParse(input);
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const name = String(issue.path[0] ?? "track");
        const block = FIELD_BLOCKS[name] ?? REGISTRATION_BLOCKS.track;
        errors[block] ??= FIELD_MESSAGES[name] && input[name as keyof typeof input] == null ? FIELD_MESSAGES[name]! : issue.message;
      }
      await ack({ response_action: "errors", errors });
      return;
    }

    // Checked before the acknowledgement, in the default time zone: a day's difference does not
    // change whether a start date is a year ahead or a PGY level is consistent.
    const today = dateInTimeZone(deps.ctx.now(), deps.ctx.config.CASELOG_DEFAULT_TIME_ZONE);
    const datesProblem = checkRegistrationDates(parsed.data, today);
    if (datesProblem) {
      const block = datesProblem.message.startsWith("esirStart: ") ? REGISTRATION_BLOCKS.esirStart : REGISTRATION_BLOCKS.residencyStart;
      await ack({ response_action: "errors", errors: { [block]: datesProblem.message.replace(/^(?:residencyStart|esirStart): /, "") } });
      return;
    }
    if (parsed.data.track === "esir" && !parsed.data.esirStart) {
      await ack({ response_action: "errors", errors: { [REGISTRATION_BLOCKS.esirStart]: "Enter your ESIR start date: encounters from that day on count toward the ESIR 500." } });
      return;
    }

    let metadata: RegistrationMetadata = {};
    try {
      metadata = registrationMetadataSchema.parse(JSON.parse(view.private_metadata || "{}"));
    } catch {
      deps.ctx.logger.warn({ slackUserId: body.user.id }, "registration metadata invalid; ignoring it");
    }
    await ack();

    const respond: Responder = metadata.responseUrl ? responderFor(deps, metadata.responseUrl) : directMessenger(deps, client, body.user.id);
    const teamId = body.team?.id ?? view.team_id;
    try {
      const timeZone = await deps.timeZones.lookup(deps, client, body.user.id, null);
      const person = await registerResident(deps.ctx, {
        slackTeamId: teamId,
        slackUserId: body.user.id,
        displayName: (await realName(deps, client, body.user.id)) ?? body.user.name ?? null,
        timeZone,
        registration: parsed.data,
      });
      deps.ctx.logger.info({ slackUserId: body.user.id, personId: person.id }, "resident registered");

      const pending = metadata.pendingText ? parseCommandText(metadata.pendingText, deps.ctx.now(), timeZone) : null;
      if (pending?.kind === "encounter") {
        await handleEncounterText(deps, { resident: person, parsed: pending, today: deps.timeZones.today(deps, timeZone), sourceKey: `view:${view.id}`, respond });
        return;
      }
      await respond(plainReply("You are registered. Log your first case with `/caselog port today`, or type `/caselog` for the form."));
    } catch (error) {
      await respond(replyForError(deps, error, { slackUserId: body.user.id }));
    }
  };
}
