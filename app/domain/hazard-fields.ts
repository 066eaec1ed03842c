// The hazard's fields as users and the API know them, with their limits (domain reference §3.7).
import { hasNoNul, NUL_MESSAGE } from "./text-input.ts";
import { z } from "zod";
import { CONTROL_KINDS, CONTROL_STATES, CONTROL_TYPES, HAZARD_STATUSES } from "#db/schema/hazard-logs";
import { LIKELIHOODS, SEVERITIES } from "./risk.ts";

export const LIMITS = { title: 200, text: 4000, cause: 1000, causes: 50, controls: 100, short: 200, reason: 2000 } as const;

/** §3.8 taxonomy (Digital Clinical Safety Platform list, the two misspellings corrected). */
export const HAZARD_TYPES = [
  "WrongPatient", "WrongDemographics",
  "WrongDrug", "WrongDrugDose", "DrugDelay", "NoTreatment", "WrongAdministrationRoute", "Allergy",
  "WrongSurgicalSite", "WrongSurgery",
  "WrongObservation", "WrongObservationResult", "WrongObservationInterpretation",
  "RequestNotReceivedActioned", "WrongInvestigation", "WrongInvestigationSite", "WrongDiagnosis",
  "ReferralNotReceivedActioned", "WrongReferralType",
  "NoClinicalInteraction", "NoDocumentationOfClinicalInteraction", "DelayedClinicalInteraction", "WrongClinicalInteraction",
  "CorruptedData", "NoAccessToData",
  "DataBreach",
  "SystemCrash", "CommunicationError",
  "AlarmFatigue",
  "Duplicate", "Incomplete", "GeneralHazard",
] as const;

/** §3.7 source of identification. */
export const SOURCES = ["design", "testing", "live testing", "incident/problem", "staff report", "workshop", "supplier hazard log"] as const;

// A NUL cannot be stored (PostgreSQL text): refused here too, for imports, which do not come through parseJsonBody or a form.
const text = (max: number) => z.string().trim().max(max, `must be ${max} characters or fewer`).refine(hasNoNul, NUL_MESSAGE);
const optionalText = (max: number) => text(max).nullable().optional();

export const AssessmentInput = z
  .object({
    severity: z.enum(SEVERITIES).nullable().optional(),
    likelihood: z.enum(LIKELIHOODS).nullable().optional(),
    justification: optionalText(LIMITS.text),
  })
  .strict();

export const ControlInput = z
  .object({
    id: z.string().uuid().optional(),
    kind: z.enum(CONTROL_KINDS),
    type: z.enum(CONTROL_TYPES),
    description: text(LIMITS.text).min(1, "is required"),
    ownerOrganisationId: z.string().uuid().optional(),
    state: z.enum(CONTROL_STATES).default("planned"),
    evidenceRefs: z.array(text(LIMITS.short)).max(20).default([]),
  })
  .strict();
export type ControlInput = z.infer<typeof ControlInput>;

/** Writable fields of a hazard. `risk` is deliberately absent: strict parsing refuses it. */
export const HazardInput = z
  .object({
    title: text(LIMITS.title).min(1, "is required"),
    description: text(LIMITS.text).default(""),
    causes: z.array(text(LIMITS.cause).min(1, "must not be empty")).max(LIMITS.causes).default([]),
    effect: text(LIMITS.text).default(""),
    hazard: text(LIMITS.text).default(""),
    harm: text(LIMITS.text).default(""),
    hazardType: z.enum(HAZARD_TYPES).nullable().optional(),
    source: z.enum(SOURCES).nullable().optional(),
    owner: optionalText(LIMITS.short),
    reviewDue: z.string().date("must be a date (YYYY-MM-DD)").nullable().optional(),
    controls: z.array(ControlInput).max(LIMITS.controls).default([]),
    initial: AssessmentInput.default({}),
    residual: AssessmentInput.default({}),
    riskBenefitJustification: optionalText(LIMITS.text),
    status: z.enum(HAZARD_STATUSES).default("open"),
  })
  .strict();
export type HazardInput = z.infer<typeof HazardInput>;
