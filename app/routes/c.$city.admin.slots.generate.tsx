import { Form, Link, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.slots.generate";
import { requireRole } from "~/auth/guards.server";
import { clientAddress } from "~/lib/client-address.server";
import { CheckboxField } from "~/components/ui/fields";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { listServices } from "~/features/services/services.server";
import { generateSlots, previewGeneration } from "~/features/slots/slot-generate.server";
import { addDays, tokyoDateOf } from "~/lib/japan-time";
import { WEEKDAY_LABELS } from "~/features/slots/calendar";
import { generateSchema, RANGE_ROWS, WEEKDAY_ORDER } from "~/features/slots/slots.schemas";
import { listVenues } from "~/features/venues/venues.server";
import { formatDateJa, formatDateTimeJa } from "~/lib/japan-time";
import { echoValues, parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export const meta: Route.MetaFunction = () => [{ title: "予約枠をまとめて作成 | 管理画面" }];

export async function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const tenantId = context.get(tenantContext).id;
  const [venues, services] = await Promise.all([listVenues(getDb(), tenantId), listServices(getDb(), tenantId)]);
  const start = addDays(tokyoDateOf(new Date()), 1);
  const defaults: Record<string, string> = {
    venueId: new URL(request.url).searchParams.get("venueId") ?? "",
    serviceId: services.length === 1 ? services[0]!.id : "",
    dateFrom: start,
    dateTo: addDays(start, 13),
    wd1: "on",
    wd2: "on",
    wd3: "on",
    wd4: "on",
    wd5: "on",
    range0Start: "09:00",
    range0End: "12:00",
    range1Start: "13:00",
    range1End: "16:00",
    intervalMinutes: "30",
    webCapacity: "20",
    phoneCapacity: "10",
    skipHolidays: "on",
  };
  return {
    venues: venues.map((v) => ({ value: v.id, label: v.active ? v.name : `${v.name}（停止中）` })),
    services: services.map((s) => ({ value: s.id, label: s.active ? s.name : `${s.name}（停止中）` })),
    defaults,
  };
}

export async function action({ context, request }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const tenantId = context.get(tenantContext).id;
  const form = await readForm(request);
  const values = echoValues(
    Object.fromEntries([...form.entries()].filter((e): e is [string, string] => typeof e[1] === "string")),
  );
  const parsed = parseForm(generateSchema, form);
  if (!parsed.ok) return { kind: "invalid" as const, errors: parsed.errors, values };
  if (form.get("intent") === "create") {
    const result = await generateSlots(getDb(), tenantId, parsed.data, {
      staffUserId: staff.user.id,
      ip: clientAddress(context),
    });
    if (result.ok) return { kind: "created" as const, created: result.created, existing: result.existing, values };
    if ("stale" in result) return { kind: "preview" as const, preview: result.stale, stale: true, values };
    return { kind: "invalid" as const, errors: result.errors, values };
  }
  const result = await previewGeneration(getDb(), tenantId, parsed.data);
  return result.ok
    ? { kind: "preview" as const, preview: result.preview, stale: false, values }
    : { kind: "invalid" as const, errors: result.errors, values };
}

export default function GenerateSlotsPage({ loaderData, actionData, params }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const values = actionData?.values ?? loaderData.defaults;
  const errors: Record<string, string> = actionData?.kind === "invalid" ? actionData.errors : {};
  const preview = actionData?.kind === "preview" ? actionData : null;
  const list = `/c/${params.city}/admin/slots${values.venueId ? `?venueId=${values.venueId}&from=${values.dateFrom ?? ""}` : ""}`;
  if (loaderData.venues.length === 0 || loaderData.services.length === 0) {
    return (
      <>
        <PageHeader title="予約枠をまとめて作成" />
        <Notice variant="info">先に会場とサービスを登録してください。</Notice>
      </>
    );
  }
  return (
    <>
      <PageHeader
        title="予約枠をまとめて作成"
        description="期間・曜日・受付時間から枠を作ります。先に作成される枠の数を確認してから作成します。同じ条件でもう一度作成しても、すでにある枠は重複しません。"
      />
      {actionData?.kind === "created" ? (
        <Notice
          variant="success"
          title={`${actionData.created.toLocaleString("ja-JP")}枠を作成しました。`}
          className="mb-6"
        >
          {actionData.existing > 0 ? (
            <p>すでにあった{actionData.existing.toLocaleString("ja-JP")}枠はそのままです（枠数も変わりません）。</p>
          ) : null}
          <Link to={list}>予約枠の一覧で確認する</Link>
        </Notice>
      ) : null}
      {errors._form ? (
        <Notice variant="error" className="mb-6">
          {errors._form}
        </Notice>
      ) : null}
      {Object.keys(errors).length && !errors._form ? (
        <Notice variant="error" className="mb-6">
          入力内容を確認してください。赤字の項目に問題があります。
        </Notice>
      ) : null}

      <Form method="post" className="max-w-3xl space-y-6" noValidate>
        <div className="grid gap-6 sm:grid-cols-2">
          <SelectField
            label="会場"
            name="venueId"
            required
            placeholder="選択してください"
            options={loaderData.venues}
            defaultValue={values.venueId}
            error={errors.venueId}
          />
          <SelectField
            label="サービス"
            name="serviceId"
            required
            placeholder="選択してください"
            options={loaderData.services}
            defaultValue={values.serviceId}
            error={errors.serviceId}
          />
          <TextField
            label="開始日"
            name="dateFrom"
            type="date"
            required
            defaultValue={values.dateFrom}
            error={errors.dateFrom}
          />
          <TextField
            label="終了日"
            name="dateTo"
            type="date"
            required
            hint="開始日から366日分まで"
            defaultValue={values.dateTo}
            error={errors.dateTo}
          />
        </div>

        <fieldset className="space-y-2" aria-describedby={errors.weekdays ? "weekdays-error" : undefined}>
          <legend className="font-bold">曜日</legend>
          <div className="flex flex-wrap gap-x-6">
            {WEEKDAY_ORDER.map((d) => (
              <CheckboxField
                key={d}
                label={`${WEEKDAY_LABELS[d]}曜日`}
                name={`wd${d}`}
                defaultChecked={values[`wd${d}`] === "on"}
              />
            ))}
          </div>
          {errors.weekdays ? (
            <p id="weekdays-error" className="font-bold text-error-2">
              {errors.weekdays}
            </p>
          ) : null}
          <CheckboxField
            label="祝日（振替休日を含む）と年末年始（12月29日〜1月3日）は作らない"
            name="skipHolidays"
            defaultChecked={values.skipHolidays === "on"}
          />
        </fieldset>

        <fieldset className="space-y-4 rounded-8 border border-solid-gray-420 p-4">
          <legend className="px-1 font-bold">受付時間（日本時間）</legend>
          <p className="text-[0.9375em] text-solid-gray-700">
            例: 午前 09:00〜12:00、午後 13:00〜16:00。使わない行は空欄のままにします。
          </p>
          {Array.from({ length: RANGE_ROWS }, (_, i) => (
            <div key={i} className="grid gap-4 sm:grid-cols-2" role="group" aria-label={`時間帯${i + 1}`}>
              <TextField
                label={`時間帯${i + 1}: 開始`}
                name={`range${i}Start`}
                type="time"
                defaultValue={values[`range${i}Start`]}
                error={errors[`range${i}Start`]}
              />
              <TextField
                label={`時間帯${i + 1}: 終了`}
                name={`range${i}End`}
                type="time"
                defaultValue={values[`range${i}End`]}
                error={errors[`range${i}End`]}
              />
            </div>
          ))}
        </fieldset>

        <div className="grid gap-6 sm:grid-cols-3">
          <TextField
            label="1枠の長さ（分）"
            name="intervalMinutes"
            inputMode="numeric"
            required
            hint="5〜240分"
            defaultValue={values.intervalMinutes}
            error={errors.intervalMinutes}
          />
          <TextField
            label="1枠あたりのWeb枠"
            name="webCapacity"
            inputMode="numeric"
            required
            hint="LINEからの予約を含む"
            defaultValue={values.webCapacity}
            error={errors.webCapacity}
          />
          <TextField
            label="1枠あたりの電話枠"
            name="phoneCapacity"
            inputMode="numeric"
            required
            hint="職員が電話で受ける分"
            defaultValue={values.phoneCapacity}
            error={errors.phoneCapacity}
          />
        </div>

        {preview ? (
          <Notice
            variant={preview.stale ? "warning" : "info"}
            title={
              preview.stale
                ? "確認したあとに条件が変わりました。新しい条件の枠数を確認してください。"
                : "作成される枠の数"
            }
            role="status"
          >
            <p>
              この条件の枠は<strong>{preview.preview.total.toLocaleString("ja-JP")}枠</strong>
              です。うち新しく作成されるのは<strong>{preview.preview.fresh.toLocaleString("ja-JP")}枠</strong>
              {preview.preview.existing > 0
                ? `（${preview.preview.existing.toLocaleString("ja-JP")}枠はすでにあるため作成されません）`
                : ""}
              。
            </p>
            {preview.preview.first && preview.preview.last ? (
              <p>
                最初の枠: {formatDateTimeJa(preview.preview.first)} ／ 最後の枠:{" "}
                {formatDateTimeJa(preview.preview.last)}
              </p>
            ) : null}
            {preview.preview.skippedHolidays.length > 0 ? (
              <p>
                祝日・年末年始のため作らない日:{" "}
                {preview.preview.skippedHolidays.map((h) => `${formatDateJa(h.date)} ${h.name}`).join("、")}
              </p>
            ) : null}
            <input type="hidden" name="previewKey" value={preview.preview.key} />
          </Notice>
        ) : null}

        <div className="flex flex-wrap gap-4">
          <Button
            type="submit"
            name="intent"
            value="preview"
            variant={preview && preview.preview.fresh > 0 ? "secondary" : "primary"}
            disabled={busy}
          >
            {preview ? "もう一度枠数を確認する" : "作成される枠数を確認する"}
          </Button>
          {preview && preview.preview.fresh > 0 ? (
            <Button type="submit" name="intent" value="create" disabled={busy}>
              {preview.preview.fresh.toLocaleString("ja-JP")}枠を作成する
            </Button>
          ) : null}
        </div>
      </Form>
    </>
  );
}
