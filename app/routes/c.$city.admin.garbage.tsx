import { Form, Link } from "react-router";
import type { Route } from "./+types/c.$city.admin.garbage";
import { requireRole } from "~/auth/guards.server";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { DataTable } from "~/components/ui/data-table";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { applyGarbageAdmin, garbageAdminView } from "~/features/garbage/admin.server";
import { garbageAdminSchema } from "~/features/garbage/garbage.schemas";
import { clientAddress } from "~/lib/client-address.server";
import { readForm } from "~/lib/form-body.server";
import { parseForm } from "~/lib/forms";
import { formatDateJa, formatDateTimeJa } from "~/lib/japan-time";
import { staffContext, tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "ごみの日 | 管理画面" }];

/** ごみの日 (issue 16): the dataset per area, 収集なしの日, 祝日の扱い, 前日のお知らせの時刻. Admin edits, analyst reads. */
export async function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, ["admin", "analyst"]);
  const tenant = context.get(tenantContext);
  const view = await garbageAdminView(getDb(), tenant.id);
  return {
    canEdit: context.get(staffContext).membership.role === "admin",
    saved: new URL(request.url).searchParams.has("saved"),
    cityAreas: tenant.areas,
    ...view,
  };
}

export async function action({ context, request }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const parsed = parseForm(garbageAdminSchema, await readForm(request));
  if (!parsed.ok) return { ok: false as const, errors: parsed.errors };
  return applyGarbageAdmin(getDb(), context.get(tenantContext).id, parsed.data, {
    staffUserId: staff.user.id,
    ip: clientAddress(context),
  });
}

export default function GarbageAdminPage({ loaderData, actionData, params }: Route.ComponentProps) {
  const { state, exceptions, canEdit, saved, cityAreas } = loaderData;
  const errors = actionData && !actionData.ok ? actionData.errors : {};
  const categories = state?.dataset.categories ?? [];
  return (
    <>
      <PageHeader
        title="ごみの日"
        description="地区ごとの収集日（5374形式）、収集なしの日、前日のお知らせ（LINE）を管理します。住民向けページとLINEの「ごみの日」に使われます。"
      />
      {saved ? (
        <Notice variant="success" className="mb-6">
          ごみの日のデータを保存しました。住民向けページとLINEの返答にすぐ反映されます。
        </Notice>
      ) : null}
      {actionData?.ok ? (
        <Notice variant="success" className="mb-6">
          {actionData.message}
        </Notice>
      ) : null}
      {actionData && !actionData.ok ? (
        <Notice variant="error" className="mb-6">
          {Object.values(errors).join(" ")}
        </Notice>
      ) : null}
      <p className="mb-6 flex flex-wrap gap-x-6">
        {canEdit ? <Link to={`/c/${params.city}/admin/garbage/import`}>5374形式のCSVを取り込む</Link> : null}
        <Link to={`/c/${params.city}/garbage`}>住民向けページを見る</Link>
      </p>
      {!state ? (
        <Notice variant="warning" role="none">
          まだデータがありません。5374形式のCSVを取り込むと、住民向けページとLINEの「ごみの日」が使えるようになります。
        </Notice>
      ) : (
        <>
          <p className="mb-4">最終取り込み：{state.importedAt ? formatDateTimeJa(state.importedAt) : "—"}</p>
          <DataTable
            caption="地区ごとの収集日"
            rowKey={(a) => a.name}
            columns={[
              {
                header: "地区",
                rowHeader: true,
                cell: (a) => (
                  <>
                    {a.name}
                    {cityAreas.includes(a.name) ? null : (
                      <span className="block text-sm">（市の地区にありません）</span>
                    )}
                  </>
                ),
              },
              { header: "センター", cell: (a) => a.center ?? "—" },
              ...categories.map((c) => ({
                header: c.label,
                cell: (a: (typeof state.dataset.areas)[number]) => a.rules[c.label] ?? "—",
              })),
            ]}
            rows={state.dataset.areas}
          />

          <Card title="前日のお知らせ（LINE）" className="mt-10 max-w-3xl">
            <p>
              「ごみ」のお知らせを選んだLINEの友だちに、収集日の前日、指定の時刻に「明日は〇〇の日です」を送ります。収集なしの日には送りません。
            </p>
            <Form method="post" className="mt-4 flex flex-wrap items-end gap-4">
              <input type="hidden" name="intent" value="push-time" />
              <TextField
                label="送る時刻（空欄で送らない）"
                name="pushTime"
                type="time"
                defaultValue={state.pushTime ?? ""}
                error={errors.pushTime}
                disabled={!canEdit}
              />
              {canEdit ? <Button type="submit">保存する</Button> : null}
            </Form>
          </Card>

          <Card title="祝日の扱い（種類ごと）" className="mt-10 max-w-3xl">
            <ul className="space-y-3">
              {categories.map((c) => (
                <li key={c.label} className="flex flex-wrap items-center gap-4">
                  <span className="min-w-48 font-bold">{c.label}</span>
                  <span>{c.skipHolidays ? "祝日は収集しない" : "祝日も収集する"}</span>
                  {canEdit ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="holidays" />
                      <input type="hidden" name="category" value={c.label} />
                      <input type="hidden" name="skip" value={c.skipHolidays ? "off" : "on"} />
                      <Button type="submit" variant="secondary">
                        {c.skipHolidays ? "祝日も収集するにする" : "祝日は収集しないにする"}
                      </Button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          </Card>

          <Card title="収集なしの日" className="mt-10 max-w-3xl">
            <p>
              年末年始（center.csv
              の休止期間）のほかに、臨時で収集しない日を登録します。前日のお知らせは送る時刻に作られるため、その前に登録してください。
            </p>
            {exceptions.length ? (
              <ul className="mt-4 space-y-2">
                {exceptions.map((e) => (
                  <li key={e.id} className="flex flex-wrap items-center gap-4">
                    <span>
                      {formatDateJa(e.date)} {e.category ?? "すべての種類"}
                      {e.note ? `（${e.note}）` : ""}
                    </span>
                    {canEdit ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="exception-remove" />
                        <input type="hidden" name="id" value={e.id} />
                        <Button type="submit" variant="secondary">
                          削除
                        </Button>
                      </Form>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="mt-4">登録はありません。</p>
            )}
            {canEdit ? (
              <Form method="post" className="mt-6 grid max-w-xl gap-4">
                <input type="hidden" name="intent" value="exception-add" />
                <TextField label="日付" name="date" type="date" required error={errors.date} />
                <SelectField
                  label="種類"
                  name="category"
                  options={[
                    { value: "", label: "すべての種類" },
                    ...categories.map((c) => ({ value: c.label, label: c.label })),
                  ]}
                  error={errors.category}
                />
                <TextField label="メモ（任意）" name="note" error={errors.note} />
                <div>
                  <Button type="submit">収集なしの日を追加する</Button>
                </div>
              </Form>
            ) : null}
          </Card>
        </>
      )}
    </>
  );
}
