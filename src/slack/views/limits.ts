import type { KnownBlock, View } from "@slack/types";

/**
 * Slack's Block Kit limits, from @slack/types 3.2 and Slack's Block Kit reference. Builders
 * do not enforce them and Slack rejects a payload that breaks one, so every view and message
 * is checked before it is sent.
 */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  staticOptions: 100,
  optionText: 75,
  optionValue: 75,
  buttonValue: 2000,
  buttonText: 75,
  id: 255,
  modalTitle: 24,
  privateMetadata: 3000,
} as const;

export class BlockLimitError extends Error {
  constructor(readonly problems: string[]) {
    super(`Block Kit limits exceeded: ${problems.join("; ")}`);
    this.name = "BlockLimitError";
  }
}

type Json = Record<string, unknown>;

function text(value: unknown): string {
  return typeof value === "object" && value !== null && "text" in value ? String((value as Json).text) : "";
}

function checkElement(element: Json, where: string, problems: string[]): void {
  for (const key of ["action_id", "block_id"] as const) {
    const id = element[key];
    if (typeof id === "string" && id.length > LIMITS.id) problems.push(`${where}: ${key} is ${id.length} characters (max ${LIMITS.id})`);
  }
  if (element.type === "button") {
    if (text(element.text).length > LIMITS.buttonText) problems.push(`${where}: button text over ${LIMITS.buttonText} characters`);
    if (typeof element.value === "string" && element.value.length > LIMITS.buttonValue) problems.push(`${where}: button value over ${LIMITS.buttonValue} characters`);
  }

  const groups = Array.isArray(element.option_groups) ? (element.option_groups as Json[]) : [];
  const optionLists = [element.options, ...groups.map((group) => group.options)].filter(Array.isArray) as Json[][];
  for (const options of optionLists) {
    if (options.length > LIMITS.staticOptions) problems.push(`${where}: ${options.length} options (max ${LIMITS.staticOptions})`);
    for (const option of options) {
      if (text(option.text).length > LIMITS.optionText) problems.push(`${where}: option text "${text(option.text).slice(0, 20)}..." over ${LIMITS.optionText} characters`);
      if (typeof option.value === "string" && option.value.length > LIMITS.optionValue) problems.push(`${where}: option value over ${LIMITS.optionValue} characters`);
    }
  }
}

function checkBlocks(blocks: readonly KnownBlock[], maxBlocks: number, problems: string[]): void {
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks (max ${maxBlocks})`);

  blocks.forEach((block, index) => {
    const where = `block ${index} (${block.type})`;
    const raw = block as unknown as Json;
    checkElement(raw, where, problems);

    if (block.type === "section" && text(raw.text).length > LIMITS.sectionText) problems.push(`${where}: text over ${LIMITS.sectionText} characters`);
    if (block.type === "header" && text(raw.text).length > LIMITS.headerText) problems.push(`${where}: text over ${LIMITS.headerText} characters`);
    if (block.type === "actions" && Array.isArray(raw.elements) && raw.elements.length > LIMITS.actionsElements) problems.push(`${where}: over ${LIMITS.actionsElements} elements`);
    if (block.type === "context" && Array.isArray(raw.elements) && raw.elements.length > LIMITS.contextElements) problems.push(`${where}: over ${LIMITS.contextElements} elements`);

    const elements = [raw.element, raw.accessory, ...(Array.isArray(raw.elements) ? raw.elements : [])].filter(Boolean) as Json[];
    elements.forEach((element) => checkElement(element, where, problems));
  });
}

/** Throws BlockLimitError when a message's blocks break a Slack limit; returns them otherwise. */
export function checkMessageBlocks<T extends readonly KnownBlock[]>(blocks: T): T {
  const problems: string[] = [];
  checkBlocks(blocks, LIMITS.messageBlocks, problems);
  if (problems.length > 0) throw new BlockLimitError(problems);
  return blocks;
}

/** Throws BlockLimitError when a modal or Home tab breaks a Slack limit; returns it otherwise. */
export function checkView<T extends View>(view: T): T {
  const problems: string[] = [];
  checkBlocks(view.blocks as KnownBlock[], LIMITS.viewBlocks, problems);

  if (view.type === "modal") {
    for (const key of ["title", "submit", "close"] as const) {
      const label = text(view[key]);
      if (label.length > LIMITS.modalTitle) problems.push(`modal ${key} "${label}" over ${LIMITS.modalTitle} characters`);
    }
    if (view.callback_id && view.callback_id.length > LIMITS.id) problems.push("callback_id over 255 characters");
  }
  if (view.private_metadata && view.private_metadata.length > LIMITS.privateMetadata) {
    problems.push(`private_metadata is ${view.private_metadata.length} characters (max ${LIMITS.privateMetadata})`);
  }

  if (problems.length > 0) throw new BlockLimitError(problems);
  return view;
}
