import { describe, expect, it } from "vitest";
import { findPatientIdentifier, patientIdentifierMessage, type IdentifierKind } from "../../src/rules/privacy.js";

// `identifier` is the part of the text that must never reappear in a message.
const CAUGHT: readonly { text: string; kind: IdentifierKind; identifier: string }[] = [
  { text: "port, ssn 123-45-6789", kind: "ssn", identifier: "123-45-6789" },
  { text: "123 45 6789", kind: "ssn", identifier: "123 45 6789" },
  { text: "call back 312-555-0147", kind: "phone", identifier: "312-555-0147" },
  { text: "(312) 555-0147", kind: "phone", identifier: "555-0147" },
  { text: "+1 312 555 0147", kind: "phone", identifier: "555 0147" },
  { text: "312.555.0147", kind: "phone", identifier: "312.555.0147" },
  { text: "MRN 1234567", kind: "mrn", identifier: "1234567" },
  { text: "mrn: A12345", kind: "mrn", identifier: "A12345" },
  { text: "medical record number 4455", kind: "mrn", identifier: "4455" },
  { text: "tace 12345678", kind: "mrn", identifier: "12345678" },
  { text: "3125550147", kind: "mrn", identifier: "3125550147" },
  { text: "accession 12345", kind: "accession", identifier: "12345" },
  { text: "Acc# 98765", kind: "accession", identifier: "98765" },
  { text: "DOB 3/4/1950", kind: "date_of_birth", identifier: "3/4/1950" },
  { text: "date of birth was in March", kind: "date_of_birth", identifier: "March" },
  { text: "port 3/4/1950", kind: "date_of_birth", identifier: "3/4/1950" },
  { text: "picc 1950-03-04", kind: "date_of_birth", identifier: "1950-03-04" },
  { text: "Mr. Smith", kind: "patient_name", identifier: "Smith" },
  { text: "port for Mrs Jones", kind: "patient_name", identifier: "Jones" },
  { text: "ms. Lee tolerated well", kind: "patient_name", identifier: "Lee" },
  { text: "pt name: John", kind: "patient_name", identifier: "John" },
  { text: "Patient: Jane Roe", kind: "patient_name", identifier: "Jane" },
  { text: "PATIENT NAME: JANE", kind: "patient_name", identifier: "JANE" },
  { text: "name: Roe", kind: "patient_name", identifier: "Roe" },
  { text: "sent to john.smith@example.com", kind: "email", identifier: "john.smith@example.com" },
  { text: "<mailto:jo@example.org|jo@example.org>", kind: "email", identifier: "jo@example.org" },
  { text: "<@U012ABCDEF> 123-45-6789", kind: "ssn", identifier: "123-45-6789" },
  { text: "port notes: case 1234567.", kind: "mrn", identifier: "1234567" },
  { text: "1234 5678", kind: "mrn", identifier: "1234 5678" },
  { text: "\u{1D7CF}\u{1D7D0}\u{1D7D1}\u{1D7D2}\u{1D7D3}\u{1D7D4}\u{1D7D5}", kind: "mrn", identifier: "\u{1D7CF}\u{1D7D0}\u{1D7D1}" },
  { text: "call 555-0147", kind: "phone", identifier: "555-0147" },
  { text: "notes: MR. SMITH tolerated", kind: "patient_name", identifier: "SMITH" },
  { text: "Mrs. smith", kind: "patient_name", identifier: "smith" },
  { text: "MISS JONES", kind: "patient_name", identifier: "JONES" },
  { text: "seen Jan 3 1985", kind: "date_of_birth", identifier: "1985" },
  { text: "3 January 1985", kind: "date_of_birth", identifier: "1985" },
  { text: "born 3/4/85", kind: "date_of_birth", identifier: "3/4/85" },
  { text: "3/4/85", kind: "date_of_birth", identifier: "3/4/85" },
  { text: "<@x SSN 123-45-6789>", kind: "ssn", identifier: "123-45-6789" },
  { text: "<@U0AB|MRN 98765432>", kind: "mrn", identifier: "98765432" },
  { text: "notes: \u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668", kind: "mrn", identifier: "\u0661\u0662\u0663" },
  { text: "notes: MRN is 12345", kind: "mrn", identifier: "12345" },
  { text: "MRN: A-12345", kind: "mrn", identifier: "A-12345" },
  { text: "notes: call 555 1234", kind: "mrn", identifier: "555 1234" },
  { text: "1985/1/2", kind: "date_of_birth", identifier: "1985/1/2" },
  { text: "1985.01.02", kind: "mrn", identifier: "1985.01.02" },
  { text: "01-Jan-1985", kind: "date_of_birth", identifier: "01-Jan-1985" },
  { text: "Mr. \u00C9lan", kind: "patient_name", identifier: "\u00C9lan" },
  { text: "Mister Smith", kind: "patient_name", identifier: "Smith" },
  { text: "123 456 789", kind: "mrn", identifier: "123 456 789" },
  { text: "12 34 56 78", kind: "mrn", identifier: "12 34 56 78" },
  { text: "123\u200B456\u200B789", kind: "mrn", identifier: "456" },
];

const PASSED: readonly string[] = [
  "port yesterday",
  "dr chest 1900",
  "dr ct 600",
  "y90 mapping 2026-12-01",
  "tips 2026-07-01",
  "liver biopsy, notes: difficult access",
  "<@U012ABCDEF|drsmith>",
  "port with <@U012ABCDEF> yesterday",
  "<@U12345678> picc",
  "see <#C01234567|ir-residents>",
  "MR brain reviewed",
  "MRA runoff",
  "MS lesion biopsy",
  "12 fr drain, 20 ml out",
  "pe thrombectomy, 2 passes",
  "tace with 100-300 micron beads",
  "gj tube 14 fr",
  "port 12/3/26",
  "dr pet 25 dec 3",
  "ct dose 0.5 mSv",
  "dr us 350 2026-05-01",
  "port 2026-11-30 and 2026-12-01",
  "",
];

describe("findPatientIdentifier", () => {
  it.each(CAUGHT)("catches $kind in $text", ({ text, kind }) => {
    expect(findPatientIdentifier(text)?.kind).toBe(kind);
  });

  it.each(PASSED)("passes %j", (text) => {
    expect(findPatientIdentifier(text)).toBeNull();
  });

  it.each(CAUGHT)("describes $kind without the text", ({ text, identifier }) => {
    const finding = findPatientIdentifier(text);
    expect(finding).not.toBeNull();
    expect(finding?.description).not.toContain(identifier);
  });
});

describe("patientIdentifierMessage", () => {
  it.each(CAUGHT)("omits the identifier in $text", ({ text, identifier }) => {
    const finding = findPatientIdentifier(text);
    if (!finding) throw new Error(`expected an identifier in "${text}"`);

    const message = patientIdentifierMessage(finding);
    expect(message).not.toContain(text);
    expect(message).not.toContain(identifier);
  });

  it("names the field", () => {
    const message = patientIdentifierMessage({ kind: "mrn", description: "a medical record number" }, "The notes");
    expect(message.startsWith("The notes ")).toBe(true);
    expect(message).toContain("a medical record number");
  });

  it("defaults the field name", () => {
    const message = patientIdentifierMessage({ kind: "email", description: "an email address" });
    expect(message.startsWith("Your text ")).toBe(true);
  });

  it("says nothing was saved", () => {
    const message = patientIdentifierMessage({ kind: "phone", description: "a phone number" });
    expect(message).toContain("nothing was saved");
  });
});
