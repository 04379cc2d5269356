import { Form, Link, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.shelters";
import { requireRole } from "~/auth/guards.server";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { shelterAdminPage } from "~/features/shelters/admin.server";
import { setDisasterMode } from "~/features/shelters/disaster-mode.server";
import {
  GSI_ATTRIBUTION,
  HAZARD_LABELS,
  HAZARDS,
  isHazard,
  STATUS_LABELS,
  isShelterStatus,
} from "~/features/shelters/hazards";
import { importShelters } from "~/features/shelters/import.server";
import { disasterBroadcastLinks } from "~/features/shelters/offer";
import { municipalityCodeSchema } from "~/features/shelters/shelters.schemas";
import { setMunicipalityCode } from "~/features/shelters/shelters.server";
import { clientAddress } from "~/lib/client-address.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { readForm } from "~/lib/form-body.server";
import { formatDateTimeJa } from "~/lib/japan-time";
import { tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "避難所と災害モード | 管理画面" }];

const MAX_UPLOAD = 8 * 1024 * 1024;

export async function loader({ context }: Route.LoaderArgs) {
  const staff = requireRole(context, ["admin", "operator"]);
  const tenant = context.get(tenantContext);
  return {
    ...(await shelterAdminPage(getDb(), tenant.id)),
    isAdmin: staff.membership.role === "admin",
    city: { slug: tenant.slug, name: tenant.name },
  };
}

/** Admin only: the disaster switch, the municipality code, the GSI import. */
export async function action({ context, request }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const actor = { staffUserId: staff.user.id, ip: clientAddress(context) };
  if (Number(request.headers.get("content-length") ?? 0) > MAX_UPLOAD)
    return { intent: "import", ok: false as const, message: "ファイルが大きすぎます（8MBまで）。", problems: [] };
  const form = await readForm(request, { maxBytes: MAX_UPLOAD });
  const intent = String(form.get("intent") ?? "");
  if (intent === "mode") {
    const raw = String(form.get("hazard") ?? "");
    const hazard = raw === "off" ? null : isHazard(raw) ? raw : undefined;
    if (hazard === undefined)
      return { intent, ok: false as const, message: "災害の種類を選んでください。", problems: [] };
    const deps = { db: getDb(), key: masterKey(env().MADOGUCHI_MASTER_KEY), appOrigin: env().APP_ORIGIN };
    const out = await setDisasterMode(deps, tenant, hazard, actor);
    return { intent, ok: true as const, message: out.message, menu: out.menu, problems: [] };
  }
  if (intent === "code") {
    const parsed = municipalityCodeSchema.safeParse(String(form.get("code") ?? ""));
    if (!parsed.success) return { intent, ok: false as const, message: parsed.error.issues[0]!.message, problems: [] };
    await setMunicipalityCode(getDb(), tenant.id, parsed.data || null, actor);
    return { intent, ok: true as const, message: "市区町村コードを保存しました。", problems: [] };
  }
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0)
    return { intent: "import", ok: false as const, message: "CSVファイルを選んでください。", problems: [] };
  const out = await importShelters(getDb(), tenant.id, new Uint8Array(await file.arrayBuffer()), actor);
  if (!out.ok) return { intent: "import", ok: false as const, message: null, problems: out.problems };
  return {
    intent: "import",
    ok: true as const,
    message: `${out.imported}件を取り込みました（新規${out.inserted}件）。${out.otherMunicipality ? `ほかの市区町村の${out.otherMunicipality}行は取り込んでいません。` : ""}`,
    problems: [],
  };
}

