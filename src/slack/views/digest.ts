import type { KnownBlock } from "@slack/types";
import { TRACK_NAMES } from "../../rules/counting.js";
import type { Digest, DigestRow } from "../../services/digests.js";
import { behindPace } from "../../services/digests.js";
import { type Blocks, context, escapeMrkdwn, header, section } from "./blocks.js";
import { LIMITS, checkMessageBlocks } from "./limits.js";
import type { Reply } from "./messages.js";
import { textBar } from "./progress.js";

/**
 * Splits blocks into messages of at most 50 blocks each (Slack's message limit). Each part's
 * fallback text names the part, so notifications read "part 2 of 3".
 */
export function splitIntoMessages(title: string, blocks: readonly KnownBlock[], maxBlocks: number = LIMITS.messageBlocks): Reply[] {
  const chunks: Blocks[] = [];
  for (let start = 0; start < blocks.length; start += maxBlocks) chunks.push(blocks.slice(start, start + maxBlocks));
  if (chunks.length === 0) chunks.push([]);

  return chunks.map((chunk, index) => ({
    text: chunks.length > 1 ? `${title} (part ${index + 1} of ${chunks.length})` : title,
    blocks: checkMessageBlocks(chunk),
  }));
}

function residentName(row: Pick<DigestRow, "slackUserId">): string {
  return `<@${row.slackUserId}>`;
}

function encountersText(row: DigestRow): string {
  const { encounters } = row;
  if (encounters.target === null) return `${encounters.all} encounters`;
  return `\`${textBar(encounters.count, encounters.target)}\` ${encounters.count} of ${encounters.target} encounters`;
}

function paceText(row: DigestRow): string {
  const pace = row.pace;
  if (!pace) return "pace unknown (no residency start)";
  if (pace.status === "too_early") return "too early to project pace";
  if (pace.status === "finished") return "past expected graduation";
  if (pace.status === "on_pace") return "on pace";
  const names = pace.shortfalls.map((entry) => `${escapeMrkdwn(entry.name)} (${entry.count}, projected ${entry.projected} of ${entry.target})`);
  return `:warning: behind pace: ${names.join(", ")}`;
}

/** Formats one resident's digest line: track, encounters, DR minimums met and pace. */
export function digestRowText(row: DigestRow): string {
  const minimums = row.minimumsTotal > 0 ? ` · DR minimums met ${row.minimumsMet} of ${row.minimumsTotal}` : "";
  return `*${residentName(row)}* · ${TRACK_NAMES[row.track]}, PGY-${row.pgy}\n${encountersText(row)}${minimums} · ${paceText(row)}`;
}

/** Builds the digest as one or more channel messages, each within Slack's block and text limits. */
export function digestMessages(digest: Digest, frequency: string): Reply[] {
  const behind = behindPace(digest.rows);
  const title = `${frequency === "monthly" ? "Monthly" : "Weekly"} case log digest: ${digest.programName}`;
  const blocks: Blocks = [
    header(title),
    context(`${digest.period} · ${digest.rows.length} active residents · ${behind.length} behind pace · counts only, no patient details`),
  ];

  if (behind.length > 0) {
    const names = behind.map(residentName).join(", ");
    blocks.push(section(`*Behind pace:* ${names}`));
  }
  if (digest.rows.length === 0) blocks.push(section("No active residents are registered in this program yet."));
  for (const row of digest.rows) blocks.push(section(digestRowText(row)));

  return splitIntoMessages(title, blocks);
}
