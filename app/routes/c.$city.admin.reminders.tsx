import { Form, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.reminders";
import { requireRole } from "~/auth/guards.server";
import { clientAddress } from "~/lib/client-address.server";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { loadCallListPage } from "~/features/reminders/call-list-page.server";
import { callMarkSchema } from "~/features/reminders/call-list.schemas";
import { markCalled } from "~/features/reminders/call-list.server";
import { CallListTable, rowKey } from "~/features/reminders/components/call-list-table";
import printCss from "~/features/reminders/components/call-list-print.css?url";
import { formatDateJa } from "~/lib/japan-time";
import { parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export const meta: Route.MetaFunction = () => [{ title: "リマインダー電話リスト | 窓口" }];

export async function loader({ context, request }: Route.LoaderArgs) {
  // Names and phone numbers: operators and admins only, never analysts.
  const staff = requireRole(context, ["admin", "operator"]);
  const tenant = context.get(tenantContext);
  const query = Object.fromEntries(new URL(request.url).searchParams);
  return loadCallListPage(getDb(), {
    tenantId: tenant.id,
    query,
    staffUserId: staff.user.id,
    ip: clientAddress(context),
  });
}

export async function action({ context, request }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin", "operator"]);
  const tenant = context.get(tenantContext);
  const parsed = parseForm(callMarkSchema, await readForm(request));
  if (!parsed.ok)
    return {
      ok: false as const,
      key: "",
      message: Object.values(parsed.errors)[0] ?? "操作を受け付けられませんでした。",
    };
  const { date, reservationId, slotId, rule, intent } = parsed.data;
  const key = rowKey({ reservationId, slotId, ruleKey: rule });
  const result = await markCalled(getDb(), {
    tenantId: tenant.id,
    date,
    reservationId,
    slotId,
    ruleKey: rule,
    undo: intent === "undo",
    staffUserId: staff.user.id,
    ip: clientAddress(context),
  });
  return result.ok ? { ok: true as const, key } : { ok: false as const, key, message: result.message };
}

/** On paper only the list: a print stylesheet linked by this page alone (ADR 024: no inline <style>). */
export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: printCss }];

export default function RemindersCallListPage({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const { rows, date, error, today } = loaderData;
  const failure = actionData && !actionData.ok ? actionData : null;
  const waiting = rows.filter((r) => !r.calledAt).length;
  return (
    <>
      <div className="print:hidden">
        <PageHeader
          title="リマインダー電話リスト"
          description="LINEもメールも届かない方（電話予約など）へのリマインダーです。選んだ日にお知らせする予定の予約を、お知らせの時刻順に表示します。電話をしたら「電話済み」を押してください。表示と操作はすべて記録されます。"
        />
        <Form method="get" className="flex flex-wrap items-end gap-4">
          <TextField
            label="お知らせする日"
            name="date"
            type="date"
            required
            defaultValue={date}
            error={error ?? undefined}
            className="w-56"
          />
          <Button type="submit" variant="secondary">
            表示する
          </Button>
          <Button type="button" variant="secondary" onClick={() => window.print()}>
            印刷する
          </Button>
        </Form>
        {failure && !rows.some((r) => rowKey(r) === failure.key) ? (
          <Notice variant="error" className="mt-6">
            {failure.message}
          </Notice>
        ) : null}
      </div>

      {error ? null : (
        <section aria-labelledby="call-list-heading" className="mt-10 print:mt-0">
          <h2 id="call-list-heading" className="text-2xl font-bold">
            {formatDateJa(date)} のリマインダー電話リスト{date === today ? "（今日）" : ""}
          </h2>
          <p className="mt-2" aria-live="polite">
            {rows.length}件（未連絡 {waiting}件、電話済み {rows.length - waiting}件）
          </p>
          <div className="mt-6">
            <CallListTable date={date} rows={rows} busy={busy} result={failure && failure.key ? failure : null} />
          </div>
        </section>
      )}
    </>
  );
}
