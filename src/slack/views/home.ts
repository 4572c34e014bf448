import type { HomeView } from "@slack/types";
import type { DirectorHome, ResidentHome } from "../../services/home.js";
import { ADMIN_ACTIONS } from "../admin/ids.js";
import { ACTIONS } from "../ids.js";
import { type Blocks, actions, button, context, escapeMrkdwn, header, section } from "./blocks.js";
import { digestRowText } from "./digest.js";
import { checkView } from "./limits.js";
import type { Reply } from "./messages.js";
import { progressBlocks } from "./progress.js";

/** Signed button values the Home needs, made by the listener that has the signing key. */
export interface HomeButtonValues {
  edit(encounterId: number): string;
  remove(encounterId: number): string;
  review(residentId: number): string;
}

const VERIFICATION_WORDS: Record<string, string> = {
  pending: "awaiting verification",
  needs_info: "returned for more information",
  declined: "declined",
};

function pager(page: number, pages: number): Blocks {
  if (pages <= 1) return [];
  const buttons = [];
  if (page > 1) buttons.push(button("Previous page", ADMIN_ACTIONS.homePreviousPage, String(page - 1)));
  if (page < pages) buttons.push(button("Next page", ADMIN_ACTIONS.homeNextPage, String(page + 1)));
  return [context(`Page ${page} of ${pages}`), actions(buttons, "home_pages")];
}

/** Builds a resident's Home: a Log a case button, progress bars, pending items and recent entries. */
export function residentHomeView(slackUserId: string, home: ResidentHome, values: HomeButtonValues): HomeView {
  const blocks: Blocks = [header("Your case log"), actions([button("Log a case", ADMIN_ACTIONS.homeLogCase, "log", "primary")], "home_log")];

  blocks.push(...progressBlocks(home.progress, `<@${slackUserId}>`).filter((block) => block.type !== "header"));

  const pending = Object.entries(home.pending.verification).map(([state, count]) => `${count} ${VERIFICATION_WORDS[state] ?? state}`);
  if (home.pending.coCredit > 0) pending.push(`${home.pending.coCredit} co-credit requests waiting`);
  blocks.push(section(`*Pending items:* ${pending.length > 0 ? pending.join(", ") : "none"}`));

  const review = home.lastReview ? `Last review: ${home.lastReview.periodUntil} by <@${home.lastReview.reviewerSlackId}>.` : "No review of your log is recorded yet.";
  const muted = home.nudgesPausedUntil ? ` Reminders to log are paused until ${home.nudgesPausedUntil}.` : "";
  blocks.push(context(`${review}${muted}`));

  blocks.push(header("Recent entries"));
  if (home.entries.length === 0) blocks.push(section("No entries yet. Press *Log a case* or type `/caselog port today`."));
  for (const entry of home.entries) {
    const state = VERIFICATION_WORDS[entry.verification] ? ` · _${VERIFICATION_WORDS[entry.verification]}_` : "";
    blocks.push(section(`*#${entry.id}* · ${entry.performedOn} · ${escapeMrkdwn(entry.procedures.join(", "))}${state}`));
    blocks.push(actions([button("Edit", ACTIONS.edit, values.edit(entry.id)), { ...button("Delete", ADMIN_ACTIONS.homeDelete, values.remove(entry.id), "danger"), confirm: deleteConfirm(entry.id) }], `entry_${entry.id}`));
  }
  blocks.push(...pager(home.page, home.pages));

  return checkView({ type: "home", blocks });
}

function deleteConfirm(encounterId: number) {
  return {
    title: { type: "plain_text" as const, text: "Delete this entry?" },
    text: { type: "plain_text" as const, text: `Entry #${encounterId} will be removed from your log. The audit trail keeps a record of it.` },
    confirm: { type: "plain_text" as const, text: "Delete" },
    deny: { type: "plain_text" as const, text: "Keep" },
    style: "danger" as const,
  };
}

/** Builds a director's or coordinator's Home: program overview, residents behind pace and review status. */
export function directorHomeView(home: DirectorHome, values: HomeButtonValues): HomeView {
  const { program } = home;
  const settings = [
    program.channelId ? `digests ${program.digestFrequency} to <#${program.channelId}>` : "no digest channel set",
    `reviews in months ${program.reviewMonths}`,
    `time zone ${program.timeZone}`,
  ];
  const blocks: Blocks = [
    header(`Program: ${program.name}`),
    section(`*${home.total}* active residents · *${home.behind.length}* behind pace · *${home.overdue}* unreviewed for 12 months or more`),
    context(`${settings.join(" · ")}. Change them with \`/caselog admin program\`.`),
  ];

  if (home.behind.length > 0) blocks.push(section(`*Behind pace:* ${home.behind.map((row) => `<@${row.slackUserId}>`).join(", ")}`));

  blocks.push(header("Residents"));
  if (home.rows.length === 0) blocks.push(section("No residents yet. Add one with `/caselog admin add @resident ir_integrated 3 2024-07-01`."));
  for (const row of home.rows) {
    const review = row.lastReviewedOn ? `last reviewed ${row.lastReviewedOn}` : "never reviewed";
    const overdue = row.reviewOverdue ? " :rotating_light: review overdue" : "";
    blocks.push({ ...section(`${digestRowText(row)}\n${review}${overdue}`), accessory: button("Review", ADMIN_ACTIONS.openReview, values.review(row.residentId)) });
  }
  blocks.push(...pager(home.page, home.pages));

  return checkView({ type: "home", blocks });
}

/** Builds the Home of someone who is neither a registered resident nor program staff. */
export function welcomeHomeView(role: string | null): HomeView {
  const text = role
    ? `You are registered as ${role.replace("_", " ")}. Residents see their case log here; program directors and coordinators see their program.`
    : "Welcome to Caselog. Type `/caselog` to register as a resident, then log cases right after you do them.";
  return checkView({ type: "home", blocks: [header("Caselog"), section(text)] });
}

/** Builds the reminder a resident gets after days without an entry, with Snooze and Log a case. */
export function nudgeMessage(idleDays: number, snoozeValue: string): Reply {
  const text = `You have logged no cases for ${idleDays} days. Log a case right after you do it: \`/caselog port today @attending\`.`;
  return {
    text,
    blocks: [
      section(`:wave: ${text}`),
      actions([button("Log a case", ADMIN_ACTIONS.homeLogCase, "log", "primary"), button("Snooze for a week", ADMIN_ACTIONS.nudgeSnooze, snoozeValue)], "nudge"),
      context("Away? `/caselog vacation until 2027-01-05` pauses these reminders until that date; `/caselog vacation off` turns them back on."),
    ],
  };
}
