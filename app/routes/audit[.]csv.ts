// The audit trail as CSV, same filter as /audit, every entry (streamed in batches), times in UTC.
// The export itself is recorded in the audit chain before the first byte goes out.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "#app/auth.server.ts";
import { recordExport, requireTrailRequest, trailBatches } from "#app/audit-trail.server.ts";
import { auditCsvHeader, auditCsvRows } from "#app/domain/audit-trail.ts";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { db, scope } = await requireTrailRequest(request, user);
  await recordExport(db, user, scope, (context as { requestId?: string } | undefined)?.requestId ?? null);
  const batches = trailBatches(db, scope);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(auditCsvHeader()));
    },
    async pull(controller) {
      const next = await batches.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(auditCsvRows(next.value)));
    },
  });
  const name = `audit-${scope.entityType}-${scope.entityId}-${new Date().toISOString().slice(0, 10)}.csv`;
  return new Response(body, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}"`, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" },
  });
}
