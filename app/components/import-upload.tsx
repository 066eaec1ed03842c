// The upload form. With JavaScript the file goes by XMLHttpRequest so the page can show real upload
// progress (bytes sent), then opens the preview; without it, the form posts to the page action.
import { Form, useNavigate } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import { Button } from "nhsuk-react-components";
import { FormProtection } from "./form-protection.tsx";

export function UploadForm({ logId, serverError }: { logId: string; serverError?: string }) {
  const navigate = useNavigate();
  const [percent, setPercent] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const message = error ?? serverError;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const file = data.get("file");
    if (!(file instanceof File) || file.size === 0) return setError("Select an xlsx or CSV file to import");
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/hazard-logs/${logId}/import/upload`);
    xhr.responseType = "json";
    // The token and key in headers too, so the server checks them before reading the file.
    for (const [field, header] of [["_csrf", "X-CSRF-Token"], ["_key", "X-Form-Key"]]) {
      const value = data.get(field);
      if (typeof value === "string") xhr.setRequestHeader(header, value);
    }
    xhr.upload.onprogress = (e) => e.lengthComputable && setPercent(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      setPercent(null);
      const body = xhr.response as { previewId?: string; error?: { message: string } } | null;
      if (xhr.status === 200 && body?.previewId) navigate(`/hazard-logs/${logId}/import?preview=${body.previewId}`);
      else setError(body?.error?.message ?? `The upload failed (${xhr.status}). Try again.`);
    };
    xhr.onerror = () => {
      setPercent(null);
      setError("The upload failed: check your connection and try again");
    };
    setError(null);
    setPercent(0);
    xhr.send(data);
  }

  return (
    <Form method="post" encType="multipart/form-data" onSubmit={onSubmit} noValidate>
      <FormProtection />
      <input type="hidden" name="intent" value="upload" />
      <div className={`nhsuk-form-group${message ? " nhsuk-form-group--error" : ""}`}>
        <label className="nhsuk-label nhsuk-label--s" htmlFor="import-file">Hazard log file</label>
        <div className="nhsuk-hint" id="import-file-hint">
          An xlsx workbook or CSV file in the NHS Hazard Log template v3.6 layout, such as an export from this page. Up to 50 MB and 10,000 hazards.
        </div>
        {message ? <span className="nhsuk-error-message" id="import-file-error"><span className="nhsuk-u-visually-hidden">Error:</span> {message}</span> : null}
        <input
          className="nhsuk-file-upload"
          id="import-file"
          name="file"
          type="file"
          accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
          aria-describedby={`import-file-hint${message ? " import-file-error" : ""}`}
        />
      </div>
      {percent !== null ? <ProgressBar id="upload-progress" label={`Uploading: ${percent}%`} value={percent} max={100} /> : null}
      <Button type="submit" disabled={percent !== null}>Upload and check</Button>
    </Form>
  );
}

export function ProgressBar({ id, label, value, max }: { id: string; label: string; value: number; max: number }) {
  return (
    <div className="nhsuk-form-group app-progress">
      <label className="nhsuk-label" htmlFor={id} aria-live="polite">{label}</label>
      <progress id={id} value={value} max={Math.max(1, max)}>{label}</progress>
    </div>
  );
}
