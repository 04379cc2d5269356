import type { RouteConfigEntry } from "@react-router/dev/routes";
import { describe, expect, it } from "vitest";
import routes from "~/routes";
import {
  NON_DOCUMENT_CSP,
  carriesSecretToken,
  contentSecurityPolicy,
  createNonce,
  documentSecurityHeaders,
  staticSecurityHeaders,
} from "./security-headers.server";

const directives = (csp: string) => new Map(csp.split("; ").map((d) => [d.split(" ")[0]!, d.split(" ").slice(1)]));
const headerMap = (list: [string, string][]) => new Map(list.map(([k, v]) => [k.toLowerCase(), v]));

/** Every URL pattern of routes.ts, nested paths joined. */
function patterns(entries: RouteConfigEntry[], parent = ""): string[] {
  return entries.flatMap((e) => {
    const path = e.path ? `${parent}/${e.path}` : parent;
    return [path, ...patterns(e.children ?? [], path)];
  });
}

describe("createNonce", () => {
  it("is 128 random bits in base64, different every time", () => {
    const nonces = new Set(Array.from({ length: 200 }, createNonce));
    expect(nonces.size).toBe(200);
    for (const n of nonces) expect(Buffer.from(n, "base64")).toHaveLength(16);
  });
});

describe("documentSecurityHeaders", () => {
  const page = (pathname: string, appOrigin = "https://madoguchi.example.jp", nonce = "abc123==") =>
    headerMap(documentSecurityHeaders({ nonce, pathname, appOrigin }));

  it("enforces a CSP whose scripts need the page's own nonce", () => {
    const a = page("/vendor/login", undefined, createNonce());
    const b = page("/vendor/login", undefined, createNonce());
    expect(a.get("content-security-policy-report-only")).toBeUndefined();
    const scriptA = directives(a.get("content-security-policy")!).get("script-src");
    const scriptB = directives(b.get("content-security-policy")!).get("script-src");
    expect(scriptA).toHaveLength(2);
    expect(scriptA![0]).toBe("'self'");
    expect(scriptA![1]).toMatch(/^'nonce-[A-Za-z0-9+/]{22}=='$/);
    expect(scriptA).not.toEqual(scriptB);
    expect(scriptA).not.toContain("'unsafe-inline'");
  });

  it("locks framing, base, forms, plugins and styles down on product pages", () => {
    const csp = directives(page("/c/kinokawa/admin/slots").get("content-security-policy")!);
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("style-src")).toEqual(["'self'"]);
    expect(csp.get("img-src")).toEqual(["'self'", "data:", "blob:"]);
    expect(csp.get("connect-src")).toEqual(["'self'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'none'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
  });

  it("lets resident pages (LIFF) reach LINE's API hosts, and only them", () => {
    for (const path of [
      "/c/kinokawa",
      "/c/kinokawa/reserve/confirm",
      "/c/kinokawa/line/settings",
      "/c/kinokawa/administration",
    ]) {
      expect(directives(page(path).get("content-security-policy")!).get("connect-src"), path).toEqual([
        "'self'",
        "https://api.line.me",
        "https://access.line.me",
        "https://liffsdk.line-scdn.net",
      ]);
    }
    for (const path of ["/c/kinokawa/admin", "/c/kinokawa/admin/login", "/vendor", "/dev/line"]) {
      expect(directives(page(path).get("content-security-policy")!).get("connect-src"), path).toEqual(["'self'"]);
    }
  });

  it("loosens style and images on the dev tool pages only, and style plus HMR under the Vite dev server", () => {
    const mail = directives(page("/dev/mail").get("content-security-policy")!);
    expect(mail.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(mail.get("img-src")).toContain("https:");
    expect(mail.get("script-src")).not.toContain("'unsafe-inline'");
    expect(directives(page("/developer").get("content-security-policy")!).get("style-src")).toEqual(["'self'"]);
    const dev = directives(contentSecurityPolicy({ nonce: "n", pathname: "/vendor", dev: true }));
    expect(dev.get("style-src")).toContain("'unsafe-inline'");
    expect(dev.get("connect-src")).toEqual(["'self'", "ws:", "wss:"]);
    expect(dev.get("script-src")).toEqual(["'self'", "'nonce-n'"]);
  });

  it("sends no Referer from pages whose URL carries an invitation or reset token", () => {
    for (const path of [
      "/c/kinokawa/admin/invite/tok123",
      "/c/kinokawa/admin/password/reset/tok123",
      "/vendor/invite/tok123",
      "/vendor/password/reset/tok123/",
    ]) {
      expect(page(path).get("referrer-policy"), path).toBe("no-referrer");
    }
    for (const path of ["/c/kinokawa/admin/password/forgot", "/vendor/login", "/c/kinokawa/reserve/done/AB12"]) {
      expect(page(path).get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
    }
  });

  it("covers every route of routes.ts whose URL has a :token", () => {
    const tokenRoutes = patterns(routes).filter((p) => p.includes(":token"));
    expect(tokenRoutes.length).toBeGreaterThanOrEqual(4);
    for (const p of tokenRoutes)
      expect(
        carriesSecretToken(`/${p.replace(/^\/+/, "").replace(":city", "kinokawa").replace(":token", "x_Y-9")}`),
        p,
      ).toBe(true);
  });

  it("sends HSTS only when the app is served over https", () => {
    expect(page("/vendor/login", "https://madoguchi.example.jp").get("strict-transport-security")).toBe(
      "max-age=31536000; includeSubDomains",
    );
    expect(page("/vendor/login", "http://localhost:3000").has("strict-transport-security")).toBe(false);
  });

  it("sends the static set on every page", () => {
    const h = page("/c/kinokawa/reserve");
    expect(h.get("x-content-type-options")).toBe("nosniff");
    expect(h.get("x-frame-options")).toBe("DENY");
    expect(h.get("cross-origin-opener-policy")).toBe("same-origin");
    expect(h.get("permissions-policy")).toMatch(/camera=\(\), microphone=\(\), geolocation=\(self\)/);
  });
});

describe("staticSecurityHeaders", () => {
  it("carries no CSP (pages get theirs per request; other answers get NON_DOCUMENT_CSP)", () => {
    expect(headerMap(staticSecurityHeaders("https://x.example")).has("content-security-policy")).toBe(false);
    expect(directives(NON_DOCUMENT_CSP).get("default-src")).toEqual(["'none'"]);
  });
});
