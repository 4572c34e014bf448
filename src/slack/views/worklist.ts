import type { Worklist } from "../../services/worklist.js";
import { REPORT_ACTIONS } from "../reports/ids.js";
import { actions, button, context, escapeMrkdwn, header, section, type Blocks } from "./blocks.js";
import { checkMessageBlocks } from "./limits.js";
import type { Reply } from "./messages.js";

/** The ACGME worklist message: DR counts to enter, then entries with Mark entered buttons. */

/** Entries shown with their own button; a message holds at most 50 blocks. */
export const WORKLIST_PAGE_SIZE = 20;

export interface WorklistButtons {
  /** Signed value of each entry's Mark entered button, by encounter id. */
  markOne: Map<number, string>;
  /** Signed value of the Mark all shown button, or null when nothing is shown. */
  markShown: string | null;
}

/** Joins lines into texts of at most `max` characters each, never splitting a line. */
function chunkLines(lines: readonly string[], max: number): string[] {
  const chunks: string[] = [];
  let current = "";
  for (const line of lines) {
    if (current && current.length + 1 + line.length > max) {
      chunks.push(current);
      current = "";
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) chunks.push(current);
  return chunks;
}

export function worklistMessage(worklist: Worklist, buttons: WorklistButtons): Reply {
  const blocks: Blocks = [header("ACGME Case Log worklist")];

  if (worklist.drCounts.length > 0) {
    const lines = [
      "*Diagnostic imaging (aggregate entry), the numbers to enter per category:*",
      ...worklist.drCounts.map((row) => `• ${row.label} ${escapeMrkdwn(row.name)}: *${row.count}*`),
    ];
    // Many academic years exceed one section's 3000 characters, so the lines fill several.
    for (const chunk of chunkLines(lines, 2900)) blocks.push(section(chunk));
  }

  if (worklist.entries.length === 0) {
    blocks.push(section(`Every credited encounter is marked entered in the ACGME Case Log System (${worklist.enteredCount} in all).`));
    return { text: "ACGME worklist: nothing left to enter.", blocks: checkMessageBlocks(blocks) };
  }

  const shown = worklist.entries.slice(0, WORKLIST_PAGE_SIZE);
  blocks.push(section(`*${worklist.entries.length} credited encounters to enter individually*, in ACGME category order. ${worklist.enteredCount} are already marked entered.`));
  for (const entry of shown) {
    const category = entry.categoryNames.length > 0 ? entry.categoryNames.join("; ") : "No IR category (encounter only)";
    const lines = [
      `*${escapeMrkdwn(category)}*`,
      `${entry.performedOn} · PGY-${entry.pgy ?? "?"} · ${entry.roleName}${entry.supervisorSlackId ? ` · attending <@${entry.supervisorSlackId}>` : ""}`,
      escapeMrkdwn(entry.procedureNames.join("; ")),
    ];
    const value = buttons.markOne.get(entry.encounterId);
    blocks.push({ ...section(lines.join("\n")), ...(value ? { accessory: button("Mark entered", REPORT_ACTIONS.worklistMark, value) } : {}) });
  }

  if (buttons.markShown) blocks.push(actions([button(`Mark all ${shown.length} shown entered`, REPORT_ACTIONS.worklistMarkAll, buttons.markShown, "primary")]));
  if (worklist.entries.length > shown.length) {
    blocks.push(context(`${worklist.entries.length - shown.length} more are not shown. Mark these, then run /caselog worklist again, or use the CSV from /caselog export.`));
  }
  return { text: `ACGME worklist: ${worklist.entries.length} encounters to enter.`, blocks: checkMessageBlocks(blocks) };
}
