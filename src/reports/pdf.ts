import PDFDocument from "pdfkit";
import type { LogEntry } from "./log-entries.js";

/** Shared pdfkit setup for Caselog's reports: US Letter, the standard Helvetica fonts, one buffer out. */

export type Pdf = PDFKit.PDFDocument;

export const FONT = "Helvetica";
export const FONT_BOLD = "Helvetica-Bold";

export interface PdfMeta {
  title: string;
  /** Stored as the PDF creation date, so the same data renders the same document. */
  createdAt: Date;
}

/** Runs `draw` on a new document and returns the finished PDF bytes. */
export function renderPdf(meta: PdfMeta, draw: (doc: Pdf) => void): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "LETTER",
    margin: 48,
    info: { Title: meta.title, Creator: "Caselog", Producer: "Caselog", CreationDate: meta.createdAt },
  });

  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  doc.font(FONT).fontSize(10);
  draw(doc);
  doc.end();
  return finished;
}

export function contentWidth(doc: Pdf): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

export function heading(doc: Pdf, text: string, size = 14): void {
  doc.font(FONT_BOLD).fontSize(size).text(text, { align: "center" });
  doc.font(FONT).fontSize(10);
}

/** Writes "Label: value" with the label in bold. */
export function labelledLine(doc: Pdf, label: string, value: string): void {
  doc.font(FONT_BOLD).text(`${label}: `, { continued: true }).font(FONT).text(value);
}

/** Draws the detailed encounter log as a table that continues over as many pages as needed. */
export function encounterLogTable(doc: Pdf, entries: readonly LogEntry[]): void {
  const header = ["#", "Date", "PGY", "Procedures", "Case log categories", "Role", "Supervisor", "Status"];
  const rows = entries.map((entry, index) => [
    String(index + 1),
    entry.performedOn,
    entry.pgy === null ? "" : String(entry.pgy),
    entry.procedureNames.join("; "),
    entry.categoryNames.length > 0 ? entry.categoryNames.join("; ") : "Encounter only",
    entry.roleName,
    entry.supervisorSlackId ?? "",
    entry.credited ? "Credited" : entry.verification.replace("_", " "),
  ]);

  doc.fontSize(8);
  doc.table({
    position: { x: doc.page.margins.left },
    columnStyles: [24, 56, 26, "*", 110, 60, 62, 48],
    defaultStyle: { border: 0.5, padding: 2 },
    rowStyles: (row) => (row === 0 ? { backgroundColor: "#e6e6e6" } : undefined),
    data: [header.map((text) => ({ text, font: { src: FONT_BOLD }, type: "TH" as const })), ...rows],
  });
  doc.fontSize(10);
}
