import { z } from "zod";
import { isoDateSchema, slackUserIdSchema } from "../../rules/schemas.js";

/** Action and callback ids of the reports feature, and the shapes of its signed button values. */

export const REPORT_ACTIONS = {
  esirSign: "esir_sign",
  esirUnlock: "esir_unlock",
  worklistMark: "worklist_mark_entered",
  worklistMarkAll: "worklist_mark_all_entered",
} as const;

export const REPORT_CALLBACKS = {
  import: "import_modal",
} as const;

export const IMPORT_BLOCKS = {
  kind: "import_kind",
  csv: "import_csv",
  mode: "import_mode",
} as const;

/** The Sign button: the director who may press it and the form they read. */
export const esirSignSchema = z.object({ u: slackUserIdSchema, r: slackUserIdSchema, f: isoDateSchema, t: isoDateSchema, n: z.number().int().min(0) });
export type EsirSignValue = z.infer<typeof esirSignSchema>;

export const esirUnlockSchema = z.object({ u: slackUserIdSchema, r: slackUserIdSchema });
export type EsirUnlockValue = z.infer<typeof esirUnlockSchema>;

/** A worklist button: the resident who may press it and the encounters it marks. */
export const worklistMarkSchema = z.object({ u: slackUserIdSchema, e: z.array(z.number().int().positive()).min(1).max(200) });
export type WorklistMarkValue = z.infer<typeof worklistMarkSchema>;

export const importMetadataSchema = z.object({ r: slackUserIdSchema, tz: z.string().max(64) });
