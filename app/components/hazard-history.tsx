// Every version of the hazard, newest first: who, when (Europe/London), why, and what changed.
import { ChangeList } from "./change-list.tsx";
import type { ChangeText } from "./change-text.ts";

export type HistoryEntry = { version: number; at: string; user: string | null; reason: string | null; changes: ChangeText[] };

export function HazardHistory({ entries }: { entries: HistoryEntry[] }) {
  return (
    <section aria-labelledby="history-heading">
      <h2 className="nhsuk-heading-m" id="history-heading">History</h2>
      <ol className="nhsuk-list">
        {entries.map((e) => (
          <li key={e.version} className="app-history-entry">
            <h3 className="nhsuk-heading-xs nhsuk-u-margin-bottom-2">
              Version {e.version} · {e.at} · {e.user ?? "System"}
            </h3>
            {e.reason ? <p className="nhsuk-body-s"><strong>Reason:</strong> {e.reason}</p> : null}
            {e.version === 1 && e.changes.length === 0 ? <p className="nhsuk-body-s">Hazard recorded.</p> : <ChangeList changes={e.changes} />}
          </li>
        ))}
      </ol>
    </section>
  );
}
