/**
 * Checks Block Kit payloads against the size limits that Slack enforces but the Block Kit
 * types and builders do not. Limits come from the `@slack/types` 3.2 JSDoc.
 * The fake Slack server uses these checks to reject oversized views and messages the way
 * Slack does, so an end-to-end test fails where production would.
 */

/** One limit broken by a payload, located by a JSON pointer into the request arguments. */
export interface BlockKitViolation {
  pointer: string;
  message: string;
}

export type BlockSurface = "message" | "modal" | "home";

export const MAX_BLOCKS: Record<BlockSurface, number> = { message: 50, modal: 100, home: 100 };
export const MAX_ID_LENGTH = 255;
export const MAX_MODAL_BUTTON_TEXT = 24;
export const MAX_PRIVATE_METADATA = 3000;
export const MAX_SECTION_TEXT = 3000;
export const MAX_SECTION_FIELDS = 10;
export const MAX_SECTION_FIELD_TEXT = 2000;
export const MAX_HEADER_TEXT = 150;
export const MAX_ACTIONS_ELEMENTS = 25;
export const MAX_SELECT_OPTIONS = 100;
export const MAX_CHOICE_OPTIONS = 10;
export const MAX_OPTION_TEXT = 75;
export const MAX_OPTION_VALUE = 75;
export const MAX_INPUT_MAX_LENGTH = 3000;

const SELECT_TYPES = new Set(["static_select", "multi_static_select"]);
const CHOICE_TYPES = new Set(["checkboxes", "radio_buttons"]);

type JsonObject = Record<string, unknown>;

function asObject(value: unknown): JsonObject | undefined {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    return value as JsonObject;
  }
  return undefined;
}

/** Counts code points, so an emoji counts once, as in Slack's character limits. */
function characterCount(text: string): number {
  return [...text].length;
}

/** Returns the `text` of a text object such as `{ type: "plain_text", text }`. */
function textOf(value: unknown): string | undefined {
  const text = asObject(value)?.text;
  return typeof text === "string" ? text : undefined;
}

class ViolationList {
  readonly items: BlockKitViolation[] = [];

  add(pointer: string, message: string): void {
    this.items.push({ pointer, message });
  }

  maxLength(pointer: string, text: string | undefined, max: number): void {
    if (text !== undefined && characterCount(text) > max) {
      this.add(pointer, `must be at most ${max} characters, got ${characterCount(text)}`);
    }
  }

  maxItems(pointer: string, items: unknown, max: number): void {
    if (Array.isArray(items) && items.length > max) {
      this.add(pointer, `must have at most ${max} items, got ${items.length}`);
    }
  }
}

function checkOptions(list: ViolationList, pointer: string, options: unknown, maxOptions: number): void {
  if (!Array.isArray(options)) {
    return;
  }
  list.maxItems(pointer, options, maxOptions);
  options.forEach((option, index) => {
    const optionObject = asObject(option);
    list.maxLength(`${pointer}/${index}/text/text`, textOf(optionObject?.text), MAX_OPTION_TEXT);
    const value = optionObject?.value;
    list.maxLength(`${pointer}/${index}/value`, typeof value === "string" ? value : undefined, MAX_OPTION_VALUE);
  });
}

function checkElement(list: ViolationList, pointer: string, element: unknown): void {
  const elementObject = asObject(element);
  if (elementObject === undefined) {
    return;
  }
  const type = elementObject.type;
  const actionId = elementObject.action_id;
  list.maxLength(`${pointer}/action_id`, typeof actionId === "string" ? actionId : undefined, MAX_ID_LENGTH);

  if (typeof type === "string" && SELECT_TYPES.has(type)) {
    checkOptions(list, `${pointer}/options`, elementObject.options, MAX_SELECT_OPTIONS);
    list.maxItems(`${pointer}/option_groups`, elementObject.option_groups, MAX_SELECT_OPTIONS);
  }
  if (typeof type === "string" && CHOICE_TYPES.has(type)) {
    checkOptions(list, `${pointer}/options`, elementObject.options, MAX_CHOICE_OPTIONS);
  }
  if (type === "plain_text_input") {
    const maxLength = elementObject.max_length;
    if (typeof maxLength === "number" && maxLength > MAX_INPUT_MAX_LENGTH) {
      list.add(`${pointer}/max_length`, `must be at most ${MAX_INPUT_MAX_LENGTH}, got ${maxLength}`);
    }
  }
}

function checkActionIdsUnique(list: ViolationList, pointer: string, elements: unknown[]): void {
  const seen = new Set<string>();
  elements.forEach((element, index) => {
    const actionId = asObject(element)?.action_id;
    if (typeof actionId !== "string") {
      return;
    }
    if (seen.has(actionId)) {
      list.add(`${pointer}/${index}/action_id`, `duplicate action_id "${actionId}" in one block`);
    }
    seen.add(actionId);
  });
}

