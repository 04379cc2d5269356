import { Form, useNavigation } from "react-router";
import type { Route } from "./+types/vendor.disaster";
import { Button } from "~/components/ui/button";
import { CheckboxField } from "~/components/ui/fields";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select-field";
import { getDb } from "#db/client.server";
import { listCityModes, setDisasterModeForCities } from "~/features/shelters/disaster-mode.server";
import { HAZARD_LABELS, HAZARDS, isHazard } from "~/features/shelters/hazards";
import { isUuid } from "~/features/shelters/shelters.server";
import { clientAddress } from "~/lib/client-address.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { readForm } from "~/lib/form-body.server";
import { vendorContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "災害モード（複数の自治体） | ベンダー" }];

export async function loader() {
  return { cities: await listCityModes(getDb()) };
}

/** Issue 18.5: one action for the chosen cities (a typhoon crossing a prefecture); the rest untouched. */
export async function action({ request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  const ids = form.getAll("tenantIds").map(String).filter(isUuid);
  const raw = String(form.get("hazard") ?? "");
  const hazard = raw === "off" ? null : isHazard(raw) ? raw : undefined;
  if (hazard === undefined) return { ok: false as const, message: "災害の種類を選んでください。", results: [] };
  if (ids.length === 0) return { ok: false as const, message: "自治体を1つ以上選んでください。", results: [] };
  const results = await setDisasterModeForCities(
    { db: getDb(), key: masterKey(env().MADOGUCHI_MASTER_KEY), appOrigin: env().APP_ORIGIN },
    ids,
    hazard,
    { vendorUserId: context.get(vendorContext).user.id, ip: clientAddress(context) },
  );
  return {
    ok: true as const,
    message: hazard
      ? `${results.length}自治体で災害モード（${HAZARD_LABELS[hazard]}）を開始しました。`
      : `${results.length}自治体で災害モードを終了しました。`,
    results: results.map((r) => ({ name: r.name, menu: r.menu.message, menuOk: r.menu.ok })),
  };
}

export default function VendorDisasterPage({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <PageHeader
        title="災害モード（複数の自治体）"
        description="選んだ自治体の災害モードをまとめて切り替えます。選ばなかった自治体は変わりません。各自治体の管理画面からも切り替えられます。"
      />
      {actionData ? (
        <Notice
          variant={actionData.ok ? "success" : "error"}
          role={actionData.ok ? "status" : "alert"}
          className="mb-6"
        >
          {actionData.message}
          {actionData.results.length ? (
            <ul className="mt-2 list-disc pl-6">
              {actionData.results.map((r) => (
                <li key={r.name}>
                  {r.name}：リッチメニュー {r.menu}
                </li>
              ))}
            </ul>
          ) : null}
        </Notice>
      ) : null}
      <Form method="post" className="max-w-3xl space-y-6">
        <fieldset>
          <legend className="font-bold">自治体</legend>
          <div className="mt-2 flex flex-col gap-2">
            {loaderData.cities.map((c) => (
              <CheckboxField
                key={c.id}
                name="tenantIds"
                value={c.id}
                label={`${c.prefecture} ${c.name}${c.hazard && isHazard(c.hazard) ? `（災害モード中：${HAZARD_LABELS[c.hazard]}）` : ""}`}
              />
            ))}
          </div>
        </fieldset>
        <SelectField
          label="災害の種類"
          name="hazard"
          defaultValue="flood"
          options={[
            ...HAZARDS.map((h) => ({ value: h, label: HAZARD_LABELS[h] })),
            { value: "off", label: "災害モードを終了する" },
          ]}
        />
        <Button type="submit" variant="danger" disabled={busy}>
          選んだ自治体に適用する
        </Button>
      </Form>
    </>
  );
}
