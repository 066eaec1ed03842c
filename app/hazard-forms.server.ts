// Reading the hazard pages' form posts into the API's own shapes (HazardInput, HazardPatch), so a
// browser goes through exactly the same validation and rules as an API client. Messages come back
// keyed by form field, as sentences, with what the user typed.
import { data } from "@remix-run/node";
import type { z } from "zod";
import { fieldsFromValues, formErrors, type FormValues } from "./domain/hazard-form.ts";
import { HazardInput } from "./domain/hazard-fields.ts";
import { AppError, fieldErrors } from "./errors.server.ts";
import { nulFields } from "./domain/text-input.ts";
import { formValues } from "./forms.server.ts";
import { HazardPatch } from "./hazards.server.ts";

export type HazardFormFailure = { ok: false; formError?: string; errors: Record<string, string>; values: FormValues };
type Read<T> = { ok: true; data: T; values: FormValues; causeRows: number[] } | HazardFormFailure;

function validate<T extends z.ZodType>(schema: T, raw: unknown, values: FormValues, causeRows: number[]): Read<z.infer<T>> {
  const nul = nulFields(raw);
  if (Object.keys(nul).length) return { ok: false, errors: formErrors(nul, causeRows), values };
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data, values, causeRows };
  return { ok: false, errors: formErrors(fieldErrors(parsed.error.issues), causeRows), values };
}

const blank = (v: string | undefined) => !v || v.trim() === "";

/** The "Raise a hazard" form as the API's create body. */
export function readNewHazardForm(formData: FormData): Read<HazardInput> {
  const values = formValues(formData);
  const { fields, causeRows } = fieldsFromValues(values);
  return validate(HazardInput, fields, values, causeRows);
}

/** The edit form as a PATCH: the fields it showed, the version the user read and their reason. */
export function readHazardEditForm(formData: FormData): Read<HazardPatch> {
  const values = formValues(formData);
  const { fields, causeRows } = fieldsFromValues(values);
  const raw = { ...fields, version: blank(values.version) ? undefined : Number(values.version), reason: blank(values.reason) ? null : values.reason };
  return validate(HazardPatch, raw, values, causeRows);
}

export const STATUS_INTENTS = ["close", "transfer", "reopen", "deprecate"] as const;
export type StatusIntent = (typeof STATUS_INTENTS)[number];

export function isStatusIntent(intent: unknown): intent is StatusIntent {
  return STATUS_INTENTS.includes(intent as StatusIntent);
}

/** One of the hazard page's status buttons as a PATCH (the server decides whether a reason is needed). */
export function readStatusChange(formData: FormData, intent: StatusIntent): Read<HazardPatch> {
  const values = formValues(formData);
  const reason = blank(values.reason) ? null : values.reason;
  const version = blank(values.version) ? undefined : Number(values.version);
  const change = {
    close: { status: "closed" },
    transfer: { status: "transferred" },
    reopen: { reopen: true },
    deprecate: { deprecate: { reason: reason ?? "" } },
  }[intent];
  return validate(HazardPatch, { version, reason, ...change }, values, []);
}

/** A hazard form's 4xx answer: the error summary, messages by the fields, and what was typed. */
export function hazardFormFailure(failure: Omit<HazardFormFailure, "ok">, status = 400, extra: Record<string, unknown> = {}) {
  return data({ ok: false as const, ...failure, ...extra }, { status });
}

/** An expected refusal from the service (400, 403, 422) as a form answer; anything else re-thrown. */
export function appErrorToHazardForm(error: unknown, values: FormValues, causeRows: number[] = [], extra: Record<string, unknown> = {}) {
  if (!(error instanceof AppError)) throw error;
  const errors = formErrors(error.extra.fields ?? {}, causeRows);
  const formError = Object.keys(errors).length ? undefined : error.message;
  return hazardFormFailure({ formError, errors, values }, error.status, extra);
}

/** Loaders: a refusal becomes the error page with its status (404 exactly as if missing, 403). */
export function throwRouteError(error: unknown): never {
  if (error instanceof AppError) throw new Response(error.message, { status: error.status });
  throw error;
}
