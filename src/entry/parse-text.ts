import { AMBIGUOUS_TERMS, DIAGNOSTIC_VASCULAR_STUDIES, PROCEDURES } from "../rules/catalogue.js";
import { findPatientIdentifier, type IdentifierFinding } from "../rules/privacy.js";
import { isIsoDate } from "../rules/academic-year.js";
import { findDrCategory, type DrCategoryId } from "../rules/taxonomy.js";
import { findDate } from "./dates.js";

/**
 * Turns the text after `/caselog` into a command: a subcommand, a diagnostic imaging count, or
 * a draft encounter with everything it understood and everything it did not. Nothing here
 * decides whether an entry is allowed; the rules module does that.
 */

export const MAX_COMMAND_TEXT_LENGTH = 1000;

export interface Ambiguity {
  term: string;
  choices: string[];
}

export interface DraftEncounterText {
  kind: "encounter";
  procedureIds: string[];
  diagnosticVascularIds: string[];
  ambiguities: Ambiguity[];
  unknownWords: string[];
  /** Words shaped like dates that name no calendar day, such as "2/29/2025". */
  invalidDates: string[];
  /** Procedures typed with a count of two or more ("2 paras"); each is its own encounter. */
  counts: string[];
  /** Catalogue procedures close to the unknown words, best first. */
  suggestions: string[];
  performedOn: string | null;
  supervisorSlackId: string | null;
  coCreditSlackId: string | null;
  extraMentions: string[];
  notes: string | null;
}

export type ParsedCommand =
  | { kind: "empty" }
  | { kind: "help" }
  | { kind: "progress" }
  | { kind: "too_long"; length: number }
  | { kind: "patient_identifier"; finding: IdentifierFinding }
  | { kind: "dr_count"; category: DrCategoryId; count: number; performedOn: string | null }
  | { kind: "dr_invalid"; problem: string }
  | { kind: "promote"; slackUserId: string | null; role: string | null }
  | DraftEncounterText;

const STOP_WORDS = new Set([
  "a", "an", "and", "the", "with", "w", "w/", "plus", "+", "&", "of", "for", "on", "at", "in", "by", "under", "to",
  "placement", "placed", "insertion", "inserted", "done", "did", "performed", "case", "cases", "procedure",
  "left", "right", "bilateral", "bilat", "lt", "rt", "l", "r", "new", "attending", "supervised", "supervisor",
  "dr", "dr.", "today", "x1", "1", "one", "s/p", "via", "then", "also", "same", "session", "guided", "us-guided",
  "ct-guided", "fluoro-guided", "under", "image-guided", "percutaneous", "perc", "ir",
  "fr", "french", "ml", "cc", "l", "liters", "cm", "mm", "gauge", "ga", "ij", "rij", "lij", "r-ij", "l-ij",
  "fem", "femoral", "jugular", "subclavian", "brachial", "radial", "upper", "lower", "extremity", "arm", "chest",
  "tonight", "morning", "afternoon", "evening", "night", "am", "pm",
]);

interface IndexedTerm {
  words: string[];
  procedureId?: string;
  diagnosticVascularId?: string;
}

const TERMS: IndexedTerm[] = [
  ...PROCEDURES.flatMap((entry) => entry.synonyms.map((synonym) => ({ words: tokenize(synonym), procedureId: entry.id }))),
  ...DIAGNOSTIC_VASCULAR_STUDIES.flatMap((study) => study.synonyms.map((synonym) => ({ words: tokenize(synonym), diagnosticVascularId: study.id }))),
].sort((left, right) => right.words.length - left.words.length);

const MAX_TERM_WORDS = Math.max(...TERMS.map((term) => term.words.length));
const TERM_BY_KEY = new Map<string, IndexedTerm>();
for (const term of TERMS) {
  const key = term.words.join(" ");
  if (!TERM_BY_KEY.has(key)) TERM_BY_KEY.set(key, term);
}

function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[,;()]+/g, " ")
    .split(/\s+/)
    .map((word) => word.replace(/^[.:!?]+|[.:!?]+$/g, ""))
    .filter(Boolean);
}

function singular(word: string): string | null {
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith("s") && !word.endsWith("ss") && word.length > 3) return word.slice(0, -1);
  return null;
}

function lookup(words: string[]): IndexedTerm | undefined {
  const exact = TERM_BY_KEY.get(words.join(" "));
  if (exact) return exact;

  const last = singular(words[words.length - 1]!);
  return last ? TERM_BY_KEY.get([...words.slice(0, -1), last].join(" ")) : undefined;
}

