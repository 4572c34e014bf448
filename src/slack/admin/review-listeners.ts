import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import { isoDateSchema } from "../../rules/schemas.js";
import { CaselogError } from "../../services/errors.js";
import { findPerson } from "../../services/people.js";
import { recordReview, reviewableResident, reviewCommentProblem, reviewSummary } from "../../services/reviews.js";
import { directMessenger, type SlackDeps } from "../context.js";
import { republishHome } from "../home/publish.js";
import { textReply } from "../views/admin.js";
import { plainReply } from "../views/messages.js";
import { loadingModal, messageModal } from "../views/modals.js";
import { reviewModal, reviewRecordedMessage, type ReviewModalMetadata } from "../views/review.js";
import { REVIEW_BLOCKS } from "./ids.js";

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;
type SubmissionArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export const reviewButtonSchema = z.object({ r: z.number().int().positive() });

const reviewMetadataSchema = z.object({ r: z.number().int().positive(), from: isoDateSchema, until: isoDateSchema });

/**
 * "Review" on a reminder or on the director's Home: opens the modal at once (the trigger id
 * lasts 3 seconds), then fills it with the log summary. Anyone may click a button they can
 * see, so the clicking user must direct or coordinate the resident's program.
 */
export function openReviewButton(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const clicker = args.body.user.id;

    const value = deps.signed.verify(args.action.value, reviewButtonSchema);
    if (!value) {
      deps.ctx.logger.warn({ slackUserId: clicker, actionId: args.action.action_id }, "tampered button value rejected");
      return;
    }

    const opened = await args.client.views.open({ trigger_id: args.body.trigger_id, view: loadingModal() });
    const viewId = opened.view?.id;
    if (!viewId) return;

    try {
      const actor = await findPerson(deps.ctx, args.body.team?.id ?? "", clicker);
      const resident = await reviewableResident(deps.ctx, actor, value.r);
      const timeZone = await deps.timeZones.lookup(deps, args.client, clicker, actor);
      const summary = await reviewSummary(deps.ctx, resident, deps.timeZones.today(deps, timeZone));
      const metadata: ReviewModalMetadata = { r: resident.id, from: summary.periodFrom, until: summary.periodUntil };
      await args.client.views.update({ view_id: viewId, view: reviewModal(summary, metadata) });
    } catch (error) {
      const text = error instanceof CaselogError ? error.userMessage : "The review could not be opened because of an error on Caselog's side. Try again in a minute.";
      if (error instanceof CaselogError) deps.ctx.logger.info({ slackUserId: clicker, residentId: value.r, code: error.code }, "review modal rejected");
      else deps.ctx.logger.error({ err: error, slackUserId: clicker, residentId: value.r }, "review modal failed");
      await args.client.views.update({ view_id: viewId, view: messageModal(text) });
    }
  };
}

function parseReviewMetadata(text: string): z.infer<typeof reviewMetadataSchema> | null {
  try {
    const parsed = reviewMetadataSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Records the review, sends the resident a direct message, and republishes both Home tabs.
 * A comment that is empty or fails the patient-identifier guard is returned as an error on the
 * comment block before anything is stored. The view id keys the review, so a second submission
 * of the same modal stores and sends nothing.
 */
export function reviewSubmission(deps: SlackDeps) {
  return async (args: SubmissionArgs): Promise<void> => {
    const reviewer = args.body.user.id;
    const comment = (args.view.state.values[REVIEW_BLOCKS.comment]?.value?.value ?? "").trim();
    const metadata = parseReviewMetadata(args.view.private_metadata);
    const commentProblem = comment === "" ? "Write a comment for the resident." : reviewCommentProblem(comment);
    if (commentProblem) {
      deps.ctx.logger.info({ slackUserId: reviewer, residentId: metadata?.r }, "review comment rejected");
      await args.ack({ response_action: "errors", errors: { [REVIEW_BLOCKS.comment]: commentProblem } });
      return;
    }
    await args.ack();

    const tellReviewer = directMessenger(deps, args.client, reviewer);
    if (!metadata) {
      deps.ctx.logger.warn({ slackUserId: reviewer }, "review modal metadata was invalid");
      await tellReviewer(plainReply("The review was not recorded because the form's data was damaged. Press Review again."));
      return;
    }

    try {
      const actor = await findPerson(deps.ctx, args.body.team?.id ?? "", reviewer);
      const submissionKey = `slack-view:${args.view.id}`;
      const { review, resident, created } = await recordReview(deps.ctx, { actor, residentId: metadata.r, periodFrom: metadata.from, periodUntil: metadata.until, comment, submissionKey });
      // The first submission of this view already sent both messages.
      if (!created) return;
      await directMessenger(deps, args.client, resident.slackUserId)(reviewRecordedMessage(reviewer, review.periodFrom, review.periodUntil, review.comment));
      await tellReviewer(textReply(`Recorded your review of <@${resident.slackUserId}>'s log for ${review.periodFrom} to ${review.periodUntil}. The resident received a direct message.`));
      await republishHome(deps, args.client, args.body.team?.id ?? "", reviewer);
      await republishHome(deps, args.client, resident.slackTeamId, resident.slackUserId);
    } catch (error) {
      if (error instanceof CaselogError) deps.ctx.logger.info({ slackUserId: reviewer, residentId: metadata.r, code: error.code }, "review rejected");
      else deps.ctx.logger.error({ err: error, slackUserId: reviewer, residentId: metadata.r }, "review not recorded");
      const reason = error instanceof CaselogError ? error.userMessage : "An error on Caselog's side stopped it. Try again in a minute.";
      await tellReviewer(plainReply(`The review was not recorded. ${reason}`));
    }
  };
}
