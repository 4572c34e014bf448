import { OPERATOR_ROLE_NAMES, type CheckedEncounter, type OperatorRole, type Progress } from "../../rules/counting.js";
import { getProcedure } from "../../rules/catalogue.js";
import { drCategory, irCategory, type DrCategoryId } from "../../rules/taxonomy.js";
import { academicYearLabel } from "../../rules/academic-year.js";
import type { Ambiguity } from "../../entry/parse-text.js";
import { type Blocks, actions, button, context, escapeMrkdwn, section } from "./blocks.js";
import { ACTIONS } from "../ids.js";
import { checkMessageBlocks } from "./limits.js";

/** Every message Caselog posts in reply to a command, built as pure functions. */

export interface Reply {
  text: string;
  blocks?: Blocks;
}

export function plainReply(text: string): Reply {
  return { text, blocks: [section(escapeMrkdwn(text))] };
}

export function helpReply(): Reply {
  const logging = [
    "*Log a case right after you do it*",
    "`/caselog port yesterday @attending` logs a procedure with its date and supervising attending.",
    "`/caselog port and g-tube 12/3` logs two disparate procedures of one encounter.",
    "`/caselog clinic today` logs a new outpatient clinic evaluation.",
    "`/caselog port @attending with @senior` names the senior resident who supervised your minor procedure.",
    "`/caselog tips notes: revision after stenosis` adds notes. Never include patient identifiers.",
    "`/caselog dr chest 120` sets this academic year's Chest X-Ray count to 120 (it replaces the stored number).",
    "`/caselog` with no text opens the entry form; `/caselog progress` shows your counts against the ACGME minimums.",
    "`/caselog worklist` lists entries to copy into the ACGME Case Log System; `/caselog export` sends your log as CSV and PDF.",
    "`/caselog vacation until 2027-01-05` pauses reminders.",
    "",
    "Dates: today when none is given; words like yesterday, last friday, 12/3 or 2026-12-03 are read in your Slack time zone.",
    "DR categories: chest, cta, mammo, ct, us, biopsy, mri-joint, mri-brain, pet, mri-body, mri-spine.",
  ].join("\n");
  const staff = [
    "*Program directors and coordinators*",
    "`/caselog admin help` lists the roster and program commands (add, edit and deactivate residents, program settings).",
    "`/caselog promote @person supervisor` gives a staff role (or coordinator, or program_director).",
    "`/caselog esir @resident` sends the ESIR verification form; `/caselog export program` sends the program's log.",
    "`/caselog import @resident` imports a pasted CSV log, with a dry run first.",
  ].join("\n");
  return { text: "How to use /caselog", blocks: checkMessageBlocks([section(logging), section(staff)]) };
}

export interface StoredCard {
  encounterId: number;
  checked: CheckedEncounter;
  created: boolean;
  progress: Progress;
  undoValue: string;
  editValue: string;
  heading?: string;
  /** Lines about credit that waits for a decision (co-credit, verification), shown before the totals. */
  pendingLines?: string[];
}

function describeRole(role: OperatorRole): string {
  return OPERATOR_ROLE_NAMES[role];
}

/** Builds the ephemeral card that shows exactly what was stored, with Undo and Edit. */
export function storedCard(card: StoredCard): Reply {
  const { checked } = card;
  const lines = checked.procedures.map((entry) => {
    const category = entry.category ? irCategory(entry.category).name : "no ACGME category (counts as an encounter)";
    return `• *${escapeMrkdwn(entry.name)}*: ${escapeMrkdwn(category)}`;
  });
  const details = [
    `*Date:* ${checked.performedOn} (academic year ${academicYearLabel(checked.academicYear)}, PGY-${checked.pgy})`,
    `*Role:* ${describeRole(checked.role)}`,
    checked.supervisorSlackId ? `*Attending:* <@${checked.supervisorSlackId}>` : "*Attending:* not named",
    checked.notes ? `*Notes:* ${escapeMrkdwn(checked.notes)}` : null,
  ].filter(Boolean);

  const heading = card.heading ?? (card.created ? `Logged encounter #${card.encounterId}` : `Encounter #${card.encounterId} was already logged; nothing new was stored`);
  const blocks: Blocks = [section(`:white_check_mark: *${heading}*\n${lines.join("\n")}\n${details.join("\n")}`)];

  if (checked.notCounted.length > 0) {
    const notes = checked.notCounted.map(
      ({ procedure, keptInstead }) => `${procedure.name} was not entered: ${keptInstead.name} is in the same category, and only the most complex procedure of a category counts per encounter.`,
    );
    blocks.push(context(escapeMrkdwn(notes.join(" "))));
  }

  if (card.pendingLines && card.pendingLines.length > 0) blocks.push(context(card.pendingLines.join("\n")));

  const { encounters } = card.progress;
  const total = encounters.target !== null ? `${encounters.count} of ${encounters.target} encounters` : `${encounters.all} encounters`;
  blocks.push(context(`Your log: ${total}. \`/caselog progress\` shows every category.`));
  blocks.push(actions([button("Undo", ACTIONS.undo, card.undoValue, "danger"), button("Edit", ACTIONS.edit, card.editValue)]));

  return { text: `${heading}: ${checked.procedures.map((entry) => entry.name).join(", ")} on ${checked.performedOn}`, blocks: checkMessageBlocks(blocks) };
}

export function drCountReply(category: DrCategoryId, academicYear: number, before: number | null, after: number, minimum: number): Reply {
  const name = drCategory(category).name;
  let change = "";
  if (before !== null) change = before === after ? " (unchanged)" : ` (was ${before})`;
  const text = `Set ${name} for academic year ${academicYearLabel(academicYear)} to ${after}${change}. The ACGME minimum for residency is ${minimum}.`;
  return { text, blocks: [section(`:white_check_mark: ${escapeMrkdwn(text)}`), context("A new count replaces the stored one; it is never added to it.")] };
}

export interface ChoiceButton {
  procedureId: string;
  value: string;
}

/** Builds the reply for text Caselog could not read with certainty: what it understood and the choices. */
export function choicesReply(input: {
  understood: string[];
  performedOn: string;
  ambiguity: Ambiguity | null;
  unknownWords: string[];
  choices: ChoiceButton[];
  formValue: string;
}): Reply {
  const problems: string[] = [];
  if (input.ambiguity) problems.push(`"${escapeMrkdwn(input.ambiguity.term)}" can mean more than one procedure.`);
  if (input.unknownWords.length > 0) {
    problems.push(`I don't know ${input.unknownWords.map((word) => `"${escapeMrkdwn(word)}"`).join(", ")}.`);
  }
  const understood = input.understood.length > 0 ? `Understood: ${input.understood.map(escapeMrkdwn).join(", ")} on ${input.performedOn}.` : "";
  const next = input.choices.length > 0 ? "Pick the procedure you meant, or open the form." : "Open the form to pick the procedures.";
  const text = `Nothing was logged yet. ${problems.join(" ")} ${understood} ${next}`.replace(/\s+/g, " ");

  const buttons = input.choices.slice(0, 5).map((choice) => button(getProcedure(choice.procedureId).name, ACTIONS.chooseProcedure, choice.value));
  buttons.push(button("Open the form", ACTIONS.openForm, input.formValue));
  return { text, blocks: checkMessageBlocks([section(`:grey_question: ${text}`), actions(buttons)]) };
}

export function registerPromptReply(value: string): Reply {
  const text = "Welcome to Caselog. Register once (track, PGY and residency start) before logging cases.";
  return { text, blocks: [section(text), actions([button("Register", ACTIONS.register, value, "primary")])] };
}
