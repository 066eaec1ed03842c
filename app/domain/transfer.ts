// DCB0129 6.3.1: when an organisation has done its own part for a hazard (every control of its own
// in place) and what remains are controls transferred to the deploying organisations, the hazard
// shows as transferred. Its stored status stays the CSO's decision; this is what the page shows.
type Hazard = { status: string; controls: { state: string; transferred: boolean }[] };

export function showsAsTransferred(h: Hazard): boolean {
  if (h.status !== "open") return false;
  const transferred = h.controls.filter((c) => c.transferred);
  const own = h.controls.filter((c) => !c.transferred);
  return transferred.some((c) => c.state !== "verified") && own.every((c) => c.state === "implemented" || c.state === "verified");
}
