import type { Progress } from "../../rules/counting.js";
import { IR_GROUP_NAMES, type IrCategoryGroup } from "../../rules/taxonomy.js";
import { type Blocks, context, header, section } from "./blocks.js";

const BAR_WIDTH = 10;

export interface PendingCounts {
  entries: number;
  coCredits: number;
}

/** Draws a text bar such as "▓▓▓▓░░░░░░  40%". */
export function textBar(count: number, target: number): string {
  const ratio = target > 0 ? Math.min(count / target, 1) : 0;
  const filled = Math.round(ratio * BAR_WIDTH);
  return `${"▓".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)} ${String(Math.floor(ratio * 100)).padStart(3)}%`;
}

function line(name: string, count: number, minimum: number | null): string {
  if (minimum === null) return `${name.padEnd(30)} ${String(count).padStart(5)}`;
  return `${name.padEnd(30)} ${textBar(count, minimum)} ${String(count).padStart(5)} / ${minimum}`;
}

/** Builds the `/caselog progress` message: encounters toward the track's total, then each category. */
export function progressBlocks(progress: Progress & { pending?: PendingCounts }, residentLabel: string): Blocks {
  const blocks: Blocks = [header(`Case log progress: ${residentLabel}`)];

  const { encounters } = progress;
  if (encounters.target !== null) {
    const scope = progress.track === "esir" ? "during ESIR" : "in IR residency";
    blocks.push(
      section(
        `*Patient procedural encounters ${scope}*\n\`${textBar(encounters.count, encounters.target)}\` *${encounters.count}* of ${encounters.target}` +
          (encounters.all !== encounters.count ? ` (${encounters.all} in all)` : ""),
      ),
    );
  } else {
    blocks.push(section(`*Patient procedural encounters:* ${encounters.all} (the ACGME sets no total for diagnostic radiology)`));
  }

  if (progress.showsDrCategories) {
    const rows = progress.dr.map((category) => line(category.name, category.count, category.minimum));
    blocks.push(section(`*Diagnostic imaging (aggregate counts against ACGME minimums)*\n\`\`\`${rows.join("\n")}\`\`\``));
  }

  const groups: IrCategoryGroup[] = ["vascular", "non_vascular", "clinic"];
  const irRows = groups.flatMap((group) => [
    `${IR_GROUP_NAMES[group].toUpperCase()}`,
    // Counts first, so the full ACGME category names need no truncation.
    ...progress.ir.filter((category) => category.group === group).map((category) => `${String(category.count).padStart(6)}  ${category.name}`),
  ]);
  blocks.push(section(`*Interventional radiology case log categories* (minimums not yet set by the ACGME)\n\`\`\`${irRows.join("\n")}\`\`\``));
  const pending = progress.pending;
  if (pending && (pending.entries > 0 || pending.coCredits > 0)) {
    const parts = [
      pending.entries > 0 ? `${pending.entries} ${pending.entries === 1 ? "entry" : "entries"} awaiting attending verification` : null,
      pending.coCredits > 0 ? `${pending.coCredits} co-credit${pending.coCredits === 1 ? "" : "s"} awaiting confirmation` : null,
    ].filter(Boolean);
    blocks.push(section(`*Pending, not counted above:* ${parts.join("; ")}.`));
  }
  blocks.push(context("Counts include every credited entry. Type `/caselog help` for how to log."));
  return blocks;
}