export default function SheltersAdminPage({ loaderData, actionData }: Route.ComponentProps) {
  const { shelters, mode, municipalityCode, isAdmin, city } = loaderData;
  const busy = useNavigation().state === "submitting";
  const base = `/c/${city.slug}/admin/shelters`;
  const offer = mode && isHazard(mode.hazard) ? disasterBroadcastLinks(city, mode.hazard) : null;
  return (
    <>
      <PageHeader
        title="避難所と災害モード"
        description="避難所の登録と開設状況、災害モードの切り替え、安否確認を行います。"
      />
      {actionData?.message ? (
        <Notice
          variant={actionData.ok ? "success" : "error"}
          className="mb-6"
          role={actionData.ok ? "status" : "alert"}
        >
          {actionData.message}
          {"menu" in actionData && actionData.menu ? (
            <span className="block">リッチメニュー：{actionData.menu.message}</span>
          ) : null}
        </Notice>
      ) : null}
      {actionData?.problems.length ? (
        <Notice
          variant="error"
          className="mb-6"
          title={`${actionData.problems.length}件の問題があるため、何も取り込んでいません。`}
        >
          <ul className="list-disc pl-6">
            {actionData.problems.slice(0, 200).map((p, i) => (
              <li key={i}>
                {p.line > 0 ? `${p.line}行目: ` : ""}
                {p.message}
              </li>
            ))}
          </ul>
        </Notice>
      ) : null}

      <Card title="災害モード" className="mb-8 max-w-3xl">
        <p className="mb-4" aria-live="polite">
          {mode && isHazard(mode.hazard) ? (
            <strong className="text-error-1">
              災害モード中（{HAZARD_LABELS[mode.hazard]}）：{formatDateTimeJa(mode.startedAt)}から
            </strong>
          ) : (
            "いまは通常モードです。"
          )}
        </p>
        {isAdmin ? (
          <Form method="post" className="flex flex-wrap items-end gap-3">
            <input type="hidden" name="intent" value="mode" />
            <SelectField
              label="災害の種類"
              name="hazard"
              defaultValue={mode?.hazard ?? "tsunami"}
              options={[
                ...HAZARDS.map((h) => ({ value: h, label: HAZARD_LABELS[h] })),
                ...(mode ? [{ value: "off", label: "災害モードを終了する" }] : []),
              ]}
            />
            <Button type="submit" variant={mode ? "secondary" : "danger"} disabled={busy}>
              {mode ? "切り替える" : "災害モードを開始する"}
            </Button>
          </Form>
        ) : null}
        <p className="mt-4 text-solid-gray-700">
          開始すると、LINEの全員のメニューが災害用になり、住民向けページに案内が出て、避難所の案内はその災害に対応した避難所だけになります。終了すると元に戻ります。
        </p>
        {offer && isAdmin ? (
          <div className="mt-4">
            <p className="font-bold">防災のお知らせを配信しますか（内容は配信画面で確認・修正できます）</p>
            <ul className="mt-2 list-disc pl-6">
              <li>
                <Link to={offer.disasterTopic}>「防災」を選んだ友だちに配信する</Link>
              </li>
              <li>
                <Link to={offer.everyone}>友だち全員に配信する（命に関わる緊急のお知らせのみ）</Link>
              </li>
            </ul>
          </div>
        ) : null}
        <p className="mt-4 flex flex-wrap gap-4">
          <Link to={`${base}/status`}>開設状況を変える（スマートフォン用）</Link>
          <Link to={`/c/${city.slug}/admin/safety`}>安否確認</Link>
        </p>
      </Card>

      <Card title={`避難所（${shelters.length}件）`} className="mb-8">
        {shelters.length ? (
          <div className="overflow-x-auto">
            <table className="w-full text-left">
              <thead>
                <tr>
                  <th scope="col">名称</th>
                  <th scope="col">地区</th>
                  <th scope="col">状態</th>
                  <th scope="col">対応する災害</th>
                </tr>
              </thead>
              <tbody>
                {shelters.map((s) => (
                  <tr key={s.id} className="border-t border-solid-gray-200">
                    <td className="py-2">{isAdmin ? <Link to={`${base}/${s.id}`}>{s.name}</Link> : s.name}</td>
                    <td>{s.area ?? "—"}</td>
                    <td>
                      {isShelterStatus(s.status) ? STATUS_LABELS[s.status] : s.status}
                      {s.statusChangedAt ? (
                        <span className="block text-sm text-solid-gray-700">{formatDateTimeJa(s.statusChangedAt)}</span>
                      ) : null}
                    </td>
                    <td className="text-sm">{s.hazards.map((h) => (isHazard(h) ? HAZARD_LABELS[h] : h)).join("・")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>まだ登録されていません。下から国土地理院のデータを取り込んでください。</p>
        )}
        {isAdmin ? (
          <p className="mt-4">
            <Link to={`${base}/new`}>避難所を手で追加する</Link>
          </p>
        ) : null}
        <p className="mt-4 text-sm text-solid-gray-700">{GSI_ATTRIBUTION}</p>
      </Card>

      {isAdmin ? (
        <Card title="国土地理院データの取り込み" className="max-w-3xl">
          <Form method="post" className="mb-6 flex flex-wrap items-end gap-3">
            <input type="hidden" name="intent" value="code" />
            <TextField
              label="市区町村コード"
              name="code"
              defaultValue={municipalityCode ?? ""}
              inputMode="numeric"
              hint="全国地方公共団体コード（例：302082）。このコードの行だけを取り込みます。"
            />
            <Button type="submit" variant="secondary" disabled={busy}>
              保存する
            </Button>
          </Form>
          <Form method="post" encType="multipart/form-data" className="space-y-4">
            <input type="hidden" name="intent" value="import" />
            <TextField
              label="指定緊急避難場所・指定避難所データ（CSV）"
              name="file"
              type="file"
              accept=".csv,text/csv"
              required
              hint="国土地理院のCSV（UTF-8またはShift_JIS）。共通IDで照合して更新し、地区・メモ・電話番号・開設状況は上書きしません。1行でも問題があれば何も取り込みません。"
            />
            <Button type="submit" disabled={busy}>
              取り込む
            </Button>
          </Form>
        </Card>
      ) : null}
    </>
  );
}
