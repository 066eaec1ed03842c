import { sql } from "drizzle-orm";
import { getDb } from "#app/db.server.ts";

// 200 when the database answers; 503 otherwise. No authentication.
export async function loader() {
  try {
    await (await getDb()).execute(sql`select 1`);
    return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return Response.json({ status: "unavailable" }, { status: 503 });
  }
}
