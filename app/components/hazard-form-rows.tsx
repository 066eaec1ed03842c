// The hazard form's repeating rows: causes and controls. With JavaScript the add/remove buttons
// change the rows in place; without it they post an intent (`add-cause`, `remove-control-1`) and
// the server answers the same form with the row added or removed, nothing saved.
import { useState, type MouseEvent } from "react";
import { LIST_MARKERS, rowsOf, type FormValues } from "#app/domain/hazard-form.ts";
import { SelectField, TextArea, optionsOf } from "./fields.tsx";
import { CONTROL_KIND_NAMES, CONTROL_STATE_NAMES, CONTROL_TYPE_NAMES } from "./labels.ts";

type RowProps = { values: FormValues; errors: Record<string, string> };

/** Row keys stay stable while positions (and so field names) follow the order on screen. */
function useRows(initial: number[]) {
  const [rows, setRows] = useState(initial);
  const nextKey = () => (rows.length ? Math.max(...rows) + 1 : 0) + 1000;
  const click = (change: () => void) => (e: MouseEvent) => {
    e.preventDefault();
    change();
  };
  return {
    rows,
    add: click(() => setRows((r) => [...r, nextKey()])),
    remove: (key: number) => click(() => setRows((r) => r.filter((k) => k !== key))),
  };
}

function RowButton({ value, children, onClick }: { value: string; children: React.ReactNode; onClick: (e: MouseEvent) => void }) {
  return (
    <button type="submit" name="intent" value={value} formNoValidate className="nhsuk-button nhsuk-button--secondary nhsuk-button--small" onClick={onClick}>
      {children}
    </button>
  );
}

export function CauseRows({ values, errors }: RowProps) {
  const { rows, add, remove } = useRows(rowsOf(values, "causes"));
  return (
    <fieldset className="nhsuk-fieldset">
      <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Causes</legend>
      <div className="nhsuk-hint">The system or human failures that could change the intended care. Add one row per cause.</div>
      <input type="hidden" name={LIST_MARKERS.causes} value="1" />
      {rows.map((key, position) => (
        <div key={key} className="app-row-inline">
          <TextArea name={`causes.${position}`} label={`Cause ${position + 1}`} rows={2} defaultValue={values[`causes.${key}`]} error={errors[`causes.${position}`]} />
          <RowButton value={`remove-cause-${position}`} onClick={remove(key)}>
            Remove<span className="nhsuk-u-visually-hidden"> cause {position + 1}</span>
          </RowButton>
        </div>
      ))}
      <RowButton value="add-cause" onClick={add}>Add another cause</RowButton>
    </fieldset>
  );
}

export function ControlRows({ values, errors, organisations, defaultOwner }: RowProps & { organisations: { id: string; name: string }[]; defaultOwner: string }) {
  const { rows, add, remove } = useRows(rowsOf(values, "controls"));
  const owners = Object.fromEntries(organisations.map((o) => [o.id, o.name]));
  return (
    <fieldset className="nhsuk-fieldset">
      <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Controls</legend>
      <div className="nhsuk-hint">Existing controls count in the initial assessment; additional controls in the residual one.</div>
      <input type="hidden" name={LIST_MARKERS.controls} value="1" />
      {rows.map((key, i) => {
        const name = (attr: string) => `controls.${i}.${attr}`;
        const value = (attr: string) => values[`controls.${key}.${attr}`];
        return (
          <fieldset key={key} className="nhsuk-fieldset app-row">
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Control {i + 1}</legend>
            {value("id") ? <input type="hidden" name={name("id")} value={value("id")} /> : null}
            <div className="app-grid-2">
              <SelectField name={name("kind")} label="Existing or additional" options={optionsOf(CONTROL_KIND_NAMES)} defaultValue={value("kind")} error={errors[name("kind")]} />
              <SelectField name={name("type")} label="Type" options={optionsOf(CONTROL_TYPE_NAMES)} defaultValue={value("type")} error={errors[name("type")]} />
            </div>
            <TextArea name={name("description")} label="Description" rows={2} defaultValue={value("description")} error={errors[name("description")]} />
            <div className="app-grid-2">
              <SelectField name={name("ownerOrganisationId")} label="Owning organisation" options={optionsOf(owners)} defaultValue={value("ownerOrganisationId") ?? defaultOwner} error={errors[name("ownerOrganisationId")]} />
              <SelectField name={name("state")} label="State" options={optionsOf(CONTROL_STATE_NAMES)} defaultValue={value("state")} error={errors[name("state")]} />
            </div>
            <TextArea name={name("evidenceRefs")} label="Evidence references" hint="One per line, for example a test report or training record reference." rows={2} defaultValue={value("evidenceRefs")} error={errors[name("evidenceRefs")]} />
            <RowButton value={`remove-control-${i}`} onClick={remove(key)}>
              Remove control {i + 1}
            </RowButton>
          </fieldset>
        );
      })}
      <RowButton value="add-control" onClick={add}>Add a control</RowButton>
    </fieldset>
  );
}
