import { describe, expect, it } from "vitest";
import { DEFAULT_REMINDER_RULES, type ReminderRule } from "#db/schema/reminder-rules";
import {
  dueAt,
  dueForStartsBefore,
  normaliseRules,
  reminderVerdict,
  ruleKey,
  ruleLabel,
  startsWithDueOnDay,
} from "./rules";

const jst = (s: string) => new Date(`${s}+09:00`);
const dayBefore: ReminderRule = { kind: "days-before", days: 1, at: "10:00" };
const twoHours: ReminderRule = { kind: "hours-before", hours: 2 };

describe("dueAt", () => {
  it("day before at 10:00 is the previous calendar day in Japan, whatever the session's hour", () => {
    expect(dueAt(dayBefore, jst("2026-12-02T09:30:00"))).toEqual(jst("2026-12-01T10:00:00"));
    // 08:30 JST is still the previous day in UTC: the day must be Japan's, not the server's.
    expect(dueAt(dayBefore, jst("2026-12-02T08:30:00"))).toEqual(jst("2026-12-01T10:00:00"));
    expect(dueAt(dayBefore, jst("2026-12-02T23:59:00"))).toEqual(jst("2026-12-01T10:00:00"));
    expect(dueAt(dayBefore, jst("2026-12-02T00:00:00"))).toEqual(jst("2026-12-01T10:00:00"));
    // Across a month and a year end.
    expect(dueAt({ kind: "days-before", days: 3, at: "09:05" }, jst("2027-01-01T13:30:00"))).toEqual(
      jst("2026-12-29T09:05:00"),
    );
  });

  it("hours before is plain arithmetic", () => {
    expect(dueAt(twoHours, jst("2026-12-02T09:30:00"))).toEqual(jst("2026-12-02T07:30:00"));
    expect(dueAt({ kind: "hours-before", hours: 10 }, jst("2026-12-02T09:30:00"))).toEqual(jst("2026-12-01T23:30:00"));
  });
});

describe("dueForStartsBefore agrees with dueAt (the sweep's range is exact)", () => {
  const rules: ReminderRule[] = [
    dayBefore,
    twoHours,
    { kind: "days-before", days: 2, at: "18:30" },
    { kind: "days-before", days: 1, at: "00:00" },
    { kind: "hours-before", hours: 30 },
  ];
  const nows = [
    "2026-12-01T09:59:59",
    "2026-12-01T10:00:00",
    "2026-12-01T10:00:01",
    "2026-12-01T23:59:59",
    "2026-12-02T00:00:00",
    "2026-12-01T18:30:00",
    "2026-12-01T07:29:59",
  ].map(jst);
  it("for every start in a 4-day window, start < bound ⇔ dueAt(start) <= now", () => {
    for (const rule of rules) {
      for (const now of nows) {
        const bound = dueForStartsBefore(rule, now).getTime();
        for (let t = jst("2026-11-30T00:00:00").getTime(); t < jst("2026-12-05T00:00:00").getTime(); t += 15 * 60_000) {
          for (const start of [t, t - 1, t + 1]) {
            const due = dueAt(rule, new Date(start)).getTime() <= now.getTime();
            expect({ rule: ruleKey(rule), now: now.toISOString(), start: new Date(start).toISOString(), due }).toEqual({
              rule: ruleKey(rule),
              now: now.toISOString(),
              start: new Date(start).toISOString(),
              due: start < bound,
            });
          }
        }
      }
    }
  });
});

describe("startsWithDueOnDay", () => {
  it("gives the sessions whose reminder falls on that Japanese day", () => {
    const day = jst("2026-12-01T00:00:00");
    const { from, to } = startsWithDueOnDay(dayBefore, day);
    expect([from, to]).toEqual([jst("2026-12-02T00:00:00"), jst("2026-12-03T00:00:00")]);
    const h = startsWithDueOnDay(twoHours, day);
    expect([h.from, h.to]).toEqual([jst("2026-12-01T02:00:00"), jst("2026-12-02T02:00:00")]);
    for (const rule of [dayBefore, twoHours, { kind: "days-before", days: 2, at: "23:00" } as ReminderRule]) {
      const r = startsWithDueOnDay(rule, day);
      const inside = dueAt(rule, r.from).getTime();
      const last = dueAt(rule, new Date(r.to.getTime() - 1)).getTime();
      expect(inside).toBeGreaterThanOrEqual(day.getTime());
      expect(last).toBeLessThan(day.getTime() + 24 * 3600_000);
      expect(dueAt(rule, new Date(r.from.getTime() - 1)).getTime()).toBeLessThan(day.getTime());
      expect(dueAt(rule, r.to).getTime()).toBeGreaterThanOrEqual(day.getTime() + 24 * 3600_000);
    }
  });
});

