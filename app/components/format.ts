// Dates and times as UK users read them. Times are the server's, shown in Europe/London whatever
// the machine's zone; formatted on the server so the browser re-renders the same text.
const DATE_TIME = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", hour12: false });
const DATE = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" });

/** "2025-06-01T13:05:00Z" → "1 June 2025 at 14:05" (BST). */
export function formatDateTime(iso: string): string {
  const parts = Object.fromEntries(DATE_TIME.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.day} ${parts.month} ${parts.year} at ${parts.hour}:${parts.minute}`;
}

/** "2025-06-01" (a calendar date, no zone) → "1 June 2025". */
export function formatDate(day: string | null | undefined): string {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return day ?? "";
  return DATE.format(new Date(`${day}T00:00:00Z`));
}

/** Today's calendar date in London, for the review-overdue rule. */
export function londonToday(now = new Date()): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(now).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
