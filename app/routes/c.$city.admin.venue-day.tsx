import { Form, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.venue-day";
import { requireRole } from "~/auth/guards.server";
import { clientAddress } from "~/lib/client-address.server";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { AttendanceTable } from "~/features/venue-day/components/attendance-table";
import { STATUS_LABELS } from "~/lib/booking-labels";
import { attendanceSchema } from "~/features/venue-day/venue-day.schemas";
import { markAttendance } from "~/features/venue-day/venue-day.server";
import { loadVenueDayPage } from "~/features/venue-day/venue-day-page.server";
import { formatDateJa } from "~/lib/japan-time";
import { parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export const meta: Route.MetaFunction = () => [{ title: "当日の予約一覧 | 窓口" }];

export async function loader({ context, request }: Route.LoaderArgs) {
  // Names and phone numbers: operators and admins only, never analysts.
  const staff = requireRole(context, ["admin", "operator"]);
  const tenant = context.get(tenantContext);
  const query = Object.fromEntries(new URL(request.url).searchParams);
  return loadVenueDayPage(getDb(), {
    tenantId: tenant.id,
    query,
    staffUserId: staff.user.id,
    ip: clientAddress(context),
  });
}

export async function action({ context, request }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin", "operator"]);
  const tenant = context.get(tenantContext);
  const parsed = parseForm(attendanceSchema, await readForm(request));
  if (!parsed.ok)
    return {
      ok: false as const,
      reservationId: parsed.values.reservationId ?? "",
      message: Object.values(parsed.errors)[0] ?? "操作を受け付けられませんでした。",
    };
  const { venue, date, reservationId, mark } = parsed.data;
  const result = await markAttendance(getDb(), {
    tenantId: tenant.id,
    venueId: venue,
    date,
    reservationId,
    mark,
    staffUserId: staff.user.id,
    ip: clientAddress(context),
  });
  return result.ok
    ? { ok: true as const, reservationId }
    : { ok: false as const, reservationId, message: result.message };
}

export default function VenueDayPage({ loaderData, actionData, params }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const { venues, values, errors, day, today } = loaderData;
  const venueOptions = venues.map((v) => ({ value: v.id, label: v.active ? v.name : `${v.name}（休止中）` }));
  const counts = day
    ? (["booked", "attended", "no_show", "cancelled"] as const).map((s) => ({
        s,
        n: day.rows.filter((r) => r.status === s).length,
      }))
    : [];
  const failure = actionData && !actionData.ok ? actionData : null;

  return (
    <>
      <PageHeader
        title="当日の予約一覧"
        description="会場と日付を選ぶと、その日の予約者が時刻順に表示されます。表示と出力はすべて記録されます。"
      />
      <Form method="get" className="flex flex-wrap items-end gap-4">
        <SelectField
          label="会場"
          name="venue"
          required
          placeholder="選択してください"
          options={venueOptions}
          defaultValue={values.venue}
          error={errors.venue}
          className="min-w-64"
        />
        <TextField
          label="日付"
          name="date"
          type="date"
          required
          defaultValue={values.date}
          error={errors.date}
          className="w-56"
        />
        <Button type="submit" variant="secondary">
          表示する
        </Button>
      </Form>

      {failure && !day?.rows.some((r) => r.id === failure.reservationId) ? (
        <Notice variant="error" className="mt-6">
          {failure.message}
        </Notice>
      ) : null}

      {day ? (
        <section aria-labelledby="day-heading" className="mt-10">
          <h2 id="day-heading" className="text-2xl font-bold">
            {day.venueName} {formatDateJa(day.date)}
          </h2>
          <p className="mt-2" aria-live="polite">
            {day.rows.length}件（{counts.map((c) => `${STATUS_LABELS[c.s]} ${c.n}`).join("、")}）
          </p>
          {day.date > today ? <p className="mt-1">来場の記録は接種日の当日から行えます。</p> : null}
          {day.date < today ? (
            <p className="mt-1">過去の日付です。来場の記録はできますが、取り消しは接種当日のみ行えます。</p>
          ) : null}

          <Form
            method="get"
            action={`/c/${params.city}/admin/venue-day/export`}
            reloadDocument
            className="mt-6 flex flex-wrap items-end gap-4"
          >
            <input type="hidden" name="venue" value={day.venueId} />
            <input type="hidden" name="date" value={day.date} />
            <SelectField
              label="CSVの文字コード"
              name="encoding"
              options={[
                { value: "utf-8", label: "UTF-8（BOM付き・通常はこちら）" },
                { value: "shift_jis", label: "Shift_JIS（古いExcel・他システム向け）" },
              ]}
              defaultValue="utf-8"
              hint="Shift_JISで表せない文字（𠮷など）は「〓」に置き換わります。"
              className="min-w-80"
            />
            <Button type="submit" variant="secondary">
              CSVを出力
            </Button>
          </Form>

          <div className="mt-6">
            <AttendanceTable
              venueId={day.venueId}
              date={day.date}
              today={today}
              rows={day.rows}
              busy={busy}
              result={failure}
            />
          </div>
        </section>
      ) : null}
    </>
  );
}
