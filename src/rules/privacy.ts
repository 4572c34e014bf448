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
  | "email";

export interface IdentifierFinding {
  kind: IdentifierKind;
  /** What was found, in words; never the matched text itself. */
  description: string;
}

interface Pattern {
  kind: IdentifierKind;
  description: string;
  test: RegExp;
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
    test: /\b(?:mrn|medical\s+record(?:\s+(?:number|no\.?|#))?|mr\s*#|chart\s*(?:number|no\.?|#))\s*[:#]?\s*[a-z]*\d/i,
  },
  {
    kind: "accession",
    description: "an accession number",
    test: /\b(?:acc(?:ession)?|acn|study\s+id|order\s*(?:number|no\.?|#))\s*(?:number|no\.?|#)?\s*[:#]?\s*[a-z]*\d/i,
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
    description: "a number in two groups of four digits, which could be a record number",
    test: /\b\d{4}[\s-]\d{4}\b/,
  },
  {
    kind: "date_of_birth",
    description: "a date of birth",
    test: /\b(?:dob|d\.o\.b\.?|date\s+of\s+birth|birth\s*date|birthday|born(?:\s+on)?)\b/i,
  },
  {
    kind: "date_of_birth",
    description: "a full date from before 2000, which is more likely a date of birth than a case date",
    test: /\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:18|19)\d{2}|(?:18|19)\d{2}-\d{1,2}-\d{1,2})\b/,
  },
  {
    kind: "date_of_birth",
    description: "a date with a two-digit year from before 2000 (30 to 99), which is more likely a date of birth",
    test: /\b\d{1,2}[/.-]\d{1,2}[/.-](?:[3-9]\d)\b/,
  },
  {
    kind: "date_of_birth",
    description: "a date from before 2000 written with a month name, which is more likely a date of birth",
    test: /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:18|19)\d{2}\b|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+(?:18|19)\d{2}\b/i,
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
    test: /\b(?:mr|mrs|ms|mx)\.\s*[a-z][a-z'-]+|\b(?:mrs|miss)\s+[a-z][a-z'-]+/i,
  },
  {
    kind: "patient_name",
    description: "a patient's name",
    test: /\b(?:patient|pt)(?:'s)?\s*(?:name\b|:)\s*[a-z]|\bname\s*:\s*[a-z]/i,
  },
  {
    kind: "email",
    description: "an email address",
    test: /\b[\w.+-]+@[\w-]+\.[\w.-]+\b/,
  },
];

/** Returns the first thing in `text` that looks like a patient identifier, or null. */
export function findPatientIdentifier(text: string): IdentifierFinding | null {
  // NFKC folds look-alike characters (mathematical or full-width digits) into plain ones.
  const withoutSlackMentions = text.normalize("NFKC").replace(/<[@#!][^>]*>/g, " ");
  for (const pattern of PATTERNS) {
    if (pattern.test.test(withoutSlackMentions)) {
      return { kind: pattern.kind, description: pattern.description };
    }
  }
  return null;
}

/** Builds the message shown when text was rejected; it never repeats the text. */
export function patientIdentifierMessage(finding: IdentifierFinding, field = "Your text"): string {
  return (
    `${field} looks like it contains ${finding.description}, so nothing was saved. ` +
    "Caselog never stores patient identifiers. Describe the case without them, " +
    'for example "port yesterday" or "liver biopsy, notes: difficult access".'
  );
}
