/** Action, callback and block ids shared by the view builders and the listeners. */
export const ACTIONS = {
  undo: "encounter_undo",
  edit: "encounter_edit",
  chooseProcedure: "draft_choose_procedure",
  openForm: "draft_open_form",
  register: "open_registration",
} as const;

export const CALLBACKS = {
  entry: "entry_modal",
  registration: "registration_modal",
} as const;

export const ENTRY_BLOCKS = {
  procedures: "procedures",
  date: "date",
  role: "role",
  supervisor: "supervisor",
  notes: "notes",
} as const;

export const REGISTRATION_BLOCKS = {
  track: "track",
  pgy: "pgy",
  residencyStart: "residency_start",
  esirStart: "esir_start",
  esirEnd: "esir_end",
} as const;
