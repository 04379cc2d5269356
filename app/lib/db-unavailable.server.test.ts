import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "#db/client.server";
import { freePort } from "#tests/setup/private-postgres";
import {
  dbUnavailableJson,
  dbUnavailableResourceAnswer,
  isDbUnavailable,
  noteDbUnavailable,
} from "./db-unavailable.server";
import { isDbUnavailableError } from "./db-unavailable";

/** What counts as "the database is away" (ADR 029): real errors from the real driver, through drizzle. */
describe("isDbUnavailable", () => {
  it("is true for a database that does not answer, as drizzle reports it", async () => {
    const { db, sql: client } = createDb(`postgres://madoguchi_app:x@127.0.0.1:${await freePort()}/none`, 1);
    const error = await db.execute(sql`select 1`).then(
      () => null,
      (e: unknown) => e,
    );
    await client.end({ timeout: 1 });
    expect(error).toBeTruthy();
    expect(isDbUnavailable(error)).toBe(true);
  });

  it("is false for a query error: that stays a bug and a 500", async () => {
    const { db, sql: client } = createDb(process.env.DATABASE_URL!, 1);
    const error = await db.execute(sql`select * from no_such_table`).then(
      () => null,
      (e: unknown) => e,
    );
    await client.end({ timeout: 1 });
    expect(error).toBeTruthy();
    expect(isDbUnavailable(error)).toBe(false);
    expect(isDbUnavailable(new Error("boom"))).toBe(false);
    expect(isDbUnavailable(null)).toBe(false);
  });

  it("the 503 answer carries Retry-After and the reason the pages recognise", () => {
    const r = dbUnavailableJson();
    expect(r.status).toBe(503);
    expect(r.headers["Retry-After"]).toBe("10");
    const body = JSON.parse(r.body) as { ok: boolean; reason: string; message: string };
    expect(body).toMatchObject({ ok: false, reason: "busy" });
    expect(body.message).toContain("混み合って");
    // As the browser's router hands it to a boundary after a data request: the body as text.
    expect(isDbUnavailableError({ status: 503, statusText: "", internal: false, data: r.body })).toBe(true);
  });

  it("resource routes: a 500 for a request that met the outage, or an outage thrown by a middleware, is the 503", async () => {
    const away = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    const csv = new Request("http://x.test/c/a/admin/billing/export", { headers: { accept: "text/html" } });
    expect(noteDbUnavailable(away, csv)).toBe(true);
    const page = dbUnavailableResourceAnswer(csv, {
      response: new Response("Unexpected Server Error", { status: 500 }),
    });
    expect(page?.status).toBe(503);
    expect(page?.headers.get("Retry-After")).toBe("10");
    expect(await page?.text()).toContain("ただいま混み合っています");

    const ics = new Request("http://x.test/c/a/reserve/done/X/calendar.ics");
    const json = dbUnavailableResourceAnswer(ics, { thrown: away });
    expect(json?.status).toBe(503);
    expect(await json?.json()).toMatchObject({ reason: "busy" });

    // Anything else is left alone: a real 500, another error, an ordinary answer.
    const other = new Request("http://x.test/healthz");
    expect(dbUnavailableResourceAnswer(other, { response: new Response("", { status: 500 }) })).toBeNull();
    expect(dbUnavailableResourceAnswer(other, { thrown: new Error("boom") })).toBeNull();
    expect(dbUnavailableResourceAnswer(csv, { response: new Response("ok") })).toBeNull();
  });
});
