// Form posts parsed with zod: per-field messages for the NHS error summary, and the values the
// user typed so the form can show them again. Action responses use `formFailure`.
import { data } from "@remix-run/node";
import type { z } from "zod";
import { AppError, fieldErrors } from "./errors.server.ts";
import { nulFields } from "./domain/text-input.ts";

export type FormFailure = { ok: false; formError?: string; errors: Record<string, string>; values: Record<string, string> };

export function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData) if (typeof value === "string" && key !== "password") values[key] = value;
  return values;
}

export function parseForm<T extends z.ZodType>(formData: FormData, schema: T): { ok: true; data: z.infer<T> } | FormFailure {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of formData) {
    if (typeof value !== "string") continue;
    raw[key] = key in raw ? ([] as unknown[]).concat(raw[key], value) : value;
  }
  const nul = nulFields(raw);
  if (Object.keys(nul).length) return { ok: false, errors: nul, values: formValues(formData) };
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, errors: fieldErrors(parsed.error.issues), values: formValues(formData) };
}

/** A 4xx answer for a form: the page shows the error summary and keeps what was typed. */
export function formFailure(failure: Omit<FormFailure, "ok">, status = 400, headers?: HeadersInit) {
  return data({ ok: false as const, ...failure }, { status, headers });
}

/** Retry-After for a 429 (rate limits), as the API sends it. */
export const retryHeaders = (error: AppError): HeadersInit | undefined =>
  error.extra.retryAfterSeconds ? { "Retry-After": String(error.extra.retryAfterSeconds) } : undefined;

/** Turns an expected refusal into a form answer; anything else is re-thrown. */
export function appErrorToForm(error: unknown, formData: FormData) {
  if (!(error instanceof AppError)) throw error;
  return formFailure({ formError: error.message, errors: error.extra.fields ?? {}, values: formValues(formData) }, error.status, retryHeaders(error));
}
