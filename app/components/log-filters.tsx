// The log page's filter and sort form (GET, so every view is a shareable URL). Heatmap cells are
// kept as hidden fields: applying other filters leaves the selected cells in place.
import { Form, Link } from "@remix-run/react";
import { hazardTypeName, SORT_NAMES, STATUS_NAMES } from "./labels.ts";

type Query = {
  q: string; status: string[]; residualRisk: string[]; hazardType: string; owner: string; overdue: boolean;
  includeDeprecated: boolean; sort: string; initialCell: string | null; residualCell: string | null;
};
type Props = { query: Query; owners: string[]; hazardTypes: string[]; riskLabels: Record<string, string>; limit: string | null; clearHref: string };

function Checkbox({ name, value, label, checked }: { name: string; value: string; label: string; checked: boolean }) {
  const id = `${name}-${value}`;
  return (
    <div className="nhsuk-checkboxes__item">
      <input className="nhsuk-checkboxes__input" id={id} name={name} type="checkbox" value={value} defaultChecked={checked} />
      <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={id}>{label}</label>
    </div>
  );
}

function CheckboxGroup({ legend, children }: { legend: string; children: React.ReactNode }) {
  return (
    <div className="nhsuk-form-group">
      <fieldset className="nhsuk-fieldset">
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{legend}</legend>
        <div className="nhsuk-checkboxes nhsuk-checkboxes--small">{children}</div>
      </fieldset>
    </div>
  );
}

export function LogFilters({ query, owners, hazardTypes, riskLabels, limit, clearHref }: Props) {
  return (
    <Form method="get" className="app-filters" aria-labelledby="filters-heading" preventScrollReset>
      <h2 className="nhsuk-heading-s" id="filters-heading">Filter and sort</h2>
      <div className="nhsuk-form-group">
        <label className="nhsuk-label" htmlFor="q">Search titles, descriptions and causes</label>
        <input className="nhsuk-input" id="q" name="q" type="search" defaultValue={query.q} />
      </div>
      <div className="nhsuk-form-group">
        <label className="nhsuk-label" htmlFor="sort">Sort by</label>
        <select className="nhsuk-select" id="sort" name="sort" defaultValue={query.sort}>
          {Object.entries(SORT_NAMES).map(([value, label]) => (
            <option key={value} value={value}>{label}</option>
          ))}
        </select>
      </div>
      <CheckboxGroup legend="Status">
        {["open", "transferred", "closed"].map((s) => (
          <Checkbox key={s} name="status" value={s} label={STATUS_NAMES[s]} checked={query.status.includes(s)} />
        ))}
      </CheckboxGroup>
      <CheckboxGroup legend="Residual risk">
        {["5", "4", "3", "2", "1"].map((r) => (
          <Checkbox key={r} name="residualRisk" value={r} label={`${r} ${riskLabels[r] ?? ""}`} checked={query.residualRisk.includes(r)} />
        ))}
        <Checkbox name="residualRisk" value="unassessed" label="Not assessed" checked={query.residualRisk.includes("unassessed")} />
      </CheckboxGroup>
      <div className="nhsuk-form-group">
        <label className="nhsuk-label" htmlFor="hazardType">Hazard type</label>
        <select className="nhsuk-select" id="hazardType" name="hazardType" defaultValue={query.hazardType}>
          <option value="">Any type</option>
          {hazardTypes.map((t) => (
            <option key={t} value={t}>{hazardTypeName(t)}</option>
          ))}
        </select>
      </div>
      <div className="nhsuk-form-group">
        <label className="nhsuk-label" htmlFor="owner">Owner</label>
        <select className="nhsuk-select" id="owner" name="owner" defaultValue={query.owner}>
          <option value="">Any owner</option>
          {owners.map((o) => (
            <option key={o} value={o}>{o}</option>
          ))}
        </select>
      </div>
      <CheckboxGroup legend="Reviews and deprecated hazards">
        <Checkbox name="overdue" value="true" label="Only overdue reviews" checked={query.overdue} />
        <Checkbox name="includeDeprecated" value="true" label="Include deprecated hazards" checked={query.includeDeprecated} />
      </CheckboxGroup>
      {query.initialCell ? <input type="hidden" name="initialCell" value={query.initialCell} /> : null}
      {query.residualCell ? <input type="hidden" name="residualCell" value={query.residualCell} /> : null}
      {limit ? <input type="hidden" name="limit" value={limit} /> : null}
      <button type="submit" className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-2">Apply filters</button>
      <p className="nhsuk-body-s nhsuk-u-margin-bottom-0"><Link to={clearHref}>Clear all filters</Link></p>
    </Form>
  );
}
