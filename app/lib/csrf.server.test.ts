import { describe, expect, it } from "vitest";
import { isCrossSiteRequest } from "./csrf.server";

const APP = "https://madoguchi.example.jp";
const req = (method: string, path: string, headers: Record<string, string> = {}) =>
  new Request(`${APP}${path}`, { method, headers });

describe("isCrossSiteRequest", () => {
  it("lets reads through", () => {
    expect(isCrossSiteRequest(req("GET", "/vendor", { origin: "https://evil.example" }), APP)).toBe(false);
  });
  it("accepts a POST from our own origin", () => {
    expect(isCrossSiteRequest(req("POST", "/vendor/login", { origin: APP }), APP)).toBe(false);
  });
  it("refuses a POST from another origin", () => {
    expect(isCrossSiteRequest(req("POST", "/c/x/admin/staff", { origin: "https://evil.example" }), APP)).toBe(true);
  });
  it("refuses a POST with neither Origin nor same-origin fetch metadata", () => {
    expect(isCrossSiteRequest(req("POST", "/vendor/login"), APP)).toBe(true);
    expect(isCrossSiteRequest(req("POST", "/vendor/login", { "sec-fetch-site": "cross-site" }), APP)).toBe(true);
    expect(isCrossSiteRequest(req("POST", "/vendor/login", { "sec-fetch-site": "same-origin" }), APP)).toBe(false);
  });
  it("leaves signed webhooks to their own verification", () => {
    expect(isCrossSiteRequest(req("POST", "/webhooks/line/abc"), APP)).toBe(false);
  });
});
