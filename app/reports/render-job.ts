// One report to render, as plain data (structured-cloneable), so the same job renders in this thread
// or in the report worker (server/report-worker.js) with byte-identical output.
import { renderBoardReport, type BoardReportData } from "./board-report.ts";
import { renderHazardLogReport, type HazardLogReportData } from "./hazard-log-report.ts";
import { toBuffer, type Doc } from "./layout.ts";
import { renderSafetyCaseReport, type SafetyCaseReportData } from "./safety-case-report.ts";

export type ReportJob =
  | { kind: "safety-case"; data: SafetyCaseReportData }
  | { kind: "hazard-log"; data: HazardLogReportData }
  | { kind: "board"; data: BoardReportData };

export function renderJob(job: ReportJob, now: Date): Doc {
  switch (job.kind) {
    case "safety-case":
      return renderSafetyCaseReport(job.data, { now });
    case "hazard-log":
      return renderHazardLogReport(job.data, { now });
    case "board":
      return renderBoardReport(job.data, { now });
  }
}

/** How many hazards the report draws: what decides whether it is worth a worker thread. */
export function hazardCount(job: ReportJob): number {
  if (job.kind === "board") return job.data.logs.reduce((n, l) => n + l.content.hazards.length, 0);
  return job.data.content.hazards.length;
}

/** For the worker: the whole PDF as bytes. */
export async function renderJobBytes(job: ReportJob, nowIso: string): Promise<Uint8Array> {
  return toBuffer(renderJob(job, new Date(nowIso)));
}
