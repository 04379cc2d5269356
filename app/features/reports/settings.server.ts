import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import type { Open311Key, ReportBounds } from "#db/schema/index";
import { recordAudit } from "~/features/audit/audit.server";
import type { StaffActor } from "~/features/services/services.server";
import { EMERGENCY_CATEGORY } from "./categories";
import { reportSettingsOf, saveReportSettings } from "./reports.server";

/**
 * A city admin's report settings (issue 17): the bounding box points must fall in, the categories,
 * and the Open311 API keys — one per integration, shown once when made, stored as SHA-256 only.
 * Every change is audited.
 */
export type Result<T = undefined> = { ok: true; value: T } | { ok: false; message: string };

const audit = (
  tx: Parameters<typeof recordAudit>[0],
  tenantId: string,
  actor: StaffActor,
  action: string,
  detail: Record<string, unknown>,
) => recordAudit(tx, { tenantId, actorKind: "staff", actorId: actor.staffUserId, action, detail, ip: actor.ip });

export function parseBounds(input: Record<string, string>): Result<ReportBounds | null> {
  const keys = ["south", "west", "north", "east"] as const;
  if (keys.every((k) => !input[k]?.trim())) return { ok: true, value: null };
  const n = Object.fromEntries(keys.map((k) => [k, Number(input[k]?.normalize("NFKC").trim())])) as ReportBounds;
  if (keys.some((k) => !Number.isFinite(n[k]) || input[k]?.trim() === ""))
    return { ok: false, message: "区域の南・西・北・東の端を、すべて数字（度）で入力してください。" };
  if (n.south < 20 || n.north > 46 || n.west < 122 || n.east > 154)
    return { ok: false, message: "区域は日本の範囲（北緯20〜46度、東経122〜154度）で入力してください。" };
  if (n.south >= n.north || n.west >= n.east)
    return { ok: false, message: "南の端は北の端より小さく、西の端は東の端より小さくしてください。" };
  return { ok: true, value: n };
}

export function parseCategories(text: string): Result<string[] | null> {
  const list = [
    ...new Set(
      text
        .normalize("NFKC")
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ].filter((c) => c !== EMERGENCY_CATEGORY);
  if (!list.length) return { ok: true, value: null };
  if (list.length > 12) return { ok: false, message: "種類は12個までにしてください（LINEのボタンに並ぶ数です）。" };
  if (list.some((c) => c.length > 20)) return { ok: false, message: "種類の名前は20文字以内にしてください。" };
  return { ok: true, value: list };
}

export async function updateReportArea(
  db: Db,
  tenantId: string,
  input: { bounds: ReportBounds | null; categories: string[] | null },
  actor: StaffActor,
) {
  await withTenant(db, tenantId, async (tx) => {
    await saveReportSettings(tx, tenantId, input);
    await audit(tx, tenantId, actor, "report.settings", { bounds: input.bounds, categories: input.categories });
  });
}

const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

/** A new key for one integration; the plain key is returned once and never stored. */
export async function addOpen311Key(
  db: Db,
  tenantId: string,
  name: string,
  actor: StaffActor,
): Promise<Result<string>> {
  const label = name.normalize("NFKC").trim();
  if (!label || label.length > 50) return { ok: false, message: "連携先の名前を50文字以内で入力してください。" };
  const key = `o311_${randomBytes(24).toString("base64url")}`;
  return withTenant(db, tenantId, async (tx) => {
    const { open311Keys } = await reportSettingsOf(tx, tenantId);
    if (open311Keys.some((k) => k.name === label)) return { ok: false, message: "同じ名前の連携先がすでにあります。" };
    if (open311Keys.length >= 10)
      return { ok: false, message: "APIキーは10個までです。使っていないものを削除してください。" };
    const entry: Open311Key = { name: label, hash: hashKey(key), createdAt: new Date().toISOString() };
    await saveReportSettings(tx, tenantId, { open311Keys: [...open311Keys, entry] });
    await audit(tx, tenantId, actor, "report.open311_key_add", { name: label });
    return { ok: true, value: key };
  });
}

export async function revokeOpen311Key(db: Db, tenantId: string, name: string, actor: StaffActor) {
  await withTenant(db, tenantId, async (tx) => {
    const { open311Keys } = await reportSettingsOf(tx, tenantId);
    await saveReportSettings(tx, tenantId, { open311Keys: open311Keys.filter((k) => k.name !== name) });
    await audit(tx, tenantId, actor, "report.open311_key_revoke", { name });
  });
}

/** The integration's name when `key` is one of the city's keys; null otherwise (compared in constant time). */
export function matchOpen311Key(keys: readonly Open311Key[], key: string | null | undefined): string | null {
  if (!key || key.length > 200) return null;
  const h = Buffer.from(hashKey(key), "hex");
  const hit = keys.find((k) => timingSafeEqual(Buffer.from(k.hash, "hex"), h));
  return hit?.name ?? null;
}
