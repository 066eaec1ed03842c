// One version's changes: field, old value struck through, new value; lists as items added/removed.
import type { ChangeText } from "./change-text.ts";

function Value({ text }: { text: string | null }) {
  return text === null ? <span className="app-diff-empty">(blank)</span> : <>{text}</>;
}

export function ChangeList({ changes }: { changes: ChangeText[] }) {
  if (changes.length === 0) return <p className="nhsuk-body-s">No field changed.</p>;
  return (
    <dl className="app-changes">
      {changes.map((c) => (
        <div key={c.field} className="app-change">
          <dt>{c.label}</dt>
          <dd>
            {c.added || c.removed ? (
              <ul className="nhsuk-list">
                {c.removed?.map((x, i) => (
                  <li key={`r${i}`}><span className="nhsuk-u-visually-hidden">Removed: </span><del className="app-diff-from">{x}</del></li>
                ))}
                {c.added?.map((x, i) => (
                  <li key={`a${i}`}><span className="nhsuk-u-visually-hidden">Added: </span><ins className="app-diff-to">{x}</ins></li>
                ))}
              </ul>
            ) : (
              <>
                <span className="nhsuk-u-visually-hidden">Changed from </span>
                <del className="app-diff-from"><Value text={c.from} /></del>
                <span aria-hidden="true"> → </span>
                <span className="nhsuk-u-visually-hidden"> to </span>
                <ins className="app-diff-to"><Value text={c.to} /></ins>
              </>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
