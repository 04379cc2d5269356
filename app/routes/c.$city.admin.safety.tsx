import { Form, Link, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.safety";
import { requireRole } from "~/auth/guards.server";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { CheckboxField } from "~/components/ui/fields";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { getDisasterMode } from "~/features/shelters/disaster-mode.server";
import { K_MIN } from "~/features/shelters/safety-counts";
import { latestSafetyCheck, safetySummary, startSafetyCheck } from "~/features/shelters/safety.server";
import { clientAddress } from "~/lib/client-address.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { readForm } from "~/lib/form-body.server";
import { formatDateTimeJa } from "~/lib/japan-time";
import { tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "安否確認 | 管理画面" }];

export async function loader({ context }: Route.LoaderArgs) {
  requireRole(context, ["admin", "operator"]);
  const tenant = context.get(tenantContext);
  const db = getDb();
  const [mode, latest] = await Promise.all([getDisasterMode(db, tenant.id), latestSafetyCheck(db, tenant.id)]);
  return {
    slug: tenant.slug,
    areas: tenant.areas,
    inDisaster: mode !== null,
    summary: latest ? await safetySummary(db, tenant.id, latest) : null,
  };
}

/** 「無事ですか」 to the following friends of the chosen areas, only in disaster mode (admin). */
export async function action({ context, request }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  if (!(await getDisasterMode(getDb(), tenant.id)))
    return { ok: false as const, message: "安否確認は災害モードの間だけ送れます。" };
  const areas = (await readForm(request)).getAll("areas").map(String);
  const out = await startSafetyCheck({ db: getDb(), key: masterKey(env().MADOGUCHI_MASTER_KEY) }, tenant, areas, {
    staffUserId: staff.user.id,
    ip: clientAddress(context),
  });
  return out.ok
    ? { ok: true as const, message: `安否確認を${out.recipients}人に送りました。` }
    : { ok: false as const, message: out.message };
}

export default function SafetyPage({ loaderData, actionData }: Route.ComponentProps) {
  const { areas, inDisaster, summary, slug } = loaderData;
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <PageHeader
        title="安否確認"
        description={`災害モードの間、選んだ地区のLINEの友だちに「無事ですか」と聞きます。人数は地区ごとに表示し、${K_MIN}人未満は「${K_MIN}人未満」と表示します。`}
      />
      {actionData ? (
        <Notice
          variant={actionData.ok ? "success" : "error"}
          role={actionData.ok ? "status" : "alert"}
          className="mb-6"
        >
          {actionData.message}
        </Notice>
      ) : null}
      {inDisaster ? (
        <Card title="安否確認を送る" className="mb-8 max-w-3xl">
          <Form method="post" className="space-y-4">
            <fieldset>
              <legend className="font-bold">送る地区</legend>
              <div className="mt-2 grid grid-cols-2 gap-2">
                {areas.map((a) => (
                  <CheckboxField key={a} label={a} name="areas" value={a} />
                ))}
              </div>
            </fieldset>
            <Button type="submit" disabled={busy}>
              安否確認を送る
            </Button>
          </Form>
        </Card>
      ) : (
        <Notice className="mb-8">
          いまは通常モードです。安否確認は<Link to={`/c/${slug}/admin/shelters`}>災害モード</Link>の間だけ送れます。
        </Notice>
      )}
      {summary ? (
        <Card title={`最新の安否確認（${formatDateTimeJa(summary.createdAt)}、${summary.recipients}人に送信）`}>
          <div className="overflow-x-auto">
            <table className="w-full text-left">
              <thead>
                <tr>
                  <th scope="col">地区</th>
                  <th scope="col">無事</th>
                  <th scope="col">支援が必要</th>
                  <th scope="col">回答しない</th>
                  <th scope="col">未回答</th>
                </tr>
              </thead>
              <tbody>
                {summary.areas.map((a) => (
                  <tr key={a.area} className="border-t border-solid-gray-200">
                    <th scope="row" className="py-2">
                      {a.area}
                    </th>
                    <td>{a.safe}</td>
                    <td>{a.help}</td>
                    <td>{a.skip}</td>
                    <td>{a.unanswered}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3 className="mt-6 font-bold">支援が必要（{summary.help.length}件）</h3>
          {summary.help.length ? (
            <ul className="mt-2 list-disc pl-6">
              {summary.help.map((h, i) => (
                <li key={i}>
                  {h.area ?? "地区未回答"}（{formatDateTimeJa(h.answeredAt)}）
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-2">まだありません。</p>
          )}
        </Card>
      ) : null}
    </>
  );
}
