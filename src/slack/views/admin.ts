import type { Person, Program } from "../../generated/prisma/client.js";
import { type Blocks, context, escapeMrkdwn, section } from "./blocks.js";
import { splitIntoMessages } from "./digest.js";
import type { Reply } from "./messages.js";

/** Replies of `/caselog admin`. Text may hold user and channel mentions, so it is not escaped. */

export function textReply(text: string): Reply {
  return { text, blocks: [section(text)] };
}

export function adminHelpReply(): Reply {
  const text = [
    "*Roster*",
    "`/caselog admin list` lists the program's active residents.",
    "`/caselog admin add @resident <track> <pgy> <residency start> [expected graduation]` adds a resident. Tracks: dr, esir, ir_integrated, ir_independent. Dates are YYYY-MM-DD.",
    "`/caselog admin set @resident <field> <value>` changes track, pgy, start, graduation, esir-start, esir-end (a date or none) or icu (yes or no).",
    "`/caselog admin deactivate @resident` and `activate` take a resident out of digests, reviews and reminders and back.",
    "`/caselog admin promote @person supervisor` (or coordinator, or program_director) gives a staff role.",
    '`/caselog admin move @resident "IR Residency"` moves a resident to another program.',
    "*Programs*",
    "`/caselog admin program` shows the settings; `/caselog admin programs` lists the workspace's programs.",
    '`/caselog admin program add "IR Residency" ir @director` creates another program with its own director.',
    "`/caselog admin program channel #channel` sets where digests and escalations go (invite Caselog there).",
    "`/caselog admin program digest weekly` (or monthly, or off), `program reviews 1,7` (review window months), `program tz America/Chicago`, `program nudge 7` (days without an entry before a resident is reminded, or off), `program director @person`.",
  ].join("\n");
  return { text: "Caselog admin commands", blocks: [section(text)] };
}

function residentLine(person: Person): string {
  const graduation = person.expectedGraduation ? `, graduates ${person.expectedGraduation}` : "";
  const esir = person.esirStart ? `, ESIR ${person.esirStart} to ${person.esirEnd ?? "open"}` : "";
  const icu = person.icuRotationCompleted ? ", ICU rotation done" : "";
  return `<@${person.slackUserId}> · ${person.track}, PGY-${person.pgy}, started ${person.residencyStart}${graduation}${esir}${icu}`;
}

/** Builds the roster reply, one section per resident, within one message's 50 blocks. */
export function rosterReply(program: Program, residents: readonly Person[]): Reply {
  const blocks: Blocks = [section(`*${escapeMrkdwn(program.name)}*: ${residents.length} active residents`)];
  for (const person of residents) blocks.push(section(residentLine(person)));
  // A response_url message holds 50 blocks, so a longer roster shows its first 48 residents and a note.
  const [first] = splitIntoMessages(`Roster of ${program.name}`, blocks);
  if (blocks.length > 50) first!.blocks!.splice(49, 1, context(`Showing 48 of ${residents.length}. The Home tab lists everyone, page by page.`));
  return first!;
}

export function programReply(program: Program, heading?: string): Reply {
  const lines = [
    `*${escapeMrkdwn(program.name)}* (${program.kind.toUpperCase()})`,
    `Director: ${program.directorSlackId ? `<@${program.directorSlackId}>` : "not set"}`,
    `Channel: ${program.channelId ? `<#${program.channelId}>` : "not set (no digests or channel escalations)"}`,
    `Digest: ${program.digestFrequency} · Review months: ${program.reviewMonths} · Time zone: ${program.timeZone}`,
    `Nudges: ${program.nudgeAfterDays ? `after ${program.nudgeAfterDays} days without an entry` : "off"}`,
  ];
  return { text: `${heading ? `${heading} ` : ""}${program.name} settings`, blocks: [section([heading, ...lines].filter(Boolean).join("\n"))] };
}

export function programsReply(programs: readonly Program[]): Reply {
  const lines = programs.map((program) => `• *${escapeMrkdwn(program.name)}* (${program.kind.toUpperCase()}) · director ${program.directorSlackId ? `<@${program.directorSlackId}>` : "not set"}`);
  return { text: `${programs.length} programs`, blocks: [section(lines.join("\n") || "No programs yet.")] };
}
