import type { InputBlock, ModalView, PlainTextOption } from "@slack/types";
import { PROCEDURES } from "../../rules/catalogue.js";
import { MAX_NOTES_LENGTH, TRACK_NAMES, TRACKS, type OperatorRole, type Track } from "../../rules/counting.js";
import { IR_CATEGORIES } from "../../rules/taxonomy.js";
import { CALLBACKS, ENTRY_BLOCKS, REGISTRATION_BLOCKS } from "../ids.js";
import { CO_CREDIT_BLOCK } from "../co-credit/ids.js";
import { checkView } from "./limits.js";
import { context, option, plain, section } from "./blocks.js";

/** Groups the catalogue by ACGME IR category for the modal's procedure picker. */
function procedureOptionGroups() {
  const groups = IR_CATEGORIES.map((category) => ({
    label: plain(category.name.length > 75 ? category.name.slice(0, 74) + "…" : category.name),
    options: PROCEDURES.filter((entry) => entry.category === category.id).map((entry) => option(entry.name, entry.id)),
  }));
  groups.push({
    label: plain("No ACGME category (counts as an encounter)"),
    options: PROCEDURES.filter((entry) => entry.category === null).map((entry) => option(entry.name, entry.id)),
  });
  return groups.filter((group) => group.options.length > 0);
}

const ROLE_OPTIONS: Record<"first_operator" | "assistant", PlainTextOption> = {
  first_operator: option("First operator", "first_operator"),
  assistant: option("Assistant (not first operator)", "assistant"),
};

export function loadingModal(): ModalView {
  return messageModal("Loading…");
}

/** Builds a modal with one line of text and a Close button. */
export function messageModal(text: string): ModalView {
  return checkView({ type: "modal", title: plain("Caselog"), close: plain("Close"), blocks: [section(text)] });
}

export interface EntryModalInput {
  privateMetadata: string;
  today: string;
  title?: string;
  /** Shows the co-credited senior picker; new entries only, because an edit cannot add a co-credit. */
  coCredit?: boolean;
  initial?: {
    procedureIds?: readonly string[];
    performedOn?: string | null;
    role?: OperatorRole;
    supervisorSlackId?: string | null;
    notes?: string | null;
  };
}

/** Builds the entry form: procedures, date (today in the user's zone), role, attending and notes. */
export function entryModal(input: EntryModalInput): ModalView {
  const initial = input.initial ?? {};
  const groups = procedureOptionGroups();
  const selected = groups.flatMap((group) => group.options).filter((entry) => entry.value !== undefined && initial.procedureIds?.includes(entry.value));
  const role = initial.role === "assistant" ? ROLE_OPTIONS.assistant : ROLE_OPTIONS.first_operator;

  const blocks: InputBlock[] = [
    {
      type: "input",
      block_id: ENTRY_BLOCKS.procedures,
      label: plain("Procedures"),
      hint: plain("Pick every disparate procedure of this encounter, or the clinic evaluation."),
      element: {
        type: "multi_static_select",
        action_id: "value",
        placeholder: plain("Search procedures"),
        option_groups: groups,
        ...(selected.length > 0 ? { initial_options: selected } : {}),
      },
    },
    {
      type: "input",
      block_id: ENTRY_BLOCKS.date,
      label: plain("Date of service"),
      element: { type: "datepicker", action_id: "value", initial_date: initial.performedOn ?? input.today },
    },
    {
      type: "input",
      block_id: ENTRY_BLOCKS.role,
      label: plain("Your role"),
      element: { type: "static_select", action_id: "value", options: Object.values(ROLE_OPTIONS), initial_option: role },
    },
    {
      type: "input",
      block_id: ENTRY_BLOCKS.supervisor,
      label: plain("Supervising attending"),
      optional: true,
      element: { type: "users_select", action_id: "value", ...(initial.supervisorSlackId ? { initial_user: initial.supervisorSlackId } : {}) },
    },
    ...(input.coCredit
      ? [
          {
            type: "input" as const,
            block_id: CO_CREDIT_BLOCK,
            label: plain("Co-credited senior resident"),
            optional: true,
            hint: plain("Only for a minor procedure you performed while a senior resident supervised. They confirm, then the attending approves."),
            element: { type: "users_select" as const, action_id: "value" },
          },
        ]
      : []),
    {
      type: "input",
      block_id: ENTRY_BLOCKS.notes,
      label: plain("Notes"),
      optional: true,
      hint: plain("No patient identifiers: no names, MRNs, accession numbers, dates of birth or phone numbers."),
      element: {
        type: "plain_text_input",
        action_id: "value",
        multiline: true,
        max_length: MAX_NOTES_LENGTH,
        ...(initial.notes ? { initial_value: initial.notes } : {}),
      },
    },
  ];

  return checkView({
    type: "modal",
    callback_id: CALLBACKS.entry,
    title: plain(input.title ?? "Log a case"),
    submit: plain("Save"),
    close: plain("Cancel"),
    private_metadata: input.privateMetadata,
    blocks,
  });
}

function pgyOptions(): PlainTextOption[] {
  return Array.from({ length: 8 }, (_, index) => option(`PGY-${index + 1}`, String(index + 1)));
}

/** Builds the one-time registration form: track, PGY, residency start and ESIR dates. */
export function registrationModal(privateMetadata: string, initialTrack?: Track): ModalView {
  const tracks = TRACKS.map((track) => option(TRACK_NAMES[track], track));
  const blocks = [
    section("Caselog needs a few facts to apply the ACGME rules to your log."),
    {
      type: "input",
      block_id: REGISTRATION_BLOCKS.track,
      label: plain("Training track"),
      element: {
        type: "static_select",
        action_id: "value",
        options: tracks,
        ...(initialTrack ? { initial_option: tracks.find((entry) => entry.value === initialTrack) } : {}),
      },
    },
    {
      type: "input",
      block_id: REGISTRATION_BLOCKS.pgy,
      label: plain("Current PGY level"),
      element: { type: "static_select", action_id: "value", options: pgyOptions() },
    },
    {
      type: "input",
      block_id: REGISTRATION_BLOCKS.residencyStart,
      label: plain("Residency start date"),
      hint: plain("The first day of your radiology residency. Cases before it are rejected."),
      element: { type: "datepicker", action_id: "value" },
    },
    {
      type: "input",
      block_id: REGISTRATION_BLOCKS.esirStart,
      label: plain("ESIR start date"),
      optional: true,
      element: { type: "datepicker", action_id: "value" },
    },
    {
      type: "input",
      block_id: REGISTRATION_BLOCKS.esirEnd,
      label: plain("ESIR end date"),
      optional: true,
      element: { type: "datepicker", action_id: "value" },
    },
    context("ESIR dates are needed only on the ESIR track; encounters between them count toward the 500."),
  ];

  return checkView({
    type: "modal",
    callback_id: CALLBACKS.registration,
    title: plain("Register"),
    submit: plain("Register"),
    close: plain("Cancel"),
    private_metadata: privateMetadata,
    blocks: blocks as ModalView["blocks"],
  });
}
