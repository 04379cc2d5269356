import { describe, expect, it } from "vitest";
import { clearCookie, readCookie, setCookie } from "./cookies.server";

describe("cookies (one module for every Set-Cookie)", () => {
  it("scopes city cookies to /c/<city>/ and refuses to set one without the city", () => {
    expect(setCookie("reserveFlow", "v1.abc", 1800, { citySlug: "kinokawa-demo" })).toBe(
      "mdg_reserve=v1.abc; Path=/c/kinokawa-demo/; HttpOnly; SameSite=Lax; Max-Age=1800",
    );
    expect(() => setCookie("waitingRoom", "x", 60)).toThrow(/scoped to a city/);
    expect(clearCookie("staffSession")).toBe("mdg_staff=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
  });

  it("is Secure when asked (APP_ORIGIN on https), and never sets a negative lifetime", () => {
    expect(setCookie("devLineResidents", "e30", 10, { secure: true })).toBe(
      "dev_line_residents=e30; Path=/dev; HttpOnly; Secure; SameSite=Lax; Max-Age=10",
    );
    expect(setCookie("vendorSession", "t", -5)).toContain("Max-Age=0");
  });

  it("encodes on the way out and decodes on the way in; the first of twin names wins", () => {
    const header = setCookie("mine", "a b;c", 1, { citySlug: "x-city" });
    expect(header.startsWith("mdg_mine=a%20b%3Bc;")).toBe(true);
    const pair = header.split(";")[0]!;
    expect(readCookie(new Request("http://x.test/", { headers: { cookie: `other=1; ${pair}` } }), "mine")).toBe(
      "a b;c",
    );
    expect(readCookie("mdg_wr=first; mdg_wr=second", "waitingRoom")).toBe("first");
    expect(readCookie("mdg_line=%E0%A4%A", "lineIdentity")).toBe("%E0%A4%A");
    expect(readCookie(null, "staffSession")).toBeNull();
    expect(readCookie("mdg_staffx=1", "staffSession")).toBeNull();
  });
});
