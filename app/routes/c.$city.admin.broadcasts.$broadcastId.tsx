import { data, Form, Link, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.broadcasts.$broadcastId";
import { requireRole } from "~/auth/guards.server";
import { clientAddress } from "~/lib/client-address.server";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { DataTable } from "~/components/ui/data-table";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { broadcastDetail, cancelBroadcast, stopRun } from "~/features/broadcasts/broadcasts.server";
import { describeSegment } from "~/features/broadcasts/compose";
import { MessagePreview, type PreviewContent } from "~/features/broadcasts/components/message-preview";
import {
  localizedContent,
  VERSION_LANGUAGES,
  versionLanguages,
  type BroadcastContent,
} from "~/features/broadcasts/versions";
import { RunProgress } from "~/features/broadcasts/components/progress";
import { describeRule } from "~/features/broadcasts/recurrence";
import { countText, KIND_LABEL, RUN_STATUS_LABEL, STATUS_LABEL } from "~/features/broadcasts/view";
import { usePollWhile } from "~/lib/use-poll-while";
import { formatDateTimeJa } from "~/lib/japan-time";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function loader({ context, params }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const found = UUID.test(params.broadcastId) ? await broadcastDetail(getDb(), tenant.id, params.broadcastId) : null;
  if (!found) throw data({ message: "この配信は見つかりません。" }, { status: 404 });
  return { ...found, city: { slug: tenant.slug, name: tenant.name, topics: tenant.topics, areas: tenant.areas } };
}

export function meta({ data: loaded }: Route.MetaArgs) {
  return [{ title: loaded ? `配信: ${loaded.broadcast.title} | 管理画面` : "配信 | 管理画面" }];
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  if (!UUID.test(params.broadcastId)) throw data({ message: "この配信は見つかりません。" }, { status: 404 });
  const form = await readForm(request);
  const actor = { staffUserId: staff.user.id, ip: clientAddress(context) };
  if (form.get("intent") === "stop-run") {
    const runId = String(form.get("runId") ?? "");
    if (!UUID.test(runId))
      return { ok: false as const, message: "中止する配信が見つかりません。画面を読み込み直してください。" };
    const r = await stopRun(getDb(), { tenantId: tenant.id, broadcastId: params.broadcastId, runId, actor });
    if (!r.ok) return r;
    const next = r.recurring ? "次回以降の予定はそのままです。" : "";
    return {
      ok: true as const,
      message: `送信を中止しました。${countText(r.sentRecipients)}に送信済み・${countText(r.unsentRecipients)}は未送信です（中止の時点で送信中だった分は届き、数に加わります）。${next}`,
    };
  }
  const r = await cancelBroadcast(getDb(), { tenantId: tenant.id, id: params.broadcastId, actor });
  return r.ok ? { ok: true as const, message: "配信予約を取り消しました。この配信は送られません。" } : r;
}

export default function BroadcastPage({ loaderData, actionData }: Route.ComponentProps) {
  const { broadcast: b, runs, city } = loaderData;
  const navigation = useNavigation();
  const active = b.status === "sending" || runs.some((r) => r.status === "pending" || r.status === "sending");
  usePollWhile(active);
  const media = (id?: string) => (id ? `/c/${city.slug}/media/${id}` : null);
  const previewOf = (c: BroadcastContent): PreviewContent =>
    c.kind === "text"
      ? c
      : c.kind === "image"
        ? { kind: "image", src: media(c.mediaId) }
        : { ...c, imageSrc: media(c.mediaId) };
  const versions = VERSION_LANGUAGES.filter((l) => versionLanguages(b.versions).includes(l.code));
  const latest = runs[0];
  const stoppable = latest && (latest.status === "pending" || latest.status === "sending") ? latest : null;
  return (
    <>
      <PageHeader title={b.title} description={`${KIND_LABEL[b.messageKind]}の配信・${STATUS_LABEL[b.status]}`} />
      {actionData ? (
        <Notice variant={actionData.ok ? "success" : "error"} className="mb-6">
          {actionData.message}
        </Notice>
      ) : null}
      <div className="grid gap-6 xl:grid-cols-[3fr_2fr]">
        <Card title="配信の内容">
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2">
            <dt className="font-bold">状態</dt>
            <dd>{STATUS_LABEL[b.status]}</dd>
            <dt className="font-bold">言語</dt>
            <dd>{["日本語", ...versions.map((l) => l.name)].join("・")}（版のない言語の友だちには日本語）</dd>
            <dt className="font-bold">配信先</dt>
            <dd>{describeSegment(b.segment, city)}</dd>
            <dt className="font-bold">配信日時</dt>
            <dd>{b.recurrence ? describeRule(b.recurrence) : b.sendAt ? formatDateTimeJa(b.sendAt) : "—"}</dd>
            {b.nextRunAt ? (
              <>
                <dt className="font-bold">次回の配信</dt>
                <dd>{formatDateTimeJa(b.nextRunAt)}</dd>
              </>
            ) : null}
          </dl>
          {stoppable ? (
            <Form method="post" className="mt-6 space-y-2">
              <input type="hidden" name="runId" value={stoppable.id} />
              <p>
                {b.recurrence
                  ? "今回の送信だけを中止します。次回以降の予定はそのままです。"
                  : "まだ送っていない人には送られません。送信済みの人への取り消しはできません。"}
              </p>
              <Button
                type="submit"
                name="intent"
                value="stop-run"
                variant="danger"
                disabled={navigation.state !== "idle"}
              >
                {b.recurrence ? "今回の送信を中止" : "送信を中止"}
              </Button>
            </Form>
          ) : null}
          {b.status === "scheduled" ? (
            <Form method="post" className="mt-6">
              <Button
                type="submit"
                name="intent"
                value="cancel"
                variant="danger"
                disabled={navigation.state !== "idle"}
              >
                配信予約を取り消す
              </Button>
            </Form>
          ) : null}
        </Card>
        <Card title="LINEでの表示">
          <div className="space-y-4">
            <MessagePreview
              content={previewOf(b.content)}
              cityName={city.name}
              caption={versions.length ? "日本語" : undefined}
            />
            {versions.map(({ code, name }) => (
              <MessagePreview
                key={code}
                content={previewOf(localizedContent(b.content, b.versions, code))}
                cityName={city.name}
                caption={name}
                lang={code}
              />
            ))}
          </div>
        </Card>
      </div>
      {latest ? (
        <Card title="最新の配信の進み具合" className="mt-6">
          <RunProgress run={latest} label="最新の配信の進み具合" />
          {latest.error ? (
            <Notice variant="error" role="none" className="mt-4">
              {latest.error}
            </Notice>
          ) : null}
        </Card>
      ) : null}
      <DataTable
        className="mt-8"
        caption="配信の記録"
        rows={runs}
        rowKey={(r) => r.id}
        emptyMessage="まだ配信していません。"
        columns={[
          { header: "予定日時", rowHeader: true, cell: (r) => formatDateTimeJa(r.scheduledFor) },
          { header: "状態", cell: (r) => RUN_STATUS_LABEL[r.status] },
          { header: "対象", numeric: true, cell: (r) => countText(r.totalRecipients) },
          { header: "送信済み", numeric: true, cell: (r) => countText(r.sentRecipients) },
          { header: "送信できず", numeric: true, cell: (r) => countText(r.failedRecipients) },
          {
            header: "まとまり（500人ずつ）",
            numeric: true,
            cell: (r) => `${r.sentChunks + r.failedChunks} / ${r.totalChunks}`,
          },
          {
            header: "所要時間",
            cell: (r) =>
              r.startedAt && r.finishedAt
                ? `${Math.max(1, Math.round((new Date(r.finishedAt).getTime() - new Date(r.startedAt).getTime()) / 1000))}秒`
                : "—",
          },
        ]}
      />
      <p className="mt-8">
        <Link to={`/c/${city.slug}/admin/broadcasts`}>配信の一覧に戻る</Link>
      </p>
    </>
  );
}
