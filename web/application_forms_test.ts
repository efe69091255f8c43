import assert from "node:assert/strict";
import { changeFor, localInputToUtc } from "./application_forms.ts";
import type { Application } from "@/db/applications.ts";

const current = {
  interview_dates: [{ at: "2026-12-01T15:00:00Z", kind: "phone" }, { at: "2026-12-03T09:00:00Z" }],
} as Application;
const form = (fields: Record<string, string>) => new URLSearchParams(fields);

Deno.test("changeFor - a datetime-local interview is taken as UTC and appended", () => {
  assert.deepEqual(changeFor("add_interview", form({ at: "2026-12-05T10:30", kind: " onsite " }), current), {
    interview_dates: [...current.interview_dates, { at: "2026-12-05T10:30:00Z", kind: "onsite" }],
  });
});

Deno.test("changeFor - an interview is entered in the user's time zone", () => {
  assert.deepEqual(
    changeFor("add_interview", form({ at: "2026-12-05T10:30" }), current, "Europe/Berlin").interview_dates
      ?.at(-1),
    { at: "2026-12-05T09:30:00Z" },
  );
  assert.equal(localInputToUtc("2026-07-01T00:15", "America/New_York"), "2026-07-01T04:15:00Z");
  assert.equal(localInputToUtc("not a date", "UTC"), "not a date");
});

Deno.test("changeFor - removing an interview by index; an unknown index removes nothing", () => {
  assert.deepEqual(changeFor("remove_interview", form({ index: "0" }), current), {
    interview_dates: [current.interview_dates[1]],
  });
  assert.deepEqual(changeFor("remove_interview", form({ index: "x" }), current), {
    interview_dates: current.interview_dates,
  });
});

Deno.test("changeFor - offer fields: empty ones left out, numbers read, currency upper-cased", () => {
  assert.deepEqual(
    changeFor("offer", form({ salary: "150,000", bonus: "", currency: "eur", equity: " " }), current),
    {
      offer_details: { salary: 150000, currency: "EUR" },
    },
  );
});

Deno.test("changeFor - notes, moves, and an unknown action (nothing, which zod then refuses)", () => {
  assert.deepEqual(changeFor("notes", form({ notes: "" }), current), { notes: null });
  assert.deepEqual(changeFor("move", form({ status: "offer" }), current), { status: "offer" });
  assert.deepEqual(changeFor("dance", form({}), current), {});
});