describe("reminderVerdict", () => {
  const rules = DEFAULT_REMINDER_RULES;
  const slotStart = jst("2026-12-02T09:30:00");
  const bookedLastWeek = jst("2026-11-25T12:00:00");
  const verdict = (rule: ReminderRule, now: string, onSlotSince = bookedLastWeek) =>
    reminderVerdict(rules, rule, { slotStart, onSlotSince, now: jst(now) });

  it("not yet → due → (session started)", () => {
    expect(verdict(dayBefore, "2026-12-01T09:59:59")).toBe("not-yet");
    expect(verdict(dayBefore, "2026-12-01T10:00:00")).toBe("due");
    expect(verdict(dayBefore, "2026-12-02T07:29:59")).toBe("due");
    expect(verdict(twoHours, "2026-12-02T07:29:59")).toBe("not-yet");
    expect(verdict(twoHours, "2026-12-02T07:30:00")).toBe("due");
    expect(verdict(twoHours, "2026-12-02T09:30:00")).toBe("started");
  });

  it("once the later reminder is due, the earlier unsent one is superseded (no two at once after an outage)", () => {
    expect(verdict(dayBefore, "2026-12-02T07:30:00")).toBe("superseded");
    expect(verdict(twoHours, "2026-12-02T07:30:00")).toBe("due");
  });

  it("a booking made after (or within 30 minutes before) the due time gets no such reminder", () => {
    // Booked 1 hour before the start: neither reminder (the day-before one was due yesterday).
    expect(verdict(dayBefore, "2026-12-02T08:45:00", jst("2026-12-02T08:30:00"))).toBe("booked-late");
    expect(verdict(twoHours, "2026-12-02T08:45:00", jst("2026-12-02T08:30:00"))).toBe("booked-late");
    // Booked at 09:45 the day before: the 10:00 reminder would follow the confirmation at once.
    expect(verdict(dayBefore, "2026-12-01T10:00:00", jst("2026-12-01T09:45:00"))).toBe("booked-late");
    // Booked at 09:00 the day before: one hour between confirmation and reminder is fine.
    expect(verdict(dayBefore, "2026-12-01T10:00:00", jst("2026-12-01T09:00:00"))).toBe("due");
    // Booked 3 hours before the start: the 2-hours reminder comes an hour later.
    expect(verdict(twoHours, "2026-12-02T07:30:00", jst("2026-12-02T06:30:00"))).toBe("due");
  });
});

describe("keys, labels, order", () => {
  it("keys are stable and free of ':' (BullMQ refuses ids with colons)", () => {
    expect(ruleKey(dayBefore)).toBe("d1-1000");
    expect(ruleKey(twoHours)).toBe("h2");
    expect(ruleKey({ kind: "days-before", days: 3, at: "09:05" })).toBe("d3-0905");
  });
  it("labels read as staff say them", () => {
    expect(ruleLabel(dayBefore)).toBe("前日 10:00");
    expect(ruleLabel({ kind: "days-before", days: 3, at: "09:05" })).toBe("3日前 9:05");
    expect(ruleLabel(twoHours)).toBe("2時間前");
  });
  it("normalises to days-before first (earliest first), then hours-before, without duplicates", () => {
    expect(
      normaliseRules([
        twoHours,
        dayBefore,
        { kind: "hours-before", hours: 24 },
        { kind: "days-before", days: 3, at: "09:00" },
        twoHours,
      ]).map(ruleKey),
    ).toEqual(["d3-0900", "d1-1000", "h24", "h2"]);
  });
});
