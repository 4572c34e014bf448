import { z } from "zod";
import { isIsoDate } from "./academic-year.js";
import { findProcedure } from "./catalogue.js";
import { MAX_NOTES_LENGTH, OPERATOR_ROLES, TRACKS } from "./counting.js";
import { DR_CATEGORY_IDS } from "./taxonomy.js";

/** zod schemas for every shape that enters Caselog, whichever path it comes by. */

export const isoDateSchema = z.string().refine(isIsoDate, { message: "must be a date written YYYY-MM-DD" });

export const slackUserIdSchema = z.string().regex(/^[UW][A-Z0-9]{2,30}$/, "must be a Slack member ID such as U012ABCDEF");

export const slackTeamIdSchema = z.string().regex(/^[TE][A-Z0-9]{2,30}$/, "must be a Slack workspace ID such as T012ABCDEF");

export const procedureIdSchema = z.string().max(75).refine((id) => findProcedure(id) !== undefined, { message: "is not a procedure in the catalogue" });

export const trackSchema = z.enum(TRACKS);

export const operatorRoleSchema = z.enum(OPERATOR_ROLES);

export const pgySchema = z.coerce.number().int().min(1, "PGY must be 1 or more").max(8, "PGY must be 8 or less");

export const notesSchema = z.string().max(MAX_NOTES_LENGTH, `notes are limited to ${MAX_NOTES_LENGTH} characters`);

export const encounterDraftSchema = z.object({
  performedOn: isoDateSchema,
  procedureIds: z.array(procedureIdSchema).max(10, "at most 10 procedures per encounter"),
  diagnosticVascularIds: z.array(z.string().max(40)).max(10).optional(),
  role: operatorRoleSchema,
  supervisorSlackId: slackUserIdSchema.nullish(),
  notes: notesSchema.nullish(),
});

export const registrationSchema = z
  .object({
    track: trackSchema,
    pgy: pgySchema,
    residencyStart: isoDateSchema,
    esirStart: isoDateSchema.nullish(),
    esirEnd: isoDateSchema.nullish(),
  })
  .refine((value) => !value.esirStart || !value.esirEnd || value.esirEnd >= value.esirStart, {
    message: "ESIR end must be on or after ESIR start",
    path: ["esirEnd"],
  })
  .refine((value) => value.track === "esir" || (!value.esirStart && !value.esirEnd), {
    message: "ESIR dates apply only to the ESIR track",
    path: ["esirStart"],
  });

export type RegistrationInput = z.infer<typeof registrationSchema>;

export const drCountInputSchema = z.object({
  category: z.enum(DR_CATEGORY_IDS),
  count: z.number().int().min(0),
  academicYear: z.number().int().min(1990).max(2100),
});

export const STAFF_ROLES = ["supervisor", "coordinator", "program_director"] as const;
export const staffRoleSchema = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof staffRoleSchema>;
