// NHS error summary pattern: a summary at the top linking to each field, messages by the fields.
import { ErrorSummary } from "nhsuk-react-components";

export type FormState = { formError?: string; errors?: Record<string, string>; values?: Record<string, string> } | undefined;

export function FormErrorSummary({ state, labels }: { state: FormState; labels?: Record<string, string> }) {
  const errors = state?.errors ?? {};
  const keys = Object.keys(errors);
  if (!state?.formError && keys.length === 0) return null;
  return (
    <ErrorSummary>
      <ErrorSummary.Title>There is a problem</ErrorSummary.Title>
      <ErrorSummary.List>
        {state?.formError ? <li>{state.formError}</li> : null}
        {keys.map((k) => (
          <ErrorSummary.ListItem key={k} href={`#${fieldId(k)}`}>
            {labels?.[k] ? `${labels[k]}: ` : ""}
            {errors[k]}
          </ErrorSummary.ListItem>
        ))}
      </ErrorSummary.List>
    </ErrorSummary>
  );
}

export const fieldId = (name: string) => `field-${name.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
