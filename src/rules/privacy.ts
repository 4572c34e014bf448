/**
 * The patient-identifier guard. Caselog stores no protected health information, so any text a
 * person types or imports passes through `findPatientIdentifier` before it is parsed or stored.
 * The patterns are deliberately broad: a false alarm costs the resident one rewrite, a miss
 * puts an identifier in the database.
 */

export type IdentifierKind =
  | "ssn"
  | "phone"
  | "mrn"
  | "accession"
  | "date_of_birth"
  | "patient_name"
  | "email"
  | "age_over_89";

export interface IdentifierFinding {
  kind: IdentifierKind;
  /** Description of the finding in words, never the matched text itself. */
  description: string;
}

interface Pattern {
  kind: IdentifierKind;
  description: string;
  test: RegExp | ((text: string) => boolean);
}

const ISO_DATES = /\b(?:19|20)\d{2}-\d{1,2}-\d{1,2}\b/g;

/**
 * Finds digit groups joined by single spaces, dashes or dots ("123 456 789", "12-34-56-78")
 * that hold 7 or more digits in all, except an ISO date such as 2026-12-03.
 */
/** Finds a full date (M/D/YYYY or YYYY-MM-DD) in a year more than ten years before now. */
function hasOldFullDate(text: string): boolean {
  const oldest = new Date().getUTCFullYear() - 10;
  for (const match of text.matchAll(/\b\d{1,2}[/.-]\d{1,2}[/.-]((?:19|20)\d{2})\b|\b((?:19|20)\d{2})[/.-]\d{1,2}[/.-]\d{1,2}\b/g)) {
    if (Number(match[1] ?? match[2]) < oldest) return true;
  }
  return false;
}

function hasSplitLongNumber(text: string): boolean {
  const withoutDates = text.replace(ISO_DATES, " ; ");
  for (const match of withoutDates.matchAll(/(?<![\d.-])\d{1,4}(?:[\s.-]\d{1,4}){1,5}(?![\d])/g)) {
    if (match[0].replace(/\D/g, "").length >= 7) return true;
  }
  return false;
}

