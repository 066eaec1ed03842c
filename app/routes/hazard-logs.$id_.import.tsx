// Import and export of a hazard log: export links for any reader; for the CSO, upload → preview
// (what will be created and updated, every problem by row and column) → confirm or cancel.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { createHash } from "node:crypto";
import { z } from "zod";
import { requireUser } from "#app/auth.server.ts";
import { Breadcrumbs } from "#app/components/breadcrumbs.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { FormErrorSummary } from "#app/components/forms.tsx";
import { ImportPreview } from "#app/components/import-preview.tsx";
import { UploadForm } from "#app/components/import-upload.tsx";
import { MAX_BYTES } from "#app/domain/spreadsheet.ts";
import { AppError } from "#app/errors.server.ts";
import { MultipartGuard, once, readFormPost, Replayed } from "#app/form-post.server.ts";
import { appErrorToForm, formFailure, parseForm } from "#app/forms.server.ts";
import { cancelPreview, confirmImport, importPage, previewImport } from "#app/hazard-import.server.ts";
import { readSpreadsheetUpload } from "#app/upload.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Import and export – ${data?.log.title ?? "Hazard log"} – Clinical safety workflow` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  try {
    return await importPage(user, params.id ?? "", new URL(request.url).searchParams.get("preview"));
  } catch (error) {
    if (error instanceof AppError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

const Intent = z.object({ intent: z.enum(["confirm", "cancel"]), previewId: z.string().uuid() });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const logId = params.id ?? "";
  const page = `/hazard-logs/${logId}/import`;
  // Without JavaScript the upload comes here as multipart; with it, to ./import/upload.
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    let guard: MultipartGuard | undefined;
    try {
      guard = new MultipartGuard(request, user);
      const g = guard;
      const preview = await previewImport(user, logId, async () => {
        const upload = await readSpreadsheetUpload(request, MAX_BYTES);
        const fields = upload.fields ?? {};
        g.checkFields(fields);
        await g.claim(fields, { sha256: createHash("sha256").update(upload.bytes).digest("hex") }); // before the preview is stored
        return upload;
      });
      const done = redirect(`${page}?preview=${preview.id}`);
      await guard.settle(done);
      return done;
    } catch (error) {
      await guard?.release();
      if (error instanceof Replayed) return error.response;
      return appErrorToForm(error, new FormData());
    }
  }
  const post = await readFormPost(request, user);
  const { formData } = post;
  const parsed = parseForm(formData, Intent);
  if (!parsed.ok) return formFailure(parsed);
  const { intent, previewId } = parsed.data;
  return once(post, async () => {
    try {
      if (intent === "cancel") {
        await cancelPreview(user, previewId);
        return redirect(page);
      }
      const requestId = (context as { requestId?: string } | undefined)?.requestId ?? null;
      await confirmImport(user, previewId, { requestId, progressOwner: user.sessionIdHash });
      return redirect(`${page}?preview=${previewId}`);
    } catch (error) {
      return appErrorToForm(error, formData);
    }
  });
}

export default function ImportPage() {
  const { log, canImport, preview } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const exportUrl = (format: string) => `/api/v1/hazard-logs/${log.id}/export?format=${format}`;
  return (
    <>
      <Breadcrumbs items={[{ label: log.title, to: `/hazard-logs/${log.id}` }, { label: "Import and export", to: `/hazard-logs/${log.id}/import` }]} />
      {preview ? <FormErrorSummary state={failure ?? undefined} /> : null}
      <h1>Import and export</h1>
      <p className="nhsuk-lede-text">{log.title}</p>
      {preview ? (
        <ImportPreview logId={log.id} preview={preview} />
      ) : (
        <>
          <h2>Export</h2>
          <p>Download the log in the NHS Hazard Log template v3.6 layout, with a Risk Matrix sheet in the workbook.</p>
          <ul className="nhsuk-list">
            <li><a href={exportUrl("xlsx")} download>Download as Excel workbook (xlsx)</a></li>
            <li><a href={exportUrl("csv")} download>Download as CSV</a></li>
          </ul>
          <h2>Import</h2>
          {canImport ? (
            <>
              <p>Rows whose Ref is a hazard of this log update it; other rows add new hazards. You will see every change and problem before anything is written.</p>
              <UploadForm logId={log.id} serverError={failure?.formError} />
            </>
          ) : (
            <p>Only the clinical safety officer of the organisation that owns this log can import into it.</p>
          )}
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
