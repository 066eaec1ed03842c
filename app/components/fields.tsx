// NHS form fields (label, hint, error message, input) named by the flat form names of
// app/domain/hazard-form.ts; ids come from fieldId() so the error summary links land on them.
import type { ReactNode } from "react";
import { fieldId } from "./forms.tsx";

type Common = { name: string; label: ReactNode; hint?: ReactNode; error?: string; labelClass?: string; /** when one name is on a page more than once */ id?: string };

function Group({ name, label, hint, error, labelClass, id: idOverride, children }: Common & { children: (describedBy: string | undefined) => ReactNode }) {
  const id = idOverride ?? fieldId(name);
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`nhsuk-form-group${error ? " nhsuk-form-group--error" : ""}`}>
      <label className={`nhsuk-label ${labelClass ?? ""}`} htmlFor={id}>{label}</label>
      {hint ? <div className="nhsuk-hint" id={`${id}-hint`}>{hint}</div> : null}
      {error ? (
        <span className="nhsuk-error-message" id={`${id}-error`}>
          <span className="nhsuk-u-visually-hidden">Error:</span> {error}
        </span>
      ) : null}
      {children(describedBy)}
    </div>
  );
}

export function TextField(props: Common & { defaultValue?: string; type?: "text" | "date"; width?: string; maxLength?: number }) {
  const { name, error, defaultValue, type = "text", width, maxLength, id } = props;
  return (
    <Group {...props}>
      {(describedBy) => (
        <input
          className={`nhsuk-input${width ? ` nhsuk-input--width-${width}` : ""}${error ? " nhsuk-input--error" : ""}`}
          id={id ?? fieldId(name)} name={name} type={type} defaultValue={defaultValue} aria-describedby={describedBy} maxLength={maxLength}
        />
      )}
    </Group>
  );
}

export function TextArea(props: Common & { defaultValue?: string; rows?: number; maxLength?: number }) {
  const { name, error, defaultValue, rows = 3, maxLength, id } = props;
  return (
    <Group {...props}>
      {(describedBy) => (
        <textarea className={`nhsuk-textarea${error ? " nhsuk-textarea--error" : ""}`} id={id ?? fieldId(name)} name={name} rows={rows} defaultValue={defaultValue} aria-describedby={describedBy} maxLength={maxLength} />
      )}
    </Group>
  );
}

export type Option = { value: string; label: string };

export function SelectField(props: Common & { options: Option[]; defaultValue?: string; onChange?: (value: string) => void }) {
  const { name, error, options, defaultValue, onChange, id } = props;
  return (
    <Group {...props}>
      {(describedBy) => (
        <select
          className={`nhsuk-select${error ? " nhsuk-select--error" : ""}`}
          id={id ?? fieldId(name)} name={name} defaultValue={defaultValue} aria-describedby={describedBy}
          onChange={onChange ? (e) => onChange(e.target.value) : undefined}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>{o.label}</option>
          ))}
        </select>
      )}
    </Group>
  );
}

/** Options from a code → name map, optionally led by a blank "not set" choice. */
export function optionsOf(names: Record<string, string>, blank?: string): Option[] {
  const list = Object.entries(names).map(([value, label]) => ({ value, label }));
  return blank === undefined ? list : [{ value: "", label: blank }, ...list];
}
