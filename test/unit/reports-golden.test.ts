import { describe, expect, it } from "vitest";
import { programLogCsv, residentLogCsv } from "../../src/reports/csv.js";
import { esirFormPdf, type EsirFormData } from "../../src/reports/esir-form.js";
import { toLogEntry, type StoredEncounter } from "../../src/reports/log-entries.js";
import { progressReportPdf } from "../../src/reports/progress-report.js";
import { buildProgress } from "../../src/rules/counting.js";
import { IR_CATEGORY_IDS, type IrCategoryId } from "../../src/rules/taxonomy.js";
import { pdfText } from "../fixtures/pdf-text.js";

function stored(id: number, performedOn: string, procedures: StoredEncounter["procedures"], extra: Partial<StoredEncounter> = {}): StoredEncounter {
  return {
    id,
    performedOn,
    academicYear: 2025,
    pgy: 5,
    kind: "procedure",
    role: "first_operator",
    supervisorSlackId: "U0ATTEND",
    verification: "not_required",
    enteredInAcgme: false,
    lockedByVerificationId: null,
    source: "slash",
    notes: null,
    procedures,
    resident: { slackUserId: "U0ESIR", displayName: "Eli Esir" },
    ...extra,
  };
}

const ENTRIES = [
  stored(1, "2025-07-14", [{ procedureId: "port_placement", category: "venous_port" }]),
  stored(2, "2025-08-02", [
    { procedureId: "nephrostomy", category: "primary_nephrostomy" },
    { procedureId: "tace", category: "embolization" },
  ], { notes: "=difficult access, two passes", verification: "verified", enteredInAcgme: true }),
  stored(3, "2025-09-20", [{ procedureId: "clinic", category: "new_outpatient_clinic" }], { kind: "clinic", supervisorSlackId: null }),
].map(toLogEntry);

function counts(values: Partial<Record<IrCategoryId, number>>): Record<IrCategoryId, number> {
  return Object.fromEntries(IR_CATEGORY_IDS.map((id) => [id, values[id] ?? 0])) as Record<IrCategoryId, number>;
}

const FORM: EsirFormData = {
  programName: "Lakeside Diagnostic Radiology",
  programNumber: "4201299001",
  residentName: "Eli Esir",
  period: { from: "2025-07-01", until: "2026-07-01" },
  categoryCounts: counts({ venous_port: 1, primary_nephrostomy: 1, embolization: 1, new_outpatient_clinic: 1 }),
  icuRotationCompleted: false,
  creditedTotal: 3,
  pendingTotal: 2,
  directorName: "Dana Director",
  signature: null,
  generatedOn: "2026-06-30",
  entries: ENTRIES,
};

describe("ESIR form PDF text", () => {
  it("matches the golden file when not eligible", async () => {
    const text = await pdfText(await esirFormPdf(FORM));
    await expect(text).toMatchFileSnapshot("../fixtures/golden/esir-form-not-eligible.txt");
  });

  it("matches the golden file when signed", async () => {
    const form: EsirFormData = {
      ...FORM,
      creditedTotal: 500,
      pendingTotal: 0,
      icuRotationCompleted: true,
      signature: { signerName: "Dana Director", signedOn: "2026-07-02" },
    };
    const text = await pdfText(await esirFormPdf(form));
    await expect(text).toMatchFileSnapshot("../fixtures/golden/esir-form-signed.txt");
  });

  it("lists the categories in ESIR form order", async () => {
    const text = await pdfText(await esirFormPdf(FORM));
    const vascular = text.indexOf("VASCULAR");
    const nonVascular = text.indexOf("NON-VASCULAR");
    const clinic = text.indexOf("New Outpatient Clinic Evaluation");
    expect(vascular).toBeGreaterThan(-1);
    expect(text.indexOf("TIPS or TIPS Revision")).toBeLessThan(nonVascular);
    expect(text.indexOf("Tumor Ablation")).toBeGreaterThan(nonVascular);
    expect(clinic).toBeGreaterThan(text.indexOf("Tumor Ablation"));
  });
});

describe("progress report PDF text", () => {
  it("matches the golden file", async () => {
    const progress = buildProgress({
      track: "esir",
      encountersTowardTarget: 3,
      encountersAll: 3,
      irCounts: { venous_port: 1, primary_nephrostomy: 1, embolization: 1, new_outpatient_clinic: 1 },
      drCounts: { chest_xray: 1200, mri_brain: 40 },
    });
    const pdf = await progressReportPdf({
      programName: "Lakeside Diagnostic Radiology",
      programNumber: "4201299001",
      residentName: "Eli Esir",
      track: "esir",
      pgy: 5,
      progress,
      combined: null,
      entries: ENTRIES,
      generatedOn: "2026-06-30",
    });
    await expect(await pdfText(pdf)).toMatchFileSnapshot("../fixtures/golden/progress-report.txt");
  });
});

describe("log CSV", () => {
  it("matches the golden resident file", async () => {
    await expect(residentLogCsv(ENTRIES)).toMatchFileSnapshot("../fixtures/golden/resident-log.csv");
  });

  it("matches the golden program file", async () => {
    await expect(programLogCsv(ENTRIES)).toMatchFileSnapshot("../fixtures/golden/program-log.csv");
  });

  it("neutralizes a cell that starts a formula", () => {
    expect(residentLogCsv(ENTRIES)).toContain("'=difficult access, two passes");
  });
});
