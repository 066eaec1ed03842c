// DCB0129 6.3.1: a hazard shows as transferred once the organisation's own controls are in place
// and what remains is transferred; never while one of its own is still planned, never when closed.
import fc from "fast-check";
import { expect, it } from "vitest";
import { showsAsTransferred } from "#app/domain/transfer.ts";

const control = fc.record({ state: fc.constantFrom("planned", "implemented", "verified"), transferred: fc.boolean() });

it("is true exactly when own controls are in place and a transferred one is still open", () => {
  expect(showsAsTransferred({ status: "open", controls: [{ state: "implemented", transferred: false }, { state: "planned", transferred: true }] })).toBe(true);
  expect(showsAsTransferred({ status: "open", controls: [{ state: "planned", transferred: false }, { state: "planned", transferred: true }] })).toBe(false);
  expect(showsAsTransferred({ status: "open", controls: [{ state: "verified", transferred: false }] })).toBe(false);
  expect(showsAsTransferred({ status: "closed", controls: [{ state: "planned", transferred: true }] })).toBe(false);
  fc.assert(
    fc.property(fc.constantFrom("open", "transferred", "closed"), fc.array(control, { maxLength: 8 }), (status, controls) => {
      const shows = showsAsTransferred({ status, controls });
      const ownDone = controls.filter((c) => !c.transferred).every((c) => c.state !== "planned");
      const transferredOpen = controls.some((c) => c.transferred && c.state !== "verified");
      expect(shows).toBe(status === "open" && ownDone && transferredOpen);
    }),
  );
});
