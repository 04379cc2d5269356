import { describe, expect, it } from "vitest";
import { parseEnv } from "./env.server";

const PROD = {
  NODE_ENV: "production",
  DATABASE_URL: "postgres://app:pw@db.internal:5432/madoguchi",
  REDIS_URL: "redis://cache.internal:6379",
  MADOGUCHI_MASTER_KEY: Buffer.alloc(32, 7).toString("base64"),
  APP_ORIGIN: "https://madoguchi.example.jp/",
  LINE_API_BASE: "https://api.line.me",
  LINE_DATA_API_BASE: "https://api-data.line.me",
  STRIPE_API_BASE: "https://api.stripe.com",
  STRIPE_SECRET_KEY: "sk_live_example0000",
  STRIPE_WEBHOOK_SECRET: "whsec_example0000",
  SMTP_URL: "smtps://mail.example.jp:465",
};

describe("parseEnv", () => {
  it("development fills every local default so the demo needs no setup", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\/madoguchi_app/);
    expect(env.APP_ORIGIN).toBe("http://localhost:3000");
  });

  it("production with every variable parses, and normalises the origin", () => {
    expect(parseEnv(PROD).APP_ORIGIN).toBe("https://madoguchi.example.jp");
  });

  it("production names the one missing variable", () => {
    const { REDIS_URL: _omit, ...rest } = PROD;
    expect(() => parseEnv(rest)).toThrow("REDIS_URL: is required but not set");
  });

  it("a malformed value is refused with its name, in any environment", () => {
    expect(() => parseEnv({ MADOGUCHI_MASTER_KEY: "short" })).toThrow(/^MADOGUCHI_MASTER_KEY: must be 32 bytes/);
    expect(() => parseEnv({ ...PROD, DATABASE_URL: "mysql://x" })).toThrow(/^DATABASE_URL:/);
  });

  it("production refuses the public development master key and the dev tools", () => {
    expect(() => parseEnv({ ...PROD, MADOGUCHI_MASTER_KEY: "ZGV2LW9ubHktbWFzdGVyLWtleS1kby1ub3QtdXNlISE=" })).toThrow(
      /MADOGUCHI_MASTER_KEY/,
    );
    expect(() => parseEnv({ ...PROD, DEV_TOOLS: "1" })).toThrow(/DEV_TOOLS/);
    expect(() => parseEnv({ ...PROD, STRIPE_SECRET_KEY: "sk_test_madoguchi_dev_only" })).toThrow(/STRIPE_SECRET_KEY/);
    expect(() => parseEnv({ ...PROD, STRIPE_WEBHOOK_SECRET: "not-a-secret" })).toThrow(/^STRIPE_WEBHOOK_SECRET:/);
  });

  it("/metrics is never open: a metrics port needs a token, and a short token is refused (ADR 037)", () => {
    expect(() => parseEnv({ METRICS_PORT: "9464" })).toThrow(/^METRICS_TOKEN: is required when METRICS_PORT/);
    expect(() => parseEnv({ METRICS_TOKEN: "short" })).toThrow(/^METRICS_TOKEN: must be at least 32/);
    expect(parseEnv({ METRICS_PORT: "9464", METRICS_TOKEN: "x".repeat(32) }).METRICS_PORT).toBe(9464);
    expect(parseEnv(PROD).METRICS_PORT).toBe(0);
  });
});
