import { z } from "zod";
import { isoDateSchema, slackUserIdSchema, trackSchema } from "../rules/schemas.js";

/** Shapes of the values Caselog puts in buttons and modal metadata, checked on the way back. */

const profileSchema = z.object({
  track: trackSchema,
  pgy: z.number().int(),
  residencyStart: isoDateSchema,
  esirStart: isoDateSchema.nullish(),
  esirEnd: isoDateSchema.nullish(),
});

export const entryMetadataSchema = z.object({
  mode: z.enum(["new", "edit"]),
  encounterId: z.number().int().positive().optional(),
  version: z.number().int().optional(),
  responseUrl: z.url().optional(),
  timeZone: z.string().max(64),
  today: isoDateSchema,
  profile: profileSchema,
});
export type EntryMetadata = z.infer<typeof entryMetadataSchema>;

export const registrationMetadataSchema = z.object({
  pendingText: z.string().max(1000).optional(),
  responseUrl: z.url().optional(),
});
export type RegistrationMetadata = z.infer<typeof registrationMetadataSchema>;

/** An Undo or Edit button: which encounter, and who may press it. */
export const encounterButtonSchema = z.object({ u: slackUserIdSchema, e: z.number().int().positive() });
export type EncounterButton = z.infer<typeof encounterButtonSchema>;

/** A draft the resident confirms with one click; `k` makes each confirmation idempotent. */
export const draftButtonSchema = z.object({
  u: slackUserIdSchema,
  k: z.string().min(8).max(40),
  p: z.array(z.string().max(75)).max(10),
  d: isoDateSchema,
  s: slackUserIdSchema.nullable(),
  n: z.string().max(500).nullable(),
});
export type DraftButton = z.infer<typeof draftButtonSchema>;

export const registerButtonSchema = z.object({ u: slackUserIdSchema, t: z.string().max(1000).optional() });
