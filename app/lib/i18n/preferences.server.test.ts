import { describe, expect, it } from "vitest";
import { choosePreferences, isResidentPath, langCookie, negotiateLanguage, textSizeCookie } from "./preferences.server";

const req = (path: string, headers: Record<string, string> = {}) =>
  new Request(`http://madoguchi.test${path}`, { headers });

describe("the resident's language and text size (ADR 039)", () => {
  it("Accept-Language: by q, exact tag first, else the primary subtag; nothing shipped → null", () => {
    expect(negotiateLanguage("en-GB,en;q=0.9,ja;q=0.8")).toBe("en");
    expect(negotiateLanguage("fr-FR,fr;q=0.9,ja;q=0.5,en;q=0.4")).toBe("ja");
    expect(negotiateLanguage("ja-JP")).toBe("ja");
    expect(negotiateLanguage("ja-x-easy, en")).toBe("ja-x-easy");
    expect(negotiateLanguage("en;q=0, ja;q=0.1")).toBe("ja");
    expect(negotiateLanguage("fr, de;q=0.5")).toBeNull();
    expect(negotiateLanguage("*;q=abc,;;,")).toBeNull();
    expect(negotiateLanguage(null)).toBeNull();
  });

  it("?lang= › cookie › Accept-Language › Japanese; a chosen language is stored in the cookie", async () => {
    const asked = await choosePreferences(req("/c/x/reserve?lang=en", { "Accept-Language": "ja" }));
    expect(asked.prefs).toEqual({ lang: "en", largeText: false });
    expect(await langCookie.parse(asked.setCookies[0]!.split(";")[0]!)).toBe("en");

    const cookie = await langCookie.serialize("ja-x-easy");
    const kept = await choosePreferences(req("/c/x", { Cookie: cookie, "Accept-Language": "en" }));
    expect(kept).toEqual({ prefs: { lang: "ja-x-easy", largeText: false }, setCookies: [] });

    expect((await choosePreferences(req("/c/x", { "Accept-Language": "en-US" }))).prefs.lang).toBe("en");
    expect((await choosePreferences(req("/c/x"))).prefs.lang).toBe("ja");
  });

  it("an unknown ?lang= or cookie shows Japanese and stores nothing", async () => {
    const cookie = await langCookie.serialize("en");
    const unknown = await choosePreferences(req("/c/x?lang=klingon", { Cookie: cookie }));
    expect(unknown).toEqual({ prefs: { lang: "ja", largeText: false }, setCookies: [] });
    const stale = await langCookie.serialize("xx");
    expect((await choosePreferences(req("/c/x", { Cookie: stale }))).prefs.lang).toBe("ja");
    expect((await choosePreferences(req("/c/x", { Cookie: "lang=%%%garbage" }))).prefs.lang).toBe("ja");
  });

  it("文字を大きく: ?text=large|normal, kept by cookie; anything else ignored", async () => {
    const on = await choosePreferences(req("/c/x?text=large"));
    expect(on.prefs.largeText).toBe(true);
    const cookie = on.setCookies[0]!.split(";")[0]!;
    expect(await textSizeCookie.parse(cookie)).toBe("large");
    expect((await choosePreferences(req("/c/x", { Cookie: cookie }))).prefs.largeText).toBe(true);
    expect((await choosePreferences(req("/c/x?text=normal", { Cookie: cookie }))).prefs.largeText).toBe(false);
    expect((await choosePreferences(req("/c/x?text=huge"))).setCookies).toEqual([]);
  });

  it("staff, vendor and platform pages stay Japanese whatever was chosen", async () => {
    expect(isResidentPath("/c/kinokawa-demo")).toBe(true);
    expect(isResidentPath("/c/kinokawa-demo/line/settings")).toBe(true);
    expect(isResidentPath("/c/kinokawa-demo/admin")).toBe(false);
    expect(isResidentPath("/c/kinokawa-demo/admin/login")).toBe(false);
    expect(isResidentPath("/c/kinokawa-demo/administration")).toBe(true);
    for (const path of ["/c/x/admin?lang=en", "/vendor?lang=en", "/?lang=en"])
      expect(await choosePreferences(req(path, { "Accept-Language": "en" }))).toEqual({
        prefs: { lang: "ja", largeText: false },
        setCookies: [],
      });
  });
});
