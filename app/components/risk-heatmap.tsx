// A 5×5 risk heatmap: likelihood rows (most likely on top) × severity columns, each cell in its
// risk colour with the count AND the rating and label as text (colour is never the only signal).
// Each cell links to the log filtered to that cell; the selected cell says so in words too.
import { Link } from "@remix-run/react";
import { ClientLinks } from "./client-links.tsx";
import type { RiskGrid } from "#app/domain/risk-grid.ts";
import { withParams } from "#app/domain/list-url.ts";

type Props = {
  /** "Initial risk" or "Residual risk". */
  title: string;
  grid: RiskGrid;
  /** The query parameter this heatmap sets: initialCell or residualCell. */
  param: "initialCell" | "residualCell";
  active: string | null;
  unassessed: number;
  /** The page's path and current query string, kept in every link. */
  path: string;
  search: string;
};

export function RiskHeatmap({ title, grid, param, active, unassessed, path, search }: Props) {
  const lower = title.toLowerCase();
  return (
    // The cells' links navigate in the app and keep the scroll position (ClientLinks).
    <ClientLinks className="app-heatmap-wrapper" preventScrollReset>
      <table className="nhsuk-table app-heatmap" data-heatmap={param}>
        <caption className="nhsuk-table__caption nhsuk-table__caption--m">{title}</caption>
        <thead className="nhsuk-table__head">
          <tr>
            <th scope="col" className="app-heatmap__corner">Likelihood <span aria-hidden="true">↓</span> / severity <span aria-hidden="true">→</span></th>
            {grid.severities.map((s) => (
              <th key={s.code} scope="col">{s.label}</th>
            ))}
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {grid.rows.map((row) => (
            <tr key={row.likelihood.code}>
              <th scope="row">{row.likelihood.label}</th>
              {row.cells.map((c) => {
                const isActive = c.key === active;
                // Each text is one string: fewer nodes for React to render, 50 cells per heatmap.
                const body = (
                  <>
                    <span className="app-heatmap__count">{c.count}</span>
                    <span className="nhsuk-u-visually-hidden">{` ${c.count === 1 ? "hazard" : "hazards"} with ${lower} likelihood ${row.likelihood.label} and severity ${c.severity.label}:`}</span>
                    <span className="app-heatmap__label">{`${c.rating} ${c.label}`}</span>
                    {isActive ? <span className="app-heatmap__selected">Selected</span> : null}
                  </>
                );
                return (
                  <td key={c.key} style={{ backgroundColor: c.colour }} className={isActive ? "app-heatmap__cell app-heatmap__cell--active" : "app-heatmap__cell"}>
                    {c.count > 0 || isActive ? (
                      // A second click on the selected cell removes that filter.
                      <a href={withParams(path, search, { [param]: isActive ? null : c.key })} aria-current={isActive ? "true" : undefined}>
                        {body}
                      </a>
                    ) : (
                      <span className="app-heatmap__empty">{body}</span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="nhsuk-body-s">
        {unassessed} {unassessed === 1 ? "hazard has" : "hazards have"} no {lower} rating yet.
        {active ? (
          <>
            {" "}
            <Link to={withParams(path, search, { [param]: null })} preventScrollReset>Clear the {lower} cell filter</Link>
          </>
        ) : null}
      </p>
    </ClientLinks>
  );
}
