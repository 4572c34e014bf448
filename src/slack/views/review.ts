import type { ModalView } from "@slack/types";
import { MAX_REVIEW_COMMENT_LENGTH, type OverdueResident, type ReviewSummary } from "../../services/reviews.js";
import { ADMIN_ACTIONS, ADMIN_CALLBACKS, REVIEW_BLOCKS } from "../admin/ids.js";
import { type Blocks, button, context, escapeMrkdwn, header, plain, section } from "./blocks.js";
import { splitIntoMessages } from "./digest.js";
import { checkView } from "./limits.js";
import type { Reply } from "./messages.js";
import { progressBlocks } from "./progress.js";

export interface DueResident {
  slackUserId: string;
  lastReviewedOn: string | null;
  /** Signed value of the resident's Review button. */
  buttonValue: string;
}

/** Builds the direct message that opens a review window: one Review button per resident due. */
export function reviewReminderMessages(programName: string, windowLabel: string, residents: readonly DueResident[]): Reply[] {
  const title = `Case log reviews are due: ${programName}`;
  const blocks: Blocks = [
    header(title),
    section(`The ${escapeMrkdwn(windowLabel)} review window is open. ${residents.length} resident${residents.length === 1 ? " is" : "s are"} due. Press *Review* to see a log summary and record the review.`),
  ];
  for (const resident of residents) {
    const last = resident.lastReviewedOn ? `last reviewed ${resident.lastReviewedOn}` : "never reviewed in Caselog";
    blocks.push({ ...section(`<@${resident.slackUserId}> · ${last}`), accessory: button("Review", ADMIN_ACTIONS.openReview, resident.buttonValue, "primary") });
  }
  return splitIntoMessages(title, blocks);
}

export interface ReviewModalMetadata {
  r: number;
  from: string;
  until: string;
}

function paceLine(summary: ReviewSummary): string {
  const pace = summary.pace;
  if (!pace) return "Pace: unknown (no residency start).";
  if (pace.status === "too_early") return "Pace: too early to project.";
  if (pace.status === "finished") return "Pace: past expected graduation.";
  if (pace.status === "on_pace") return `Pace: on pace for expected graduation on ${pace.until}.`;
  const names = pace.shortfalls.map((entry) => `${escapeMrkdwn(entry.name)} (${entry.count} now, projected ${entry.projected} of ${entry.target})`);
  return `:warning: Behind pace for graduation on ${pace.until}: ${names.join(", ")}.`;
}

/** Builds the review modal: log summary, pace and anomalies, then the reviewer's comment. */
export function reviewModal(summary: ReviewSummary, metadata: ReviewModalMetadata): ModalView {
  const last = summary.lastReview ? `Last review: ${summary.lastReview.periodUntil} by <@${summary.lastReview.reviewerSlackId}>.` : "No earlier review in Caselog.";
  const anomalies = summary.anomalies.length > 0 ? summary.anomalies.map((line) => `• ${escapeMrkdwn(line)}`).join("\n") : "None found.";
  const progress = progressBlocks(summary.progress, `<@${summary.resident.slackUserId}>`).filter((block) => block.type !== "header" && block.type !== "context");

  const blocks = [
    section(`*Resident:* <@${summary.resident.slackUserId}>\n*Period covered:* ${summary.periodFrom} to ${summary.periodUntil} (${summary.entriesInPeriod} encounters)\n${last}`),
    section(paceLine(summary)),
    ...progress,
    section(`*Anomalies*\n${anomalies}`),
    {
      type: "input",
      block_id: REVIEW_BLOCKS.comment,
      label: plain("Comment for the resident"),
      element: { type: "plain_text_input", action_id: "value", multiline: true, max_length: MAX_REVIEW_COMMENT_LENGTH },
    },
    context("The resident is told that the review was recorded, with your comment."),
  ];

  return checkView({
    type: "modal",
    callback_id: ADMIN_CALLBACKS.review,
    title: plain("Case log review"),
    submit: plain("Record review"),
    close: plain("Cancel"),
    private_metadata: JSON.stringify(metadata),
    blocks: blocks as ModalView["blocks"],
  });
}

/** Builds the direct message a resident gets once a review is recorded. */
export function reviewRecordedMessage(reviewerSlackId: string, periodFrom: string, periodUntil: string, comment: string | null): Reply {
  const text = `Your case log was reviewed by <@${reviewerSlackId}> for ${periodFrom} to ${periodUntil}.`;
  const blocks: Blocks = [section(`:clipboard: ${text}`)];
  if (comment) blocks.push(section(`*Comment:*\n${escapeMrkdwn(comment)}`));
  return { text, blocks };
}

/** Builds the escalation of logs unreviewed for 12 months, for the director and the program channel. */
export function escalationMessages(programName: string, overdue: readonly OverdueResident[]): Reply[] {
  const title = `Case logs overdue for review: ${programName}`;
  const blocks: Blocks = [
    header(title),
    section(`${overdue.length} resident log${overdue.length === 1 ? " has" : "s have"} not been reviewed for 12 months or more. The ACGME expects every case log to be reviewed at least once a year.`),
  ];
  for (const entry of overdue) {
    const last = entry.lastReviewedOn ? `last reviewed ${entry.lastReviewedOn}` : `never reviewed (residency started ${entry.resident.residencyStart})`;
    blocks.push(section(`<@${entry.resident.slackUserId}> · ${last}`));
  }
  return splitIntoMessages(title, blocks);
}
