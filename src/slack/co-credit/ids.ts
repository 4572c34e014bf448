import { z } from "zod";

/** Action, callback and block ids of the co-credit and verification cards. */
export const DECISION_ACTIONS = {
  seniorConfirm: "co_credit_senior_confirm",
  seniorDecline: "co_credit_senior_decline",
  coCreditApprove: "co_credit_approve",
  coCreditNeedsInfo: "co_credit_needs_info",
  coCreditDecline: "co_credit_decline",
  verifyApprove: "verification_approve",
  verifyNeedsInfo: "verification_needs_info",
  verifyDecline: "verification_decline",
  verifyApproveAll: "verification_approve_all",
} as const;

export const DECISION_CALLBACKS = {
  note: "decision_note_modal",
} as const;

export const DECISION_BLOCKS = {
  note: "decision_note",
} as const;

/** The entry modal's optional picker for the co-credited senior resident. */
export const CO_CREDIT_BLOCK = "co_credit_senior";

/**
 * A decision button's signed value: what it decides (`t`), on which encounter (`e`) and at
 * which version (`v`). `r` is the verification batch the card belongs to, if any.
 */
export const decisionValueSchema = z.object({
  t: z.enum(["co_credit_senior", "co_credit_attending", "verification"]),
  e: z.number().int().positive(),
  v: z.number().int().positive(),
  r: z.number().int().positive().optional(),
});
export type DecisionValue = z.infer<typeof decisionValueSchema>;

/** The "Approve all" button of one verification batch. */
export const batchValueSchema = z.object({ r: z.number().int().positive() });
export type BatchValue = z.infer<typeof batchValueSchema>;

/** The needs-info note modal's private_metadata (signed): the decision and the card to update. */
export const noteMetadataSchema = decisionValueSchema.extend({
  c: z.string().max(40).optional(),
  m: z.string().max(40).optional(),
});
export type NoteMetadata = z.infer<typeof noteMetadataSchema>;
