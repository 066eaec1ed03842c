// The manifestation of an electronic signature (in the manner of 21 CFR Part 11 §11.50): printed
// name, role, organisation, meaning, UTC time and the SHA-256 of the baseline signed. The page, the
// API and the PDF report show the same facts.
import { MEANING_NAMES, SIGNATORY_ROLE_NAMES } from "./labels.ts";

export type SignatureFacts = {
  user: { name: string };
  organisation: { name: string };
  role: string;
  meaning: string;
  signedAt: string;
  sha256: string;
  hazardLogVersion: number;
};

export function utc(iso: string) {
  return new Date(iso).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

export function SignatureBlock({ s }: { s: SignatureFacts }) {
  return (
    <div className="app-signature">
      <p className="nhsuk-u-margin-bottom-1"><strong>{s.user.name}</strong>, {SIGNATORY_ROLE_NAMES[s.role] ?? s.role}, {s.organisation.name}</p>
      <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">Meaning: {MEANING_NAMES[s.meaning] ?? s.meaning} · Signed {utc(s.signedAt)}</p>
      <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">Baseline version {s.hazardLogVersion}, SHA-256 <code className="app-hash">{s.sha256}</code></p>
    </div>
  );
}
