import assert from "node:assert/strict";
import { Calendar, spanOf } from "../../../services/limits/calendar.ts";

Deno.test("spanOf() gives a day, a Monday-first week and a month in the time zone, across a DST change", () => {
  const at = Date.parse("2026-03-29T12:00:00Z"); // a Sunday; Paris moves to summer time at 01:00 UTC
  const day = spanOf("day", at, "Europe/Paris");
  assert.equal(day.startDay, "2026-03-29");
  assert.equal(new Date(day.start).toISOString(), "2026-03-28T23:00:00.000Z");
  assert.equal(new Date(day.end).toISOString(), "2026-03-29T22:00:00.000Z");
  assert.equal(day.end - day.start, 23 * 3_600_000);
  const week = spanOf("week", at, "Europe/Paris");
  assert.deepEqual([week.startDay, week.endDay], ["2026-03-23", "2026-03-30"]);
  const month = spanOf("month", at, "Europe/Paris");
  assert.deepEqual([month.startDay, month.endDay], ["2026-03-01", "2026-04-01"]);
  assert.equal(new Date(month.end).toISOString(), "2026-03-31T22:00:00.000Z");
});

Deno.test("Calendar.day() names the local day, and the period's start of a day", () => {
  const tokyo = new Calendar("Asia/Tokyo");
  assert.equal(tokyo.day(Date.parse("2026-12-31T15:30:00Z")), "2027-01-01");
  assert.equal(tokyo.day(Date.parse("2026-12-31T14:30:00Z")), "2026-12-31");
  assert.equal(tokyo.periodStart("week", "2027-01-01"), "2026-12-28");
  assert.equal(tokyo.periodStart("month", "2027-01-19"), "2027-01-01");
  assert.throws(() => new Calendar("Mars/Olympus"), RangeError);
});
