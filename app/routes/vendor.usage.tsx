import { Form, Link } from "react-router";
import type { Route } from "./+types/vendor.usage";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { monthSchema } from "~/features/billing/billing.schemas";
import { UsageTable } from "~/features/billing/components/billing-parts";
import { monthLabel } from "~/features/billing/labels";
import { recentMonths, usageReport } from "~/features/billing/usage.server";

export const meta: Route.MetaFunction = () => [{ title: "利用状況 | 窓口 ベンダーコンソール" }];

export async function loader({ request }: Route.LoaderArgs) {
  const raw = new URL(request.url).searchParams.get("month");
  const parsed = raw === null ? null : monthSchema.safeParse(raw);
  const error = parsed && !parsed.success ? parsed.error.issues[0]!.message : null;
  const month = parsed?.success ? parsed.data : recentMonths(1)[0]!;
  const rows = await usageReport(getDb(), month);
  return { month, error, rows };
}

export default function VendorUsage({ loaderData }: Route.ComponentProps) {
  const { month, error, rows } = loaderData;
  const m = month.slice(0, 7);
  const total = rows.reduce(
    (t, r) => ({
      friends: t.friends + r.friends,
      lineMessages: t.lineMessages + r.lineMessages,
      reservations: t.reservations + r.reservations,
      broadcasts: t.broadcasts + r.broadcasts,
    }),
    { friends: 0, lineMessages: 0, reservations: 0, broadcasts: 0 },
  );
  return (
    <>
      <PageHeader
        title="利用状況"
        description={`${monthLabel(month)}・自治体ごと（日本時間の暦月）。LINE送信数は受信者ごとに数えます（LINEの課金単位）。友だち数は月末時点（当月は現在）。`}
      />
      {error ? (
        <Notice variant="error" className="mt-4">
          {error}
        </Notice>
      ) : null}
      <Form method="get" className="mt-4 flex flex-wrap items-end gap-4">
        <TextField label="対象月" name="month" type="month" defaultValue={m} className="w-56" />
        <Button type="submit" variant="secondary">
          表示する
        </Button>
      </Form>
      <p className="mt-4 flex flex-wrap gap-6">
        <a className="underline" href={`/vendor/usage/export?month=${m}`} download>
          CSVをダウンロード（Excel用 UTF-8）
        </a>
        <a className="underline" href={`/vendor/usage/export?month=${m}&encoding=shift_jis`} download>
          CSVをダウンロード（Shift_JIS）
        </a>
        <Link className="underline" to="/vendor/billing">
          請求の状況
        </Link>
      </p>
      <div className="mt-6">
        <UsageTable
          caption={`${monthLabel(month)}の利用状況`}
          firstHeader="自治体"
          rows={[
            ...rows.map((r) => ({ key: r.tenantId, label: r.name, ...r })),
            { key: "total", label: "合計", ...total },
          ]}
        />
      </div>
    </>
  );
}
