// The preview of an import: what will be created and updated, and every problem by row and column.
import { Form, Link, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Button } from "nhsuk-react-components";
import { ProgressBar } from "./import-upload.tsx";
import { FormProtection } from "./form-protection.tsx";

type Item = { row: number; action: "create" | "update" | "unchanged"; ref: string | null; title: string; changes: string[]; note: string | null };
export type PreviewData = {
  id: string; filename: string; rowCount: number; expired: boolean; appliedAt: string | null;
  summary: { creates: number; updates: number; unchanged: number; problems: number };
  items: Item[]; problems: { row: number; column: string; message: string }[];
};
const SHOWN = 500;
const ACTION = { create: "Create", update: "Update", unchanged: "No change" } as const;

export function ImportPreview({ logId, preview }: { logId: string; preview: PreviewData }) {
  const { summary, problems } = preview;
  const changing = preview.items.filter((i) => i.action !== "unchanged");
  if (preview.appliedAt)
    return (
      <div className="nhsuk-inset-text" data-testid="import-applied">
        <p>{preview.filename} was imported on {new Date(preview.appliedAt).toLocaleString("en-GB")}: {summary.creates} created, {summary.updates} updated.</p>
        <p><Link to={`/hazard-logs/${logId}`}>View the hazard log</Link></p>
      </div>
    );
  return (
    <>
      <h2>Check the import of {preview.filename}</h2>
      {problems.length ? (
        <p>{preview.rowCount} rows read. Correct the file and upload it again.</p>
      ) : (
        <p>{preview.rowCount} rows read: {summary.creates} to create, {summary.updates} to update, {summary.unchanged} unchanged.</p>
      )}
      {problems.length ? <ProblemTable problems={problems} /> : null}
      {preview.expired ? <p className="nhsuk-error-message">This preview has expired. Upload the file again.</p> : null}
      {/* Actions before the table: with hundreds of rows they would otherwise be far below. */}
      <ConfirmButtons logId={logId} preview={preview} canConfirm={!problems.length && !preview.expired} />
      {changing.length ? <ChangeTable items={changing} /> : null}
    </>
  );
}

function ProblemTable({ problems }: { problems: PreviewData["problems"] }) {
  return (
    <div className="nhsuk-error-summary" aria-labelledby="problems-title" role="alert" tabIndex={-1}>
      <h2 className="nhsuk-error-summary__title" id="problems-title">
        {problems.length} problem{problems.length === 1 ? "" : "s"} found: nothing will be imported until the file is corrected
      </h2>
      <table className="nhsuk-table app-table-compact">
        <caption className="nhsuk-u-visually-hidden">Problems by row and column</caption>
        <thead><tr><th scope="col">Row</th><th scope="col">Column</th><th scope="col">Problem</th></tr></thead>
        <tbody>
          {problems.slice(0, SHOWN).map((p, i) => (
            <tr key={i}><td>{p.row || "File"}</td><td>{p.column || "–"}</td><td>{p.message}</td></tr>
          ))}
        </tbody>
      </table>
      {problems.length > SHOWN ? <p>and {problems.length - SHOWN} more.</p> : null}
    </div>
  );
}

function ChangeTable({ items }: { items: Item[] }) {
  return (
    <>
      <table className="nhsuk-table app-table-compact">
        <caption className="nhsuk-table__caption">What the import will do</caption>
        <thead><tr><th scope="col">Row</th><th scope="col">Action</th><th scope="col">Ref</th><th scope="col">Title</th><th scope="col">Changes</th></tr></thead>
        <tbody>
          {items.slice(0, SHOWN).map((i) => (
            <tr key={i.row}>
              <td>{i.row}</td><td>{ACTION[i.action]}</td><td className="app-nowrap">{i.action === "create" ? "New" : i.ref}</td>
              <td>{i.title}</td><td>{i.action === "update" ? i.changes.join(", ") : (i.note ?? "")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length > SHOWN ? <p>and {items.length - SHOWN} more rows.</p> : null}
    </>
  );
}

/** Confirm (absent while there are problems) and Cancel; rows written so far while confirming. */
function ConfirmButtons({ logId, preview, canConfirm }: { logId: string; preview: PreviewData; canConfirm: boolean }) {
  const navigation = useNavigation();
  const confirming = navigation.state === "submitting" && navigation.formData?.get("intent") === "confirm";
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  useEffect(() => {
    if (!confirming) return setProgress(null);
    const timer = setInterval(async () => {
      const res = await fetch(`/hazard-logs/${logId}/import/progress?preview=${preview.id}`).catch(() => null);
      if (res?.ok) setProgress(await res.json());
    }, 400);
    return () => clearInterval(timer);
  }, [confirming, logId, preview.id]);
  const total = preview.summary.creates + preview.summary.updates;
  return (
    <>
      {confirming ? <ProgressBar id="confirm-progress" label={`Writing hazards: ${progress?.done ?? 0} of ${total}`} value={progress?.done ?? 0} max={total} /> : null}
      <div className="app-header-tools" style={{ justifyContent: "flex-start" }}>
        {canConfirm ? (
          <Form method="post">
            <FormProtection />
            <input type="hidden" name="intent" value="confirm" />
            <input type="hidden" name="previewId" value={preview.id} />
            <Button type="submit" disabled={confirming}>Confirm import</Button>
          </Form>
        ) : null}
        <Form method="post">
          <FormProtection />
          <input type="hidden" name="intent" value="cancel" />
          <input type="hidden" name="previewId" value={preview.id} />
          <Button type="submit" secondary disabled={confirming}>Cancel</Button>
        </Form>
      </div>
    </>
  );
}
