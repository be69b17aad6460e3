// Every iCal feed of the built example site read by Mozilla's ical.js (the
// parser inside Thunderbird). With SHIPDATE_ICS_EXPECTED (written by
// tests/real_clients.rs from the `ical` crate's reading) the event counts,
// UIDs, DTSTART and DTEND must match exactly.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import ICAL from "ical.js";

import { files, siteDir } from "./support.mjs";

const dir = siteDir();
const feeds = files(dir, ".ics");

/** `path → [[uid, dtstart, dtend, status], …]` as ical.js sees it, in file order. */
function read(path) {
  const text = readFileSync(join(dir, path), "utf8");
  const calendar = new ICAL.Component(ICAL.parse(text));
  assert.equal(calendar.name, "vcalendar", path);
  assert.equal(calendar.getFirstPropertyValue("version"), "2.0", path);
  assert.match(calendar.getFirstPropertyValue("prodid"), /shipdate/, path);
  assert.ok(calendar.getFirstPropertyValue("x-wr-calname"), `${path}: X-WR-CALNAME`);
  assert.equal(calendar.getFirstProperty("refresh-interval")?.type, "duration", `${path}: REFRESH-INTERVAL`);
  assert.equal(calendar.getAllSubcomponents("vtimezone").length, 0, `${path}: no VTIMEZONE needed`);
  return calendar.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    const where = `${path}: ${event.uid}`;
    const [start, end] = [event.startDate, event.endDate];
    assert.ok(event.uid && event.summary, where);
    assert.equal(start.isDate, end.isDate, `${where}: DTSTART and DTEND of one kind`);
    // Timed events are written in UTC, all-day ones as floating dates; never a TZID.
    if (!start.isDate) assert.equal(start.zone.tzid, "UTC", where);
    assert.ok(end.compare(start) > 0, `${where}: ends after it starts`);
    assert.ok(vevent.getFirstPropertyValue("dtstamp"), `${where}: DTSTAMP`);
    assert.ok(Number.isInteger(vevent.getFirstPropertyValue("sequence")), `${where}: SEQUENCE`);
    const status = vevent.getFirstPropertyValue("status");
    assert.ok(["TENTATIVE", "CONFIRMED", "CANCELLED"].includes(status), `${where}: STATUS ${status}`);
    return [event.uid, start.toICALString(), end.toICALString(), status];
  });
}

test("ical.js parses every feed", () => {
  assert.ok(feeds.length >= 7, `feeds: ${feeds}`);
  for (const path of feeds) {
    const events = read(path);
    const uids = new Set(events.map(([uid]) => uid));
    assert.equal(uids.size, events.length, `${path}: UIDs are unique`);
  }
  assert.ok(read("internal/calendar.ics").length > 100, "the example has a busy calendar");
});

test("ical.js sees the same events, UIDs and times as the ical crate", (t) => {
  const expectedPath = process.env.SHIPDATE_ICS_EXPECTED;
  if (!expectedPath) {
    t.skip("SHIPDATE_ICS_EXPECTED not set (tests/real_clients.rs sets it)");
    return;
  }
  const expected = JSON.parse(readFileSync(expectedPath, "utf8"));
  assert.deepEqual(Object.keys(expected).sort(), feeds);
  for (const path of feeds) {
    const seen = read(path).map(([uid, start, end]) => [uid, start, end]);
    assert.deepEqual(seen, expected[path], path);
  }
});