function editDistance(left: string, right: string): number {
  const previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= right.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(previous[j]! + 1, previous[j - 1]! + 1, diagonal + (left[i - 1] === right[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[right.length]!;
}

/** Returns catalogue procedure ids whose synonyms resemble `word`, best first. */
export function suggestProcedures(word: string, limit = 5): string[] {
  const scored = new Map<string, number>();
  for (const term of TERMS) {
    if (!term.procedureId) continue;
    for (const candidate of term.words) {
      if (candidate.length < 3) continue;
      const distance = candidate.startsWith(word) && word.length >= 3 ? 0.5 : editDistance(word, candidate);
      const allowed = word.length <= 3 ? 1 : 2;
      if (distance > allowed) continue;
      const best = scored.get(term.procedureId);
      if (best === undefined || distance < best) scored.set(term.procedureId, distance);
    }
  }
  return [...scored.entries()]
    .sort((left, right) => left[1] - right[1])
    .slice(0, limit)
    .map(([id]) => id);
}

/**
 * Parses "dr <category> <count> [date]". The count is the first number after the category, and
 * only the text after it is read as a date, so "dr pet 25 dec 3" is 25 PET exams on Dec 3.
 */
function parseDrCount(rest: string, now: Date, timeZone: string): ParsedCommand {
  const match = /^\s*(.+?)\s+(-?\d+)(?:\s+(.*?))?\s*$/.exec(rest);
  if (!match) {
    return { kind: "dr_invalid", problem: 'Write a diagnostic imaging count as "dr <category> <count>", for example "dr chest 120".' };
  }

  const dateText = match[3] ?? "";
  const found = dateText ? findDate(dateText, now, timeZone, { requireDay: false }) : null;
  if (dateText && (!found || dateText.slice(0, found.index).trim() || dateText.slice(found.index + found.length).trim())) {
    return { kind: "dr_invalid", problem: "The text after the count is not a date. Write it as YYYY-MM-DD, or leave it out for this academic year." };
  }

  const category = findDrCategory(match[1]!);
  if (!category) {
    return {
      kind: "dr_invalid",
      problem: `"${match[1]}" is not a diagnostic imaging category. Use one of: chest, cta, mammo, ct, us, biopsy, mri-joint, mri-brain, pet, mri-body, mri-spine.`,
    };
  }
  return { kind: "dr_count", category: category.id, count: Number(match[2]), performedOn: found?.date ?? null };
}

const MENTION = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;

const EXCHANGE_WORDS = new Set(["exchange", "exchanged", "change", "changed", "replacement", "replaced", "upsize", "upsized", "downsize", "reposition", "repositioned", "check", "study", "injection", "cholangiogram", "nephrostogram"]);
const REMOVAL_WORDS = new Set(["removal", "removed", "remove", "pull", "pulled", "explant", "explanted"]);
const DEVICE_WORDS = new Set(["tube", "tubes", "line", "lines", "catheter", "catheters", "drain", "drains", "cath"]);

/** Placements whose exchange or removal is a different procedure, and what that is. */
const MODIFIED: Readonly<Record<string, { exchange?: string; removal?: string }>> = {
  port_placement: { removal: "port_removal" },
  picc: { exchange: "tube_exchange", removal: "line_removal" },
  tunneled_line: { exchange: "tube_exchange", removal: "line_removal" },
  non_tunneled_line: { exchange: "tube_exchange", removal: "line_removal" },
  gastrostomy: { exchange: "tube_exchange", removal: "tube_exchange" },
  gastrojejunostomy: { exchange: "tube_exchange", removal: "tube_exchange" },
  cecostomy: { exchange: "tube_exchange", removal: "tube_exchange" },
  cholecystostomy: { exchange: "tube_exchange", removal: "tube_exchange" },
  ptbd: { exchange: "tube_exchange", removal: "tube_exchange" },
  nephrostomy: { exchange: "tube_exchange", removal: "tube_exchange" },
  nephroureteral_stent: { exchange: "tube_exchange", removal: "tube_exchange" },
  chest_tube: { exchange: "tube_exchange", removal: "tube_exchange" },
  abscess_drain: { exchange: "tube_exchange", removal: "tube_exchange" },
  tunneled_pleural_catheter: { exchange: "tube_exchange", removal: "line_removal" },
};

/** Finds an exchange or removal word right after a device ("g tube exchange"), skipping "tube" or "line". */
function followingModifier(words: readonly string[], from: number): { kind: "exchange" | "removal"; end: number } | null {
  let at = from;
  if (DEVICE_WORDS.has(words[at] ?? "")) at += 1;
  const word = words[at] ?? "";
  if (EXCHANGE_WORDS.has(word)) return { kind: "exchange", end: at + 1 };
  if (REMOVAL_WORDS.has(word)) return { kind: "removal", end: at + 1 };
  return null;
}

function modifiedProcedure(procedureId: string, kind: "exchange" | "removal"): string | undefined {
  return MODIFIED[procedureId]?.[kind];
}

/** Parses the text of a `/caselog` command typed at `now` by a user in `timeZone`. */
export function parseCommandText(text: string, now: Date, timeZone: string): ParsedCommand {
  const trimmed = text.trim();
  if (trimmed.length > MAX_COMMAND_TEXT_LENGTH) return { kind: "too_long", length: trimmed.length };
  if (trimmed === "") return { kind: "empty" };

  const finding = findPatientIdentifier(trimmed);
  if (finding) return { kind: "patient_identifier", finding };

  const lower = trimmed.toLowerCase();
  if (lower === "help" || lower === "?") return { kind: "help" };
  if (lower === "progress" || lower === "status") return { kind: "progress" };
  if (lower.startsWith("promote")) {
    const mention = /<@([UW][A-Z0-9]+)/.exec(trimmed);
    const role = /\b(supervisor|attending|coordinator|program[_ -]?director|director|pd)\b/i.exec(trimmed)?.[1]?.toLowerCase() ?? null;
    return { kind: "promote", slackUserId: mention?.[1] ?? null, role };
  }
  if (/^dr(?:\s+|$)/i.test(trimmed)) return parseDrCount(trimmed.replace(/^dr\s*/i, ""), now, timeZone);

  return parseEncounterText(trimmed, now, timeZone);
}

function parseEncounterText(text: string, now: Date, timeZone: string): DraftEncounterText {
  let body = text;
  let notes: string | null = null;
  const notesAt = /\bnotes?\s*:/i.exec(body);
  if (notesAt) {
    notes = body.slice(notesAt.index + notesAt[0].length).trim() || null;
    body = body.slice(0, notesAt.index);
  }

  let coCreditSlackId: string | null = null;
  const coCredit = /\bwith\s+<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/i.exec(body);
  if (coCredit) {
    coCreditSlackId = coCredit[1]!;
    body = body.slice(0, coCredit.index) + " " + body.slice(coCredit.index + coCredit[0].length);
  }

  const mentions = [...body.matchAll(MENTION)].map((match) => match[1]!);
  body = body.replace(MENTION, " ");

  // chrono-node reads an impossible ISO date such as 2026-13-01 as another day, so those are
  // taken out and named first.
  const impossibleDates: string[] = [];
  body = body.replace(/\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g, (text, year: string, month: string, day: string) => {
    if (isIsoDate(`${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`)) return text;
    impossibleDates.push(text);
    return " ";
  });

  let performedOn: string | null = null;
  const found = findDate(body, now, timeZone);
  if (found) {
    performedOn = found.date;
    body = body.slice(0, found.index) + " " + body.slice(found.index + found.length);
  }

  const words = tokenize(body);
  const procedureIds: string[] = [];
  const diagnosticVascularIds: string[] = [];
  const ambiguities: Ambiguity[] = [];
  const unknownWords: string[] = [];
  const invalidDates: string[] = [...impossibleDates];
  const counts: string[] = [];

  for (let at = 0; at < words.length; ) {
    let matched: IndexedTerm | undefined;
    let size = Math.min(MAX_TERM_WORDS, words.length - at);
    for (; size > 0; size--) {
      matched = lookup(words.slice(at, at + size));
      if (matched) break;
    }

    if (matched) {
      // "g-tube exchange", "port removal": a word after a device changes what was done.
      const follow = followingModifier(words, at + size);
      const procedureId = matched.procedureId && follow ? (modifiedProcedure(matched.procedureId, follow.kind) ?? matched.procedureId) : matched.procedureId;
      if (procedureId && procedureId !== matched.procedureId && follow) size = follow.end - at;

      if (/^\d+$/.test(words[at - 1] ?? "") && Number(words[at - 1]) >= 2 && procedureId) counts.push(`${words[at - 1]} ${words.slice(at, at + size).join(" ")}`);
      if (procedureId && !procedureIds.includes(procedureId)) procedureIds.push(procedureId);
      if (matched.diagnosticVascularId && !diagnosticVascularIds.includes(matched.diagnosticVascularId)) diagnosticVascularIds.push(matched.diagnosticVascularId);
      at += size;
      continue;
    }

    const word = words[at]!;
    const term = AMBIGUOUS_TERMS[word] ?? AMBIGUOUS_TERMS[singular(word) ?? ""];
    if (term) {
      ambiguities.push({ term: word, choices: [...term] });
    } else if (/^\d{1,4}[/-]\d{1,2}(?:[/-]\d{1,4})?$/.test(word)) {
      invalidDates.push(word);
    } else if (!STOP_WORDS.has(word) && !/^\d+(?:\.\d+)?(?:l|ml|cc|fr|f|cm|mm|g)?$/.test(word) && !/^\d{1,2}(?::\d{2})?(?:am|pm)$/.test(word)) {
      unknownWords.push(word);
    }
    at += 1;
  }

  const suggestions = [...new Set(unknownWords.flatMap((word) => suggestProcedures(word)))].slice(0, 5);

  return {
    kind: "encounter",
    procedureIds,
    diagnosticVascularIds,
    ambiguities,
    unknownWords,
    invalidDates,
    counts,
    suggestions,
    performedOn,
    supervisorSlackId: mentions[0] ?? null,
    coCreditSlackId,
    extraMentions: mentions.slice(1),
    notes,
  };
}
