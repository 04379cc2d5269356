import { Form, Link, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.slots.import";
import { requireRole } from "~/auth/guards.server";
import { clientAddress } from "~/lib/client-address.server";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { listServices } from "~/features/services/services.server";
import { MAX_CSV_BYTES, MAX_CSV_ROWS } from "~/features/slots/limits";
import { importSlotsCsv } from "~/features/slots/slot-import.server";
import { importSchema } from "~/features/slots/slots.schemas";
import { formFailure, parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export const meta: Route.MetaFunction = () => [{ title: "予約枠をCSVで取り込む | 管理画面" }];

export async function loader({ context }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const services = await listServices(getDb(), context.get(tenantContext).id);
  return { services: services.map((s) => ({ value: s.id, label: s.active ? s.name : `${s.name}（停止中）` })) };
}

export async function action({ context, request }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  // Refuse an oversized upload before buffering it (the multipart body is read into memory).
  if (Number(request.headers.get("content-length") ?? 0) > MAX_CSV_BYTES + 64 * 1024) {
    return { ...formFailure({ file: "ファイルが大きすぎます（2MBまで）。ファイルを分けてください。" }), problems: [] };
  }
  const form = await readForm(request, { maxBytes: MAX_CSV_BYTES + 64 * 1024 });
  const parsed = parseForm(importSchema, form);
  const file = form.get("file");
  const fileError = file instanceof File && file.size > 0 ? null : "CSVファイルを選んでください。";
  if (!parsed.ok || fileError) {
    const errors = { ...(parsed.ok ? {} : parsed.errors), ...(fileError ? { file: fileError } : {}) };
    return { ...formFailure(errors, { serviceId: String(form.get("serviceId") ?? "") }), problems: [] };
  }
  const upload = file as File;
  const result = await importSlotsCsv(
    getDb(),
    context.get(tenantContext).id,
    { serviceId: parsed.data.serviceId, filename: upload.name, bytes: new Uint8Array(await upload.arrayBuffer()) },
    { staffUserId: staff.user.id, ip: clientAddress(context) },
  );
  if (result.ok) return { ...result, filename: upload.name };
  const values = { serviceId: parsed.data.serviceId };
  return "problems" in result
    ? { ...formFailure({}, values), problems: result.problems }
    : { ...formFailure(result.errors, values), problems: [] };
}

const SAMPLE = `会場名,日付,開始,終了,Web枠,電話枠
市民会館,2026/12/01,9:00,9:30,20,10
市民会館,2026/12/01,9:30,10:00,20,10
保健センター,2026-12-02,13:00,13:30,15,5`;

export default function ImportSlotsPage({ loaderData, actionData, params }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : null;
  return (
    <>
      <PageHeader
        title="予約枠をCSVで取り込む"
        description="Excelなどで作った枠の一覧を、1つのサービスの枠としてまとめて登録します。1行でも問題があれば何も登録されません。"
      />
      {actionData?.ok ? (
        <Notice
          variant="success"
          title={`${actionData.created.toLocaleString("ja-JP")}枠を登録しました。`}
          className="mb-6"
        >
          <p>
            「{actionData.filename}」の{actionData.rows.toLocaleString("ja-JP")}行を読み込みました（文字コード:{" "}
            {actionData.encoding === "shift_jis" ? "Shift_JIS" : "UTF-8"}）。
            {actionData.existing > 0
              ? `すでにあった${actionData.existing.toLocaleString("ja-JP")}枠はそのままです。`
              : ""}
          </p>
          <Link to={`/c/${params.city}/admin/slots`}>予約枠の一覧で確認する</Link>
        </Notice>
      ) : null}
      {failure && failure.problems.length > 0 ? (
        <Notice
          variant="error"
          title={`ファイルに${failure.problems.length}件の問題があるため、何も登録していません。修正してもう一度取り込んでください。`}
          className="mb-6"
        >
          <ul className="list-disc pl-6">
            {failure.problems.slice(0, 200).map((p, i) => (
              <li key={i}>
                {p.line}行目: {p.message}
              </li>
            ))}
          </ul>
          {failure.problems.length > 200 ? <p>ほか{failure.problems.length - 200}件</p> : null}
        </Notice>
      ) : null}

      <Form method="post" encType="multipart/form-data" className="max-w-2xl space-y-6" noValidate>
        <SelectField
          label="サービス"
          name="serviceId"
          required
          placeholder="選択してください"
          options={loaderData.services}
          defaultValue={failure?.values.serviceId}
          error={failure?.errors.serviceId}
        />
        <TextField
          label="CSVファイル"
          name="file"
          type="file"
          accept=".csv,text/csv"
          required
          hint={`UTF-8（BOM付き・なし）またはShift_JIS。${MAX_CSV_ROWS.toLocaleString("ja-JP")}行・2MBまで。`}
          error={failure?.errors.file}
        />
        <Button type="submit" disabled={busy}>
          取り込む
        </Button>
      </Form>

      <Card title="CSVの書き方" className="mt-10 max-w-3xl">
        <ul className="list-disc space-y-1 pl-6">
          <li>1行目は見出しです。列の順番は自由です。</li>
          <li>「会場名」（会場の管理に登録した名前）か「会場ID」のどちらかの列が必要です。</li>
          <li>
            「日付」は 2026-12-01 または 2026/12/01、「開始」「終了」は 9:00 のように24時間表記で書きます（日本時間）。
          </li>
          <li>「Web枠」「電話枠」は0〜1000の整数です。</li>
          <li>同じ会場・同じ開始時刻の枠がすでにある行は、登録済みとして飛ばします。</li>
        </ul>
        <p className="mt-4 font-bold">例</p>
        <pre className="mt-2 overflow-x-auto rounded-8 bg-solid-gray-50 p-4 text-[0.875em]">{SAMPLE}</pre>
      </Card>
    </>
  );
}
