import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import {
  addException,
  listExceptions,
  loadGarbage,
  removeException,
  setPushTime,
  setSkipHolidays,
  type Actor,
} from "./garbage.server";
import type { GarbageAdminInput } from "./garbage.schemas";

/** The staff page: what is loaded (per area), the exceptions and the push time; and its edits. */
export async function garbageAdminView(db: Db, tenantId: string) {
  return withTenant(db, tenantId, async (tx) => {
    const state = await loadGarbage(tx, tenantId);
    return { state, exceptions: await listExceptions(tx, tenantId) };
  });
}

export type AdminResult = { ok: true; message: string } | { ok: false; errors: Record<string, string> };

export async function applyGarbageAdmin(
  db: Db,
  tenantId: string,
  input: GarbageAdminInput,
  actor: Actor,
): Promise<AdminResult> {
  switch (input.intent) {
    case "push-time": {
      const ok = await setPushTime(db, tenantId, input.pushTime || null, actor);
      if (!ok) return { ok: false, errors: { pushTime: "先にごみの日のデータを取り込んでください。" } };
      return {
        ok: true,
        message: input.pushTime ? `前日のお知らせを毎日${input.pushTime}に送ります。` : "前日のお知らせを止めました。",
      };
    }
    case "holidays": {
      const ok = await setSkipHolidays(db, tenantId, input.category, input.skip === "on", actor);
      if (!ok) return { ok: false, errors: { category: "そのごみの種類はありません。" } };
      return { ok: true, message: `「${input.category}」の祝日の扱いを保存しました。` };
    }
    case "exception-add": {
      const view = await garbageAdminView(db, tenantId);
      if (input.category && !view.state?.dataset.categories.some((c) => c.label === input.category))
        return { ok: false, errors: { category: "そのごみの種類はありません。" } };
      const added = await addException(
        db,
        tenantId,
        { date: input.date, category: input.category || null, note: input.note },
        actor,
      );
      if (!added) return { ok: false, errors: { date: "その日・種類の収集なしはすでに登録されています。" } };
      return { ok: true, message: `${input.date}を収集なしにしました。` };
    }
    case "exception-remove": {
      await removeException(db, tenantId, input.id, actor);
      return { ok: true, message: "収集なしの日を削除しました。" };
    }
  }
}
