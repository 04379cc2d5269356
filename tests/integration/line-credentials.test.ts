import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, lineChannels, type Tenant } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { saveLineSettings } from "~/features/line/channel-admin.server";
import {
  loadChannelCredentials,
  loadChannelCredentialsFor,
  maskedChannel,
  saveChannelCredentials,
} from "~/features/line/credentials.server";
import { fakeChannel, makeLineChannel } from "#tests/factories/line";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * Channel credentials (ADR 008): envelope-encrypted, bound to their row, never stored or audited in
 * clear, isolated per city by RLS.
 */
const dbs = testDbs();
const key = Buffer.alloc(32, 8);
let a: Tenant;
let b: Tenant;

beforeAll(async () => {
  a = await makeTenant(dbs.appDb, { name: "LINE鍵テスト市" });
  b = await makeTenant(dbs.appDb, { name: "LINE鍵テスト町" });
});
afterAll(() => dbs.close());

describe("LINE channel credentials", () => {
  it("round-trips through envelope encryption and shows only the last 4 characters", async () => {
    const plain = await makeLineChannel(dbs.appDb, key, a.id);
    const loaded = await loadChannelCredentialsFor(dbs.appDb, key, a.id);
    expect(loaded).toMatchObject(plain);
    const [row] = await dbs.ownerDb.select().from(lineChannels).where(eq(lineChannels.tenantId, a.id));
    const masked = maskedChannel(row!);
    expect(masked.secretMasked).toBe(`••••${plain.channelSecret.slice(-4)}`);
    expect(masked.tokenMasked).toBe(`••••${plain.channelAccessToken.slice(-4)}`);
    expect(JSON.stringify(masked)).not.toContain(plain.channelSecret);
    expect(JSON.stringify(masked)).not.toContain(plain.channelAccessToken);
  });

  it("never stores the secret or the token in clear anywhere in the row", async () => {
    const plain = await loadChannelCredentialsFor(dbs.appDb, key, a.id);
    const rows = (await dbs.ownerDb.execute(
      sql`select row_to_json(c)::text as j from line_channels c where tenant_id = ${a.id}`,
    )) as unknown as { j: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.j).not.toContain(plain!.channelSecret);
    expect(rows[0]!.j).not.toContain(plain!.channelAccessToken);
    // Nor their base64 forms (a lazy "encoding" would pass the check above).
    expect(rows[0]!.j).not.toContain(Buffer.from(plain!.channelSecret).toString("base64"));
  });

  it("a ciphertext copied into another city's row does not decrypt", async () => {
    await makeLineChannel(dbs.appDb, key, b.id);
    const [rowA] = await dbs.ownerDb.select().from(lineChannels).where(eq(lineChannels.tenantId, a.id));
    const [rowB] = await dbs.ownerDb.select().from(lineChannels).where(eq(lineChannels.tenantId, b.id));
    // Copy A's wrapped key and ciphertexts into B's row (an attacker with write access to the table).
    await dbs.ownerDb
      .update(lineChannels)
      .set({ dataKeyEnc: rowA!.dataKeyEnc, secretEnc: rowA!.secretEnc, tokenEnc: rowA!.tokenEnc })
      .where(eq(lineChannels.id, rowB!.id));
    await expect(loadChannelCredentialsFor(dbs.appDb, key, b.id)).rejects.toThrow();
    // Only the secret copied, with B's own data key: still refused.
    await dbs.ownerDb
      .update(lineChannels)
      .set({ dataKeyEnc: rowB!.dataKeyEnc, secretEnc: rowA!.secretEnc, tokenEnc: rowB!.tokenEnc })
      .where(eq(lineChannels.id, rowB!.id));
    await expect(loadChannelCredentialsFor(dbs.appDb, key, b.id)).rejects.toThrow();
    // Restored, B decrypts again; and the wrong master key decrypts nothing.
    await dbs.ownerDb
      .update(lineChannels)
      .set({ dataKeyEnc: rowB!.dataKeyEnc, secretEnc: rowB!.secretEnc, tokenEnc: rowB!.tokenEnc })
      .where(eq(lineChannels.id, rowB!.id));
    expect((await loadChannelCredentialsFor(dbs.appDb, key, b.id))?.channelId).toBe(rowB!.channelId);
    await expect(loadChannelCredentialsFor(dbs.appDb, Buffer.alloc(32, 9), b.id)).rejects.toThrow();
  });

  it("blank secret and token keep the stored ones; a new token draws a new data key", async () => {
    const before = await loadChannelCredentialsFor(dbs.appDb, key, a.id);
    const [rowBefore] = await dbs.ownerDb.select().from(lineChannels).where(eq(lineChannels.tenantId, a.id));
    const kept = await withTenant(dbs.appDb, a.id, (tx) =>
      saveChannelCredentials(tx, key, a.id, {
        ...before!,
        liffId: "2000000101-NewLiff1",
        channelSecret: "",
        channelAccessToken: null,
      }),
    );
    expect(kept).toMatchObject({ ok: true, changed: ["liffId"] });
    const after = await loadChannelCredentialsFor(dbs.appDb, key, a.id);
    expect(after).toMatchObject({
      channelSecret: before!.channelSecret,
      channelAccessToken: before!.channelAccessToken,
      liffId: "2000000101-NewLiff1",
    });
    const [rowAfter] = await dbs.ownerDb.select().from(lineChannels).where(eq(lineChannels.tenantId, a.id));
    expect(rowAfter!.dataKeyEnc).not.toBe(rowBefore!.dataKeyEnc);
    expect(rowAfter!.id).toBe(rowBefore!.id);
  });

  it("a first save without secret or token is refused, with the field named", async () => {
    const c = await makeTenant(dbs.appDb);
    const r = await withTenant(dbs.appDb, c.id, (tx) =>
      saveChannelCredentials(tx, key, c.id, { channelId: "2000000999", channelAccessToken: "x-token" }),
    );
    expect(r).toMatchObject({ ok: false, field: "channelSecret" });
    expect(await loadChannelCredentialsFor(dbs.appDb, key, c.id)).toBeNull();
  });

  it("one city cannot read another city's channel (RLS)", async () => {
    const seen = await withTenant(dbs.appDb, a.id, (tx) =>
      tx.select({ tenantId: lineChannels.tenantId }).from(lineChannels),
    );
    expect(new Set(seen.map((r) => r.tenantId))).toEqual(new Set([a.id]));
    expect(await withTenant(dbs.appDb, a.id, (tx) => loadChannelCredentials(tx, key, b.id))).toBeNull();
  });

  it("saving from the admin page is audited by field name, never with the values", async () => {
    const admin = await makeStaff(dbs.appDb, { tenantId: a.id, role: "admin" });
    const next = fakeChannel("audit-check");
    const r = await saveLineSettings(dbs.appDb, key, {
      tenantId: a.id,
      settings: { ...next },
      actor: { staffUserId: admin.user.id, ip: "203.0.113.9" },
    });
    expect(r.ok).toBe(true);
    const entries = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, a.id), eq(auditLog.action, "line.channel.save")));
    expect(entries).toHaveLength(1);
    expect(entries[0]!.detail).toMatchObject({
      changed: expect.arrayContaining(["channelId", "channelSecret", "channelAccessToken"]),
    });
    const text = JSON.stringify(entries);
    expect(text).not.toContain(next.channelSecret);
    expect(text).not.toContain(next.channelAccessToken);
  });
});
