import { addDays } from "../rules/academic-year.js";
import { ENCOUNTER_TARGETS, IR_CATEGORIES, IR_GROUP_NAMES, type IrCategoryGroup, type IrCategoryId } from "../rules/taxonomy.js";
import type { LogEntry } from "./log-entries.js";
import { FONT, FONT_BOLD, contentWidth, encounterLogTable, heading, labelledLine, renderPdf, type Pdf } from "./pdf.js";

/**
 * The ACGME "Standardized Form for ESIR Resident Training Verification" (Appendix 1 of the
 * Radiology Case Log Guidelines). It lists the program, the resident, the 12 IR case log
 * categories grouped vascular, non-vascular and clinic, the ICU rotation and the total of
 * patient procedural encounters. The program director's signature block and the detailed log
 * follow.
 */

export interface EsirFormData {
  programName: string;
  programNumber: string | null;
  residentName: string;
  /** Half-open ESIR period [from, until) whose encounters the form covers. */
  period: { from: string; until: string };
  categoryCounts: Record<IrCategoryId, number>;
  icuRotationCompleted: boolean;
  creditedTotal: number;
  /** Encounters in the period still waiting for an attending's verification. */
  pendingTotal: number;
  directorName: string;
  signature: { signerName: string; signedOn: string } | null;
  generatedOn: string;
  /** The credited encounters the total counts, oldest first. */
  entries: LogEntry[];
}

export const ESIR_TARGET = ENCOUNTER_TARGETS.esir;

export interface Eligibility {
  eligible: boolean;
  missing: number;
}

/** Checks the ESIR requirement of at least 500 credited patient procedural encounters. */
export function esirEligibility(creditedTotal: number): Eligibility {
  return { eligible: creditedTotal >= ESIR_TARGET, missing: Math.max(0, ESIR_TARGET - creditedTotal) };
}

/** Explains why a form is not eligible, or returns null when it is. */
export function notEligibleText(data: Pick<EsirFormData, "creditedTotal" | "pendingTotal">): string | null {
  const { eligible, missing } = esirEligibility(data.creditedTotal);
  if (eligible) return null;
  return (
    `NOT ELIGIBLE: ${data.creditedTotal} of the required ${ESIR_TARGET} patient procedural encounters are credited, ` +
    `so ${missing} ${missing === 1 ? "is" : "are"} missing. ${data.pendingTotal} more ${data.pendingTotal === 1 ? "is" : "are"} pending verification.`
  );
}

export function lastDayOf(period: { until: string }): string {
  return addDays(period.until, -1);
}

const GROUP_HEADINGS: Record<IrCategoryGroup, string | null> = {
  vascular: IR_GROUP_NAMES.vascular.toUpperCase(),
  non_vascular: IR_GROUP_NAMES.non_vascular.toUpperCase(),
  // The form lists the clinic evaluation on its own, after a blank row and without a heading.
  clinic: null,
};

function categoryTable(doc: Pdf, data: EsirFormData): void {
  const rows: Array<Array<string | PDFKit.Mixins.CellOptions>> = [];
  rows.push([
    { text: "CASE LOG CATEGORY (12)", font: { src: FONT_BOLD }, type: "TH" },
    { text: "Number Performed", font: { src: FONT_BOLD }, type: "TH", align: { x: "right" } },
  ]);

  let group: IrCategoryGroup | null = null;
  for (const category of IR_CATEGORIES) {
    if (category.group !== group) {
      group = category.group;
      const title = GROUP_HEADINGS[group];
      rows.push([{ text: title ?? " ", font: { src: FONT_BOLD } }, ""]);
    }
    rows.push([category.name, { text: String(data.categoryCounts[category.id]), align: { x: "right" } }]);
  }

  doc.table({
    position: { x: doc.page.margins.left },
    columnStyles: ["*", 110],
    defaultStyle: { border: 0.5, padding: 2 },
    data: rows,
  });
}

function checkbox(doc: Pdf, x: number, y: number, checked: boolean): void {
  doc.rect(x, y, 9, 9).stroke();
  if (checked) {
    doc
      .moveTo(x + 2, y + 4.5)
      .lineTo(x + 4, y + 7)
      .lineTo(x + 7.5, y + 2)
      .stroke();
  }
}

