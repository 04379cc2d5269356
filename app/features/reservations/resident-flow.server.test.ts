import { describe, expect, it } from "vitest";
import {
  FLOW_TTL_SECONDS,
  clearFlowCookie,
  flowCookie,
  groupByDay,
  mineCookie,
  readFlow,
  readMine,
} from "./resident-flow.server";

const city = { id: "6f9619ff-8b86-4011-b42d-00c04fc964ff", slug: "test-city" };
const other = { id: "7c9e6679-7425-40de-944b-e07fc1f90ae7", slug: "other-city" };
const state = {
  channel: "line" as const,
  serviceId: "s1",
  ticketHolderId: "holder-3f2a9c",
  contact: { name: "山田 花子", phone: "09012345678", email: "" },
};

function requestWith(setCookie: string) {
  const pair = setCookie.split(";")[0]!;
  return new Request("http://x.test/c/test-city/reserve/venue", { headers: { cookie: `other=1; ${pair}` } });
}

describe("the flow cookie", () => {
  it("is encrypted, HttpOnly, SameSite=Lax, scoped to the city and expires in 30 minutes", () => {
    const header = flowCookie(city, state);
    expect(header).toMatch(/^mdg_reserve=v1\./);
    expect(header).toContain("; Path=/c/test-city/; HttpOnly; SameSite=Lax; Max-Age=1800");
    expect(header).not.toContain("09012345678");
    // Values long enough that random base64 cannot contain them by chance (a 2-letter probe once did).
    expect(header).not.toContain("holder-3f2a9c");
    expect(header).not.toContain("ticketHolderId");
  });

  it("reads back what was written", () => {
    expect(readFlow(requestWith(flowCookie(city, state)), city)).toMatchObject(state);
  });

  it("does not open in another city (tenant id is the associated data)", () => {
    expect(readFlow(requestWith(flowCookie(city, state)), other)).toBeNull();
  });

  it("expires inside the payload, whatever the browser keeps", () => {
    const now = new Date("2026-11-21T00:00:00Z");
    const req = requestWith(flowCookie(city, state, now));
    expect(readFlow(req, city, new Date(now.getTime() + (FLOW_TTL_SECONDS - 1) * 1000))).not.toBeNull();
    expect(readFlow(req, city, new Date(now.getTime() + FLOW_TTL_SECONDS * 1000))).toBeNull();
  });

  it("is not interchangeable with the my-reservation cookie, and a tampered value is ignored", () => {
    const mine = mineCookie(city, { ticketHolderId: "h1" });
    expect(readMine(requestWith(mine), city)).toMatchObject({ ticketHolderId: "h1" });
    const swapped = mine.replace("mdg_mine=", "mdg_reserve=");
    expect(readFlow(requestWith(swapped), city)).toBeNull();
    const value = flowCookie(city, state);
    const tampered = value.replace(/\.([A-Za-z0-9_-])/, (_m, c: string) => `.${c === "A" ? "B" : "A"}`);
    expect(readFlow(requestWith(tampered), city)).toBeNull();
  });

  it("is cleared with Max-Age=0 on the same path", () => {
    expect(clearFlowCookie(city)).toBe("mdg_reserve=; Path=/c/test-city/; HttpOnly; SameSite=Lax; Max-Age=0");
  });
});

describe("groupByDay", () => {
  it("groups by the day in Japan (not UTC) and shows times in Japan", () => {
    const days = groupByDay([
      { id: "a", startsAt: new Date("2026-11-21T00:30:00Z"), endsAt: new Date("2026-11-21T01:00:00Z"), remaining: 3 },
      { id: "b", startsAt: new Date("2026-11-21T05:00:00Z"), endsAt: new Date("2026-11-21T05:30:00Z"), remaining: 0 },
      { id: "c", startsAt: new Date("2026-11-21T15:30:00Z"), endsAt: new Date("2026-11-21T16:00:00Z"), remaining: -1 },
    ]);
    expect(days).toEqual([
      {
        key: "2026-11-21",
        date: "2026年11月21日(土)",
        slots: [
          { id: "a", time: "9:30", endTime: "10:00", remaining: 3 },
          { id: "b", time: "14:00", endTime: "14:30", remaining: 0 },
        ],
      },
      {
        key: "2026-11-22",
        date: "2026年11月22日(日)",
        slots: [{ id: "c", time: "0:30", endTime: "1:00", remaining: 0 }],
      },
    ]);
  });
});
