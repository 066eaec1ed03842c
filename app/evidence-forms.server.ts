// The control page's three forms (request evidence, upload, review) told apart by their body: a
// multipart post is an upload (streamed, never read into memory by formData()), anything else
// carries an `intent`. Successes redirect (POST → redirect → GET); refusals come back to the form.
import { redirect } from "@remix-run/node";
import type { SessionUser } from "./auth.server.ts";
import { AppError } from "./errors.server.ts";
import { createEvidenceRequest, reviewEvidence, uploadEvidence } from "./evidence.server.ts";
import { formFailure, formValues, retryHeaders } from "./forms.server.ts";
import { MultipartGuard, once, readFormPost, Replayed } from "./form-post.server.ts";

function failure(error: unknown, intent: string, values: Record<string, string> = {}) {
  if (!(error instanceof AppError)) throw error;
  return formFailure({ formError: error.message, errors: error.extra.fields ?? {}, values: { ...values, intent } }, error.status, retryHeaders(error));
}

export async function controlPageAction(user: SessionUser, controlId: string, request: Request, requestId: string | null) {
  const back = (done: string) => redirect(`/controls/${controlId}?done=${done}`);
  if (/^multipart\/form-data/i.test(request.headers.get("Content-Type") ?? "")) {
    let guard: MultipartGuard | undefined;
    try {
      guard = new MultipartGuard(request, user); // the Origin now; the token as the file part starts
      await uploadEvidence(user, controlId, request, requestId, guard);
      const done = back("uploaded");
      await guard.settle(done);
      return done;
    } catch (error) {
      await guard?.release();
      if (error instanceof Replayed) return error.response;
      return failure(error, "upload");
    }
  }
  const post = await readFormPost(request, user);
  const { formData } = post;
  const intent = String(formData.get("intent") ?? "");
  const values = formValues(formData);
  return once(post, async () => {
    try {
      if (intent === "request") {
        await createEvidenceRequest(user, controlId, { fromOrganisationId: values.fromOrganisationId ?? "", description: values.description ?? "", dueDate: values.dueDate || undefined }, requestId);
        return back("requested");
      }
      if (intent === "review") {
        const decision = values.decision === "reject" ? "reject" : "accept";
        const review = decision === "reject" ? { decision, reason: values.reason ?? "" } : { decision, reason: values.reason || undefined };
        await reviewEvidence(user, values.evidenceId ?? "", review, requestId);
        return back(decision === "accept" ? "accepted" : "rejected");
      }
      throw new AppError("bad_request", "Choose what to do");
    } catch (error) {
      return failure(error, intent, values);
    }
  });
}