const PATTERNS: readonly Pattern[] = [
  {
    kind: "ssn",
    description: "a Social Security number (three, two and four digits)",
    test: /\b\d{3}[-\s.]\d{2}[-\s.]\d{4}\b/,
  },
  {
    kind: "phone",
    description: "a phone number",
    test: /(?:\+?1[-\s.]?)?(?:\(\d{3}\)\s*|\b\d{3}[-\s.])\d{3}[-\s.]\d{4}\b/,
  },
  {
    kind: "phone",
    description: "a phone number (three and four digits)",
    test: /\b\d{3}[-.]\d{4}\b/,
  },
  {
    kind: "mrn",
    description: "a medical record number",
    // A digit anywhere in the next 20 characters: "MRN is 12345", "MRN: A-12345".
    test: /\b(?:mrn|medical\s+record|mr\s*#|chart\s*(?:number|no\.?|#))\b.{0,20}\d/i,
  },
  {
    kind: "accession",
    description: "an accession number",
    test: /\b(?:acc(?:ession)?|acn|study\s+id|order\s*(?:number|no\.?|#))\b.{0,20}\d/i,
  },
  {
    kind: "mrn",
    description: "a long number that could be a medical record or accession number (6 or more digits in a row)",
    // A decimal such as 0.1234567 is not a record number, but "case 1234567." at the end of a
    // sentence is, so only a period followed by a digit stops the match.
    test: /(?<!\d)(?<!\d\.)[a-z]{0,3}\d{6,}(?!\d)(?!\.\d)/i,
  },
  {
    kind: "mrn",
    description: "a number of 7 or more digits written in groups, which could be a record number",
    test: hasSplitLongNumber,
  },
  {
    kind: "phone",
    description: "a phone number (three and four digits)",
    test: /\b\d{3}\s\d{4}\b(?![-/])/,
  },
  {
    kind: "date_of_birth",
    description: "a date of birth",
    test: /\b(?:dob|d\.o\.b\.?|date\s+of\s+birth|birth\s*date|birthday|born(?:\s+on)?)\b/i,
  },
  {
    kind: "date_of_birth",
    description: "a full date from before 2000, which is more likely a date of birth than a case date",
    test: /\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:18|19)\d{2}|(?:18|19)\d{2}[/.-]\d{1,2}[/.-]\d{1,2})\b/,
  },
  {
    kind: "date_of_birth",
    description: "a date with a two-digit year from before 2000 (30 to 99), which is more likely a date of birth",
    test: /\b\d{1,2}[/.-]\d{1,2}[/.-](?:[3-9]\d)\b/,
  },
  {
    kind: "date_of_birth",
    description: "a date from before 2000 written with a month name, which is more likely a date of birth",
    test: /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:18|19)\d{2}\b|\b\d{1,2}[\s-]*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?[\s-]*(?:18|19)\d{2}\b/i,
  },
  {
    // The title may start with either case, but the name after it must be capitalized, so
    // "MR brain" (MR imaging) and "MS lesion" pass but "Mr. Smith" and "mrs Jones" are caught.
    kind: "patient_name",
    description: "a patient's name",
    test: /\b[Mm](?:r|rs|s|iss|x)\.?\s+[A-Z][a-z'-]+/,
  },
  {
    // With a period, or as Mrs or Miss (never imaging abbreviations), any case is a title:
    // "MR. SMITH", "Mrs. smith", "MISS JONES".
    kind: "patient_name",
    description: "a patient's name",
    test: /\b(?:mr|mrs|ms|mx)\.\s*\p{L}[\p{L}'-]+|\b(?:mrs|miss|mister|missus)\s+\p{L}[\p{L}'-]+/iu,
  },
  {
    kind: "patient_name",
    description: "a patient's name",
    test: /\b(?:patient|pt)(?:'s)?\s*(?:name\b|:)\s*[a-z]|\bname\s*:\s*[a-z]/i,
  },
  {
    kind: "patient_name",
    description: "a patient's name",
    test: /\b(?:pt|patient)\s+[A-Z][a-z'-]+\s+[A-Z][a-z'-]+/,
  },
  {
    // HIPAA counts any age over 89 as an identifier.
    kind: "age_over_89",
    description: "an age over 89",
    test: /\b(?:9\d|1[0-4]\d)\s*-?\s*(?:yo|y\/o|y\.o\.?|yr|yrs|years?|year-old|years-old)\b/i,
  },
  {
    kind: "date_of_birth",
    description: "a full date more than ten years back, which is more likely a date of birth than a case date",
    test: hasOldFullDate,
  },
  {
    kind: "email",
    description: "an email address",
    test: /\b[\w.+-]+@[\w-]+\.[\w.-]+\b/,
  },
];

/**
 * Rewrites text so the patterns see what a reader sees: look-alike characters folded (NFKC),
 * digits of every script as ASCII digits, invisible characters removed, and a Slack mention
 * such as <@U012ABCDEF|name> replaced by its label, so text hidden in a mention is checked too.
 */
function normalizeForGuard(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/g, "")
    .replace(/\p{Nd}/gu, (digit) => (/[0-9]/.test(digit) ? digit : "0"))
    .replace(/<[@#!][A-Z0-9^]*(?:\|([^>]*))?>/gi, (_mention, label: string | undefined) => ` ${label ?? ""} `)
    .replace(/<[@#!]([^>]*)>/g, " $1 ");
}

/** Returns the first thing in `text` that looks like a patient identifier, or null. */
export function findPatientIdentifier(text: string): IdentifierFinding | null {
  const normalized = normalizeForGuard(text);
  for (const pattern of PATTERNS) {
    const found = typeof pattern.test === "function" ? pattern.test(normalized) : pattern.test.test(normalized);
    if (found) return { kind: pattern.kind, description: pattern.description };
  }
  return null;
}

/** Builds the message shown when text was rejected; it never repeats the text. */
export function patientIdentifierMessage(finding: IdentifierFinding, field = "Your text"): string {
  return (
    `${field} looks like it contains ${finding.description}, so nothing was saved. ` +
    "Caselog never stores patient identifiers. Write it again without them" +
    (field === "Your text" ? ', for example "port yesterday" or "liver biopsy, notes: difficult access".' : ".")
  );
}
