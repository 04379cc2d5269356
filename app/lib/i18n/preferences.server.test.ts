import { describe, expect, it } from "vitest";
import { readJsonCookie, setJsonCookie } from "~/lib/cookies.server";
import {
  choosePreferences,
  isResidentPath,
  langCookieHeader,
  negotiateLanguage,
  preferencesContext,
  providePreferences,
  type Preferences,
} from "./preferences.server";

const YEAR = 60 * 60 * 24 * 365;

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

  it("?lang= › cookie › Accept-Language › Japanese; a chosen language is stored in the cookie", () => {
    const asked = choosePreferences(req("/c/x/reserve?lang=en", { "Accept-Language": "ja" }));
    expect(asked.prefs).toEqual({ lang: "en", largeText: false });
    expect(readJsonCookie(asked.setCookies[0]!.split(";")[0]!, "lang")).toBe("en");

    const cookie = langCookieHeader("ja-x-easy").split(";")[0]!;
    const kept = choosePreferences(req("/c/x", { Cookie: cookie, "Accept-Language": "en" }));
    expect(kept).toEqual({ prefs: { lang: "ja-x-easy", largeText: false }, setCookies: [] });

    expect(choosePreferences(req("/c/x", { "Accept-Language": "en-US" })).prefs.lang).toBe("en");
    expect(choosePreferences(req("/c/x")).prefs.lang).toBe("ja");
  });

  it("an unknown ?lang= or cookie shows Japanese and stores nothing", () => {
    const cookie = langCookieHeader("en").split(";")[0]!;
    const unknown = choosePreferences(req("/c/x?lang=klingon", { Cookie: cookie }));
    expect(unknown).toEqual({ prefs: { lang: "ja", largeText: false }, setCookies: [] });
    const stale = langCookieHeader("xx").split(";")[0]!;
    expect(choosePreferences(req("/c/x", { Cookie: stale })).prefs.lang).toBe("ja");
    expect(choosePreferences(req("/c/x", { Cookie: "lang=%%%garbage" })).prefs.lang).toBe("ja");
  });

  it("文字を大きく: ?text=large|normal, kept by cookie; anything else ignored", () => {
    const on = choosePreferences(req("/c/x?text=large"));
    expect(on.prefs.largeText).toBe(true);
    const cookie = on.setCookies[0]!.split(";")[0]!;
    expect(readJsonCookie(cookie, "textSize")).toBe("large");
    expect(choosePreferences(req("/c/x", { Cookie: cookie })).prefs.largeText).toBe(true);
    expect(choosePreferences(req("/c/x?text=normal", { Cookie: cookie })).prefs.largeText).toBe(false);
    expect(choosePreferences(req("/c/x?text=huge")).setCookies).toEqual([]);
  });

  it("keeps React Router createCookie's names, encoding, path, flags and one-year lifetime", () => {
    // What createCookie("lang", { path: "/", sameSite: "lax", httpOnly: true, maxAge: YEAR }) wrote
    // before (ADR 036): browsers hold these, so they must still read, and a new one must match.
    expect(readJsonCookie("lang=ImphLXgtZWFzeSI%3D", "lang")).toBe("ja-x-easy");
    expect(readJsonCookie("text_size=ImxhcmdlIg%3D%3D", "textSize")).toBe("large");
    const header = langCookieHeader("en");
    expect(header.split("; ").sort()).toEqual(
      ["lang=ImVuIg%3D%3D", `Max-Age=${YEAR}`, "Path=/", "HttpOnly", "SameSite=Lax"].sort(),
    );
    expect(setJsonCookie("textSize", "large", YEAR)).toContain("text_size=ImxhcmdlIg%3D%3D;");
  });

  it("staff, vendor and platform pages stay Japanese whatever was chosen", () => {
    expect(isResidentPath("/c/kinokawa-demo")).toBe(true);
    expect(isResidentPath("/c/kinokawa-demo/line/settings")).toBe(true);
    expect(isResidentPath("/c/kinokawa-demo/admin")).toBe(false);
    expect(isResidentPath("/c/kinokawa-demo/admin/login")).toBe(false);
    expect(isResidentPath("/c/kinokawa-demo/administration")).toBe(true);
    for (const path of ["/c/x/admin?lang=en", "/vendor?lang=en", "/?lang=en"])
      expect(choosePreferences(req(path, { "Accept-Language": "en" }))).toEqual({
        prefs: { lang: "ja", largeText: false },
        setCookies: [],
      });
  });

  it("per request: a choice in the URL is read at once (its cookie goes out), anything else on first use", () => {
    const context = () => {
      let value: Preferences | undefined;
      return { set: (_c: typeof preferencesContext, v: Preferences) => void (value = v), get: () => value! };
    };
    const chosen = context();
    expect(providePreferences(req("/c/x?text=large&lang=en"), chosen)).toHaveLength(2);
    expect(chosen.get()).toEqual({ lang: "en", largeText: true });

    const later = context();
    const cookie = langCookieHeader("ja-x-easy").split(";")[0]!;
    expect(providePreferences(req("/c/x/reserve", { Cookie: cookie }), later)).toEqual([]);
    expect(later.get().lang).toBe("ja-x-easy");
    expect(later.get().largeText).toBe(false);
    const staff = context();
    providePreferences(req("/c/x/admin", { Cookie: cookie }), staff);
    expect({ ...staff.get() }).toEqual({ lang: "ja", largeText: false });
  });
});