function icuLine(doc: Pdf, completed: boolean): void {
  const y = doc.y;
  const left = doc.page.margins.left;
  const right = left + contentWidth(doc);
  doc.font(FONT_BOLD).text("Completed ICU rotation?", left, y, { lineBreak: false });
  checkbox(doc, right - 120, y, completed);
  doc.font(FONT).text(`YES${completed ? " (X)" : ""}`, right - 106, y, { lineBreak: false });
  checkbox(doc, right - 55, y, !completed);
  doc.text(`NO${completed ? "" : " (X)"}`, right - 41, y, { lineBreak: false });
  doc.x = left;
  doc.y = y + 16;
}

function signatureBlock(doc: Pdf, data: EsirFormData): void {
  const left = doc.page.margins.left;
  labelledLine(doc, "Diagnostic Radiology Program Director Name", data.directorName);
  labelledLine(doc, "Date", data.signature?.signedOn ?? "");
  doc.moveDown(1.5);

  if (data.signature) {
    doc.font(FONT).text(`Signed in Caselog by ${data.signature.signerName} on ${data.signature.signedOn}.`);
  }
  const lineY = doc.y + 4;
  doc.moveTo(left, lineY).lineTo(left + 300, lineY).stroke();
  doc.y = lineY + 4;
  doc.x = left;
  doc.text("Diagnostic Radiology Program Director Signature");
}

/** Renders the ESIR verification form and the attached detailed log as one PDF. */
export function esirFormPdf(data: EsirFormData): Promise<Buffer> {
  return renderPdf({ title: `ESIR verification: ${data.residentName}`, createdAt: new Date(`${data.generatedOn}T00:00:00Z`) }, (doc) => {
    heading(doc, "Verification of Early Specialization in Interventional Radiology (ESIR) Training");
    doc.font(FONT).fontSize(11).text("Review Committee for Radiology", { align: "center" }).fontSize(10);
    doc.moveDown();

    const warning = notEligibleText(data);
    if (warning) {
      doc.font(FONT_BOLD).fillColor("#b00000").text(warning).fillColor("black").font(FONT);
      doc.moveDown(0.5);
    }

    doc.text(
      "Complete this form and provide it to the program director of the accepting interventional " +
        "radiology-independent program for each resident who completes ESIR training.",
    );
    doc.moveDown();
    labelledLine(doc, "Diagnostic Radiology Program Name", data.programName);
    labelledLine(doc, "Diagnostic Radiology Program Number", data.programNumber ?? "");
    doc.moveDown(0.5);
    labelledLine(doc, "Resident Name", data.residentName);
    labelledLine(doc, "ESIR period", `${data.period.from} to ${lastDayOf(data.period)}`);
    doc.moveDown();
    doc.text(
      "The above-named resident has successfully completed our ACGME-approved ESIR curriculum. " +
        "This form summarizes the procedural experience obtained during the ESIR training and includes " +
        "interventional radiology Case Log volumes and the total number of interventional radiology " +
        "patient procedural encounters.",
    );
    doc.moveDown();

    doc.font(FONT_BOLD).fontSize(12).text("ACGME Case Logs").font(FONT).fontSize(10);
    doc.moveDown(0.3);
    categoryTable(doc, data);
    doc.moveDown(0.5);
    icuLine(doc, data.icuRotationCompleted);
    doc.moveDown(0.5);

    doc.font(FONT_BOLD).fontSize(12).text("Interventional Radiology Patient Procedural Encounters").font(FONT).fontSize(10);
    doc.moveDown(0.3);
    doc.text(
      "Total number of interventional radiology patient procedural encounters in which the resident " +
        `participated during ESIR training: ${data.creditedTotal}`,
    );
    doc.moveDown(0.3);
    doc.text(
      "A detailed log enumerating these patient procedural encounters has been reviewed by myself, " +
        "with the resident, and a copy is attached to this form.",
    );
    doc.moveDown();
    signatureBlock(doc, data);

    doc.addPage();
    heading(doc, `Detailed log: ${data.residentName}`, 12);
    doc.text(`ESIR period ${data.period.from} to ${lastDayOf(data.period)}. ${data.creditedTotal} credited patient procedural encounters. Generated ${data.generatedOn}.`, {
      align: "center",
    });
    doc.moveDown();
    encounterLogTable(doc, data.entries);
  });
}