function checkBlock(list: ViolationList, pointer: string, block: JsonObject): void {
  switch (block.type) {
    case "header":
      list.maxLength(`${pointer}/text/text`, textOf(block.text), MAX_HEADER_TEXT);
      break;
    case "section": {
      list.maxLength(`${pointer}/text/text`, textOf(block.text), MAX_SECTION_TEXT);
      list.maxItems(`${pointer}/fields`, block.fields, MAX_SECTION_FIELDS);
      if (Array.isArray(block.fields)) {
        block.fields.forEach((field, index) => {
          list.maxLength(`${pointer}/fields/${index}/text`, textOf(field), MAX_SECTION_FIELD_TEXT);
        });
      }
      checkElement(list, `${pointer}/accessory`, block.accessory);
      break;
    }
    case "actions":
      list.maxItems(`${pointer}/elements`, block.elements, MAX_ACTIONS_ELEMENTS);
      if (Array.isArray(block.elements)) {
        block.elements.forEach((element, index) => checkElement(list, `${pointer}/elements/${index}`, element));
        checkActionIdsUnique(list, `${pointer}/elements`, block.elements);
      }
      break;
    case "input":
      checkElement(list, `${pointer}/element`, block.element);
      break;
    default:
      break;
  }
}

function checkBlocks(list: ViolationList, pointer: string, blocks: unknown, surface: BlockSurface): void {
  if (blocks === undefined) {
    return;
  }
  if (!Array.isArray(blocks)) {
    list.add(pointer, "must be an array of blocks");
    return;
  }
  list.maxItems(pointer, blocks, MAX_BLOCKS[surface]);

  const blockIds = new Set<string>();
  blocks.forEach((block, index) => {
    const blockPointer = `${pointer}/${index}`;
    const blockObject = asObject(block);
    if (blockObject === undefined || typeof blockObject.type !== "string") {
      list.add(blockPointer, "must be a block object with a string type");
      return;
    }
    const blockId = blockObject.block_id;
    if (typeof blockId === "string") {
      list.maxLength(`${blockPointer}/block_id`, blockId, MAX_ID_LENGTH);
      if (blockIds.has(blockId)) {
        list.add(`${blockPointer}/block_id`, `duplicate block_id "${blockId}"`);
      }
      blockIds.add(blockId);
    }
    checkBlock(list, blockPointer, blockObject);
  });
}

/**
 * Lists the limits broken by the `blocks` argument of a message method such as
 * `chat.postMessage`. `pointer` locates the blocks in the request, normally "/blocks".
 */
export function findMessageViolations(blocks: unknown, pointer = "/blocks"): BlockKitViolation[] {
  const list = new ViolationList();
  checkBlocks(list, pointer, blocks, "message");
  return list.items;
}

/**
 * Lists the limits broken by a modal or Home tab view, as passed in the `view` argument of
 * `views.open`, `views.push`, `views.update` or `views.publish`.
 */
export function findViewViolations(view: unknown, pointer = "/view"): BlockKitViolation[] {
  const list = new ViolationList();
  const viewObject = asObject(view);
  if (viewObject === undefined) {
    list.add(pointer, "must be a view object");
    return list.items;
  }

  const type = viewObject.type;
  if (type !== "modal" && type !== "home") {
    list.add(`${pointer}/type`, `must be "modal" or "home", got ${JSON.stringify(type)}`);
    return list.items;
  }

  const privateMetadata = viewObject.private_metadata;
  const callbackId = viewObject.callback_id;
  list.maxLength(
    `${pointer}/private_metadata`,
    typeof privateMetadata === "string" ? privateMetadata : undefined,
    MAX_PRIVATE_METADATA,
  );
  list.maxLength(`${pointer}/callback_id`, typeof callbackId === "string" ? callbackId : undefined, MAX_ID_LENGTH);

  if (!Array.isArray(viewObject.blocks)) {
    list.add(`${pointer}/blocks`, "is required and must be an array of blocks");
  } else {
    checkBlocks(list, `${pointer}/blocks`, viewObject.blocks, type);
  }

  if (type === "modal") {
    const title = textOf(viewObject.title);
    if (title === undefined) {
      list.add(`${pointer}/title`, "is required for a modal");
    }
    list.maxLength(`${pointer}/title/text`, title, MAX_MODAL_BUTTON_TEXT);
    list.maxLength(`${pointer}/submit/text`, textOf(viewObject.submit), MAX_MODAL_BUTTON_TEXT);
    list.maxLength(`${pointer}/close/text`, textOf(viewObject.close), MAX_MODAL_BUTTON_TEXT);

    const hasInputBlock =
      Array.isArray(viewObject.blocks) && viewObject.blocks.some((block) => asObject(block)?.type === "input");
    if (hasInputBlock && textOf(viewObject.submit) === undefined) {
      list.add(`${pointer}/submit`, "is required when the modal contains an input block");
    }
  }
  return list.items;
}

/** Formats violations like the `response_metadata.messages` entries of a Slack error. */
export function formatViolations(violations: BlockKitViolation[]): string[] {
  return violations.map((violation) => `[ERROR] ${violation.message} [json-pointer:${violation.pointer}]`);
}
