// Shown when an edit was refused because someone else saved first: who, when and what they
// changed, so the user can check their own input against it and save again.
import { ChangeList } from "./change-list.tsx";
import type { ChangeText } from "./change-text.ts";

export function StaleEditPanel({ by, at, changes }: { by: string; at: string; changes: ChangeText[] }) {
  return (
    <div className="nhsuk-warning-callout" role="region" aria-labelledby="stale-heading">
      <h2 className="nhsuk-warning-callout__label" id="stale-heading">
        <span role="text"><span className="nhsuk-u-visually-hidden">Important: </span>This hazard was changed by {by} at {at} since you opened it</span>
      </h2>
      <p>Nothing you entered has been saved or lost. Their changes:</p>
      <ChangeList changes={changes} />
      <p>Your entries are still in the form below. Check them against these changes, then save again.</p>
    </div>
  );
}
