import { Form, data, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.reports.$reportId";
import { requireRole } from "~/auth/guards.server";
import { Button } from "~/components/ui/button";
import { TextAreaField } from "~/components/ui/fields";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { STATE_LABELS, STATES, isState } from "~/features/reports/categories";
import { changeReportState, mergeReport, reportDetail } from "~/features/reports/triage.server";
import { clientAddress } from "~/lib/client-address.server";
import { readForm } from "~/lib/form-body.server";
import { formatTokyo } from "~/lib/japan-time";
import { staffContext, tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = ({ data: d }) => [{ title: `通報 ${d?.report.number ?? ""} | 管理画面` }];

export async function loader({ context, params, request }: Route.LoaderArgs) {
  requireRole(context, ["admin", "operator", "analyst"]);
  const detail = await reportDetail(getDb(), context.get(tenantContext).id, params.reportId);
  if (!detail) throw data({ message: "通報が見つかりません。" }, { status: 404 });
  const canEdit = context.get(staffContext).membership.role !== "analyst";
  return { ...detail, canEdit, saved: new URL(request.url).searchParams.get("saved") };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin", "operator"]);
  const tenantId = context.get(tenantContext).id;
  const actor = { staffUserId: staff.user.id, ip: clientAddress(context) };
  const form = await readForm(request, { maxBytes: 11 * 1024 * 1024 });
  if (form.get("intent") === "merge") {
    const result = await mergeReport(getDb(), tenantId, params.reportId, String(form.get("into") ?? ""), actor);
    if (!result.ok) return data({ error: result.message }, { status: 400 });
    return redirect(`/c/${params.city}/admin/reports/${params.reportId}?saved=merged`);
  }
  const file = form.get("afterPhoto");
  const afterPhoto = file instanceof File && file.size > 0 ? new Uint8Array(await file.arrayBuffer()) : null;
  const result = await changeReportState(
    getDb(),
    tenantId,
    params.reportId,
    {
      state: String(form.get("state") ?? ""),
      note: String(form.get("note") ?? ""),
      department: String(form.get("department") ?? ""),
      afterPhoto,
    },
    actor,
  );
  if (!result.ok) return data({ error: result.message }, { status: 400 });
  return redirect(`/c/${params.city}/admin/reports/${params.reportId}?saved=state`);
}

export default function ReportDetailPage({ loaderData, actionData, params }: Route.ComponentProps) {
  const { report, photos, events } = loaderData;
  const busy = useNavigation().state === "submitting";
  const photoUrl = (id: string, thumb = false) =>
    `/c/${params.city}/admin/reports/photos/${id}${thumb ? "?size=thumb" : ""}`;
  const label = (s: string | null) => (s && isState(s) ? STATE_LABELS[s] : (s ?? "—"));
  return (
    <>
      <PageHeader
        title={`通報 ${report.number}`}
        description={`${report.category}・${label(report.state)}・${formatTokyo(report.createdAt, "yyyy/MM/dd HH:mm")} 受付（${report.source === "line" ? "LINE" : report.source === "web" ? "ウェブ" : "Open311"}）`}
      />
      {loaderData.saved ? (
        <Notice variant="success" className="mb-6">
          {loaderData.saved === "merged"
            ? "重複としてまとめました。"
            : "状態を更新しました。住民にお知らせを送ります。"}
        </Notice>
      ) : null}
      {actionData?.error ? (
        <Notice variant="error" className="mb-6">
          {actionData.error}
        </Notice>
      ) : null}
      <dl className="mb-8 grid max-w-3xl grid-cols-[8rem_1fr] gap-x-4 gap-y-2">
        <dt className="font-bold">場所</dt>
        <dd>
          {[report.area, report.landmark].filter(Boolean).join(" ") || "—"}
          {loaderData.mapUrl ? (
            <>
              {" "}
              <a href={loaderData.mapUrl} target="_blank" rel="noreferrer">
                地図で見る（{report.latitude?.toFixed(5)}, {report.longitude?.toFixed(5)}）
              </a>
            </>
          ) : null}
        </dd>
        <dt className="font-bold">説明</dt>
        <dd className="whitespace-pre-wrap">{report.description || "—"}</dd>
        <dt className="font-bold">担当課</dt>
        <dd>{report.department ?? "未設定"}</dd>
        <dt className="font-bold">フォロー</dt>
        <dd>{loaderData.followers}人</dd>
        {loaderData.duplicateOfNumber ? (
          <>
            <dt className="font-bold">まとめ先</dt>
            <dd>{loaderData.duplicateOfNumber}</dd>
          </>
        ) : null}
      </dl>
      <section aria-labelledby="report-photos" className="mb-8">
        <h2 id="report-photos" className="text-std-20B-150">
          写真
        </h2>
        {photos.length ? (
          <ul className="mt-2 flex flex-wrap gap-4">
            {photos.map((p) => (
              <li key={p.id}>
                <a href={photoUrl(p.id)}>
                  <img
                    src={photoUrl(p.id, true)}
                    alt={p.kind === "after" ? "対応後の写真" : "通報の写真"}
                    className="max-h-48 rounded border"
                  />
                </a>
                <p>{p.kind === "after" ? "対応後" : "住民の写真"}</p>
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-2">写真はありません。</p>
        )}
      </section>
      <section aria-labelledby="report-history" className="mb-8">
        <h2 id="report-history" className="text-std-20B-150">
          経過
        </h2>
        <ol className="mt-2 list-disc pl-5">
          <li>{formatTokyo(report.createdAt, "yyyy/MM/dd HH:mm")} 受付</li>
          {events.map((e) => (
            <li key={e.id}>
              {formatTokyo(e.createdAt, "yyyy/MM/dd HH:mm")} {label(e.fromState)} → {label(e.toState)}
              {e.note ? `：${e.note}` : ""}
            </li>
          ))}
        </ol>
      </section>
      {loaderData.canEdit ? (
        <>
          <section aria-labelledby="report-state" className="mb-8 max-w-3xl">
            <h2 id="report-state" className="text-std-20B-150">
              状態を変える
            </h2>
            <Form method="post" encType="multipart/form-data" className="mt-4 flex flex-col gap-4">
              <input type="hidden" name="intent" value="state" />
              <SelectField
                label="新しい状態"
                name="state"
                required
                defaultValue={report.state === "duplicate" ? "" : report.state}
                options={STATES.filter((s) => s !== "duplicate").map((s) => ({ value: s, label: STATE_LABELS[s] }))}
              />
              <TextField
                label="担当課"
                name="department"
                defaultValue={report.department ?? ""}
                hint="職員向けのメモです（住民には届きません）。例：道路河川課"
              />
              <TextAreaField
                label="住民へのメモ"
                name="note"
                hint="LINEで通報した住民とフォローしている住民に届きます（500文字まで）。"
              />
              <div className="flex flex-col">
                <label htmlFor="after-photo" className="font-bold">
                  対応後の写真（任意）
                </label>
                <input
                  id="after-photo"
                  name="afterPhoto"
                  type="file"
                  accept="image/jpeg,image/png,image/webp,image/heic"
                  className="min-h-tap"
                />
              </div>
              <div>
                <Button type="submit" disabled={busy}>
                  更新してお知らせする
                </Button>
              </div>
            </Form>
          </section>
          <section aria-labelledby="report-merge" className="max-w-3xl">
            <h2 id="report-merge" className="text-std-20B-150">
              重複としてまとめる
            </h2>
            <Form method="post" className="mt-4 flex flex-wrap items-end gap-4">
              <input type="hidden" name="intent" value="merge" />
              <TextField label="まとめ先の受付番号" name="into" required hint="例：R-ABC2345" />
              <Button type="submit" variant="secondary" disabled={busy}>
                まとめる
              </Button>
            </Form>
          </section>
        </>
      ) : null}
    </>
  );
}
