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
    test: /(?<![\d.])[a-z]{0,3}\d{6,}(?![\d.])/i,
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
    // The title may start with either case, but the name after it must be capitalized, so
    // "MR brain" (MR imaging) and "MS lesion" pass but "Mr. Smith" and "mrs Jones" are caught.
    kind: "patient_name",
    description: "a patient's name",
    test: /\b[Mm](?:r|rs|s|iss|x)\.?\s+[A-Z][a-z'-]+/,
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
  const withoutSlackMentions = text.replace(/<[@#!][^>]*>/g, " ");
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
