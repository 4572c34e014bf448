import { TRACK_NAMES, type Progress, type Track } from "../rules/counting.js";
import { IR_GROUP_NAMES, type IrCategoryGroup } from "../rules/taxonomy.js";
import type { LogEntry } from "./log-entries.js";
import { FONT, FONT_BOLD, encounterLogTable, heading, labelledLine, renderPdf, type Pdf } from "./pdf.js";

/** The per-resident PDF progress report: DR aggregate counts, IR categories, totals and the log. */

export interface ProgressReportData {
  programName: string;
  programNumber: string | null;
  residentName: string;
  track: Track;
  pgy: number;
  progress: Progress;
  /** The ESIR plus IR total for an independent IR resident who completed ESIR, else null. */
  combined: { esirPeriod: { from: string; until: string }; esir: number; ir: number; total: number } | null;
  entries: LogEntry[];
  generatedOn: string;
}

function drTable(doc: Pdf, progress: Progress): void {
  const header = ["Diagnostic imaging category", "Count", "Minimum", "Remaining"].map((text) => ({ text, font: { src: FONT_BOLD }, type: "TH" as const }));
  const rows = progress.dr.map((row) => [row.name, String(row.count), String(row.minimum ?? ""), String(Math.max(0, (row.minimum ?? 0) - row.count))]);
  doc.table({ position: { x: doc.page.margins.left }, columnStyles: ["*", 70, 70, 70], defaultStyle: { border: 0.5, padding: 2 }, data: [header, ...rows] });
}

function irTable(doc: Pdf, progress: Progress): void {
  const header = ["IR case log category", "Credited"].map((text) => ({ text, font: { src: FONT_BOLD }, type: "TH" as const }));
  const rows: string[][] = [];
  let group: string | null = null;
  for (const row of progress.ir) {
    if (row.group !== group) {
      group = row.group;
      rows.push([IR_GROUP_NAMES[row.group as IrCategoryGroup] ?? row.group, ""]);
    }
    rows.push([`  ${row.name}`, String(row.count)]);
  }
  doc.table({ position: { x: doc.page.margins.left }, columnStyles: ["*", 70], defaultStyle: { border: 0.5, padding: 2 }, data: [header, ...rows] });
}

export function progressReportPdf(data: ProgressReportData): Promise<Buffer> {
  return renderPdf({ title: `Case log progress: ${data.residentName}`, createdAt: new Date(`${data.generatedOn}T00:00:00Z`) }, (doc) => {
    heading(doc, "Case Log Progress Report");
    doc.moveDown();
    labelledLine(doc, "Program", data.programNumber ? `${data.programName} (${data.programNumber})` : data.programName);
    labelledLine(doc, "Resident", data.residentName);
    labelledLine(doc, "Track", `${TRACK_NAMES[data.track]}, PGY-${data.pgy}`);
    labelledLine(doc, "Generated", data.generatedOn);
    doc.moveDown();

    const { encounters } = data.progress;
    const target = encounters.target === null ? "no ACGME total for this track" : `${encounters.count} of ${encounters.target}`;
    labelledLine(doc, "Patient procedural encounters toward the target", target);
    labelledLine(doc, "All logged encounters", String(encounters.all));
    if (data.combined) {
      const { esirPeriod, esir, ir, total } = data.combined;
      labelledLine(doc, "Combined ESIR and IR total", `${total} (ESIR ${esirPeriod.from} to before ${esirPeriod.until}: ${esir}; IR residency: ${ir})`);
    }
    doc.moveDown();

    if (data.progress.showsDrCategories) {
      drTable(doc, data.progress);
      doc.moveDown();
    }
    irTable(doc, data.progress);

    doc.addPage();
    doc.font(FONT_BOLD).fontSize(12).text("Encounter log").font(FONT).fontSize(10);
    doc.moveDown(0.3);
    encounterLogTable(doc, data.entries);
  });
}
