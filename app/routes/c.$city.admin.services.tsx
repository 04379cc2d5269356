import { Form, Link, redirect } from "react-router";
import type { Route } from "./+types/c.$city.admin.services";
import { requireRole } from "~/auth/guards.server";
import { clientAddress } from "~/lib/client-address.server";
import { Button, ButtonLink } from "~/components/ui/button";
import { TextField } from "~/components/ui/text-field";
import { DataTable } from "~/components/ui/data-table";
import { Notice } from "~/components/ui/notice";
import { ruleLabel } from "~/features/reminders/rules";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { listServices } from "~/features/services/services.server";
import { CONCURRENCY_LABEL, waitingRoomSchema } from "~/features/reservations/waiting-room.schemas";
import { setBookingConcurrency } from "~/features/reservations/waiting-room-settings.server";
import { parseForm } from "~/lib/forms";
import { formatDateTimeJa } from "~/lib/japan-time";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export const meta: Route.MetaFunction = () => [{ title: "サービス | 管理画面" }];

export async function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const saved = new URL(request.url).searchParams.get("saved");
  return {
    services: await listServices(getDb(), tenant.id),
    saved,
    bookingConcurrency: tenant.bookingConcurrency,
    waitingSaved: new URL(request.url).searchParams.has("waiting"),
  };
}

/** The city-wide booking setting on this page: the waiting room's limit (ADR 025). */
export async function action({ context, request, params }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const parsed = parseForm(waitingRoomSchema, await readForm(request));
  if (!parsed.ok) return parsed;
  await setBookingConcurrency(getDb(), tenant, parsed.data.bookingConcurrency, {
    staffUserId: staff.user.id,
    ip: clientAddress(context),
  });
  return redirect(`/c/${params.city}/admin/services?waiting=1`);
}

export default function ServicesPage({ loaderData, actionData, params }: Route.ComponentProps) {
  const base = `/c/${params.city}/admin/services`;
  return (
    <>
      <PageHeader
        title="サービス"
        description="住民が予約する事業（ワクチン接種、健診など）と、その受付ルールです。"
        actions={<ButtonLink to={`${base}/new`}>サービスを追加</ButtonLink>}
      />
      {loaderData.saved ? (
        <Notice variant="success" className="mb-6">
          「{loaderData.saved}」を保存しました。
        </Notice>
      ) : null}
      <DataTable
        caption="サービス一覧"
        captionHidden
        rows={loaderData.services}
        rowKey={(s) => s.id}
        emptyMessage="まだサービスがありません。「サービスを追加」から登録してください。"
        columns={[
          { header: "サービス名", rowHeader: true, cell: (s) => <Link to={`${base}/${s.id}`}>{s.name}</Link> },
          {
            header: "回数・間隔",
            cell: (s) => (s.doses > 1 ? `${s.doses}回（${s.minIntervalDays}日以上あける）` : "1回"),
          },
          {
            header: "受付開始",
            cell: (s) =>
              s.phases.length === 0 ? (
                "段階なし"
              ) : (
                <ul>
                  {s.phases.map((p) => (
                    <li key={`${p.minAge}-${p.opensAt}`}>
                      {p.minAge}歳以上: {formatDateTimeJa(p.opensAt)}〜
                    </li>
                  ))}
                </ul>
              ),
          },
          { header: "予約受付", cell: (s) => `${s.bookingWindowDays}日先まで・変更は${s.changeCutoffHours}時間前まで` },
          {
            header: "リマインダー",
            cell: (s) => (s.reminders.length ? s.reminders.map(ruleLabel).join("・") : "送らない"),
          },
          { header: "状態", cell: (s) => (s.active ? "受付中" : "停止中") },
        ]}
      />
      <section aria-labelledby="waiting-room-heading" className="mt-12">
        <h2 id="waiting-room-heading" className="text-[1.25em] font-bold">
          順番待ち（混雑時の受付）
        </h2>
        <p className="mt-2">
          予約開始直後など申し込みが集中するときに、予約手続き中の人数を制限し、それ以外の方には順番待ちの画面で順にご案内します。空欄の場合は制限しません。
        </p>
        {loaderData.waitingSaved ? (
          <Notice variant="success" className="mt-4">
            {loaderData.bookingConcurrency
              ? `${CONCURRENCY_LABEL}を${loaderData.bookingConcurrency.toLocaleString("ja-JP")}人に設定しました。`
              : "順番待ちを使わない設定にしました。"}
          </Notice>
        ) : null}
        <Form method="post" noValidate className="mt-4 flex flex-col gap-4">
          <TextField
            label={CONCURRENCY_LABEL}
            name="bookingConcurrency"
            inputMode="numeric"
            hint="1〜100000の整数。空欄にすると順番待ちを使いません。"
            defaultValue={
              actionData?.values.bookingConcurrency ??
              (loaderData.bookingConcurrency ? String(loaderData.bookingConcurrency) : "")
            }
            error={actionData?.errors.bookingConcurrency}
            className="max-w-[16em]"
          />
          <div>
            <Button type="submit">保存する</Button>
          </div>
        </Form>
      </section>
    </>
  );
}
