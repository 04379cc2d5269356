import { describe, expect, it } from "vitest";
import { MAX_PAGE, PAGE_SIZE, pageHref, pageInfo, readPage, toPage } from "./paging";

describe("readPage", () => {
  it("reads ?page= from a URL, its params or a raw value", () => {
    expect(readPage(new URL("http://x.test/a?page=3"))).toEqual({
      page: 3,
      size: PAGE_SIZE,
      offset: 2 * PAGE_SIZE,
      limit: PAGE_SIZE + 1,
    });
    expect(readPage(new URLSearchParams("page=2"), 10)).toEqual({ page: 2, size: 10, offset: 10, limit: 11 });
    expect(readPage(" 4 ", 5).offset).toBe(15);
  });

  it("treats anything but a positive whole number as the first page, and caps absurd ones", () => {
    for (const raw of [null, undefined, "", "0", "-2", "1.5", "abc", "2e3", "１"]) expect(readPage(raw).page).toBe(1);
    expect(readPage(new URL("http://x.test/a")).offset).toBe(0);
    expect(readPage("999999999").page).toBe(MAX_PAGE);
  });
});

describe("toPage", () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => i);

  it("keeps one page and tells from the extra row whether another follows", () => {
    const req = readPage("2", 3);
    expect(toPage(rows(4), req)).toEqual({ items: [0, 1, 2], page: 2, hasPrev: true, hasNext: true, firstIndex: 3 });
    expect(toPage(rows(3), req)).toMatchObject({ items: [0, 1, 2], hasNext: false });
    expect(toPage(rows(0), readPage(null, 3))).toEqual({
      items: [],
      page: 1,
      hasPrev: false,
      hasNext: false,
      firstIndex: 0,
    });
    expect(pageInfo(toPage(rows(4), req))).toEqual({ page: 2, hasPrev: true, hasNext: true, firstIndex: 3 });
  });
});

describe("pageHref", () => {
  it("changes only the page and keeps every filter; page 1 has no ?page", () => {
    expect(pageHref("/c/x/admin/slots", "?venueId=v1&from=2026-11-16&page=2", 3)).toBe(
      "/c/x/admin/slots?venueId=v1&from=2026-11-16&page=3",
    );
    expect(pageHref("/c/x/admin/slots", "?venueId=v1&page=2", 1)).toBe("/c/x/admin/slots?venueId=v1");
    expect(pageHref("/c/x/admin/roster", "", 1)).toBe("/c/x/admin/roster");
    expect(pageHref("/c/x/admin/roster", "", 2)).toBe("/c/x/admin/roster?page=2");
    expect(pageHref("/p", "?q=%E5%B8%82+a&page=9", 8)).toBe("/p?q=%E5%B8%82+a&page=8");
  });
});
