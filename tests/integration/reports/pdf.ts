// Reading generated PDFs back with poppler-utils (pdftotext, pdfinfo), and calling the report
// routes with bearer tokens. REPORTS_DUMP_DIR=<folder> keeps each PDF for looking at.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as boardRoute from "#app/routes/api.v1.platforms.$id.board-report[.]pdf.ts";
import * as logRoute from "#app/routes/api.v1.hazard-logs.$id.report[.]pdf.ts";
import * as caseRoute from "#app/routes/api.v1.safety-cases.$id.report[.]pdf.ts";

export function pdfText(pdf: Buffer): string {
  return execFileSync("pdftotext", ["-layout", "-", "-"], { input: pdf, maxBuffer: 256 * 1024 * 1024 }).toString("utf8");
}

/** pdftotext without layout: each text run on its own, handy for exact phrases. */
export function pdfRawText(pdf: Buffer): string {
  return execFileSync("pdftotext", ["-raw", "-", "-"], { input: pdf, maxBuffer: 256 * 1024 * 1024 }).toString("utf8");
}

export function pdfInfo(pdf: Buffer): Record<string, string> {
  const out = execFileSync("pdfinfo", ["-"], { input: pdf }).toString("utf8");
  return Object.fromEntries(out.split("\n").filter((l) => l.includes(":")).map((l) => [l.slice(0, l.indexOf(":")).trim(), l.slice(l.indexOf(":") + 1).trim()]));
}

export function pdfFonts(pdf: Buffer): string {
  return execFileSync("pdffonts", ["-"], { input: pdf }).toString("utf8");
}

export function dump(name: string, pdf: Buffer) {
  const dir = process.env.REPORTS_DUMP_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), pdf);
}

export type PdfAnswer = { status: number; type: string | null; disposition: string | null; bytes: Buffer };

async function answer(res: Response): Promise<PdfAnswer> {
  return { status: res.status, type: res.headers.get("Content-Type"), disposition: res.headers.get("Content-Disposition"), bytes: Buffer.from(await res.arrayBuffer()) };
}

const args = (url: string, token: string, id: string) =>
  ({ request: new Request(`http://localhost${url}`, { headers: { Authorization: `Bearer ${token}` } }), params: { id }, context: { requestId: "t", cspNonce: "n", clientIp: "127.0.0.1" } }) as never;

export async function getCaseReport(token: string, id: string) {
  return answer(await caseRoute.loader(args(`/api/v1/safety-cases/${id}/report.pdf`, token, id)));
}

export async function getLogReport(token: string, id: string, baseline?: string) {
  return answer(await logRoute.loader(args(`/api/v1/hazard-logs/${id}/report.pdf${baseline ? `?baseline=${encodeURIComponent(baseline)}` : ""}`, token, id)));
}

export async function getBoardReport(token: string, id: string) {
  return answer(await boardRoute.loader(args(`/api/v1/platforms/${id}/board-report.pdf`, token, id)));
}
