import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptString, encryptString } from "./crypto.server";

describe("encryptString / decryptString", () => {
  const key = randomBytes(32);
  it("round-trips and never contains the plaintext", () => {
    const c = encryptString(key, "秘密のトークン", "invitation:1");
    expect(c).not.toContain("秘密");
    expect(decryptString(key, c, "invitation:1")).toBe("秘密のトークン");
  });
  it("is bound to its row: other associated data or another key fails", () => {
    const c = encryptString(key, "token", "invitation:1");
    expect(() => decryptString(key, c, "invitation:2")).toThrow();
    expect(() => decryptString(randomBytes(32), c, "invitation:1")).toThrow();
  });
});
