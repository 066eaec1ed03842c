import { expect, test } from "vitest";
import { isReviewOverdue } from "#app/domain/hazard-view.ts";

test("a review is overdue only when its date has passed and the hazard is not closed", () => {
  expect(isReviewOverdue({ reviewDue: "2026-01-31", status: "open" }, "2026-02-01")).toBe(true);
  expect(isReviewOverdue({ reviewDue: "2026-01-31", status: "transferred" }, "2026-02-01")).toBe(true);
  expect(isReviewOverdue({ reviewDue: "2026-01-31", status: "closed" }, "2026-02-01")).toBe(false);
  expect(isReviewOverdue({ reviewDue: "2026-02-01", status: "open" }, "2026-02-01")).toBe(false);
  expect(isReviewOverdue({ reviewDue: null, status: "open" }, "2026-02-01")).toBe(false);
});
