import { Form } from "react-router";
import { Button } from "~/components/ui/button";
import { DataTable } from "~/components/ui/data-table";
import { Pager } from "~/components/ui/pager";
import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import type { PageInfo } from "~/lib/paging";
import type { AuditFilters, AuditRow } from "../audit-log.server";

type Props = {
  filters: AuditFilters;
  rows: AuditRow[];
  page: PageInfo;
  staff: { id: string; name: string }[];
  actions: string[];
  /** The vendor's log filters by city instead of by object. */
  cities?: { id: string; name: string }[];
  exportHref: string;
};

/** The audit log with its filters (a GET form: the filters live in the URL, paging keeps them). */
export function AuditView({ filters, rows, page, staff, actions, cities, exportHref }: Props) {
  return (
    <>
      <Form method="get" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <SelectField
          label="操作者"
          name="actor"
          defaultValue={filters.actor}
          options={[{ value: "", label: "すべて" }, ...staff.map((s) => ({ value: s.id, label: s.name }))]}
        />
        <SelectField
          label="操作"
          name="action"
          defaultValue={filters.action}
          options={[{ value: "", label: "すべて" }, ...actions.map((a) => ({ value: a, label: a }))]}
        />
        {cities ? (
          <SelectField
            label="自治体"
            name="target"
            defaultValue={filters.target}
            options={[{ value: "", label: "すべて" }, ...cities.map((c) => ({ value: c.id, label: c.name }))]}
          />
        ) : (
          <TextField label="対象（種類またはID）" name="target" defaultValue={filters.target} hint="例：reservation" />
        )}
        <TextField label="開始日" name="from" type="date" defaultValue={filters.from} />
        <TextField label="終了日" name="to" type="date" defaultValue={filters.to} />
        <label className="flex min-h-tap items-center gap-2 self-end">
          <input type="checkbox" name="personal" value="1" defaultChecked={filters.personal} />
          個人情報の閲覧・出力だけ
        </label>
        <div className="flex flex-wrap items-center gap-6 sm:col-span-2 lg:col-span-3">
          <Button type="submit" variant="secondary">
            絞り込む
          </Button>
          <a href={exportHref} download>
            この条件でCSVに保存（保存したことも記録されます）
          </a>
        </div>
      </Form>
      <DataTable
        className="mt-8"
        caption="操作記録"
        rows={rows}
        rowKey={(r) => r.id}
        emptyMessage="条件に合う記録はありません。"
        columns={[
          { header: "日時", cell: (r) => r.at, rowHeader: true },
          { header: "操作者", cell: (r) => r.actorName },
          { header: "操作", cell: (r) => <code>{r.action}</code> },
          { header: "対象", cell: (r) => r.target },
          { header: "詳細", cell: (r) => <span className="break-all">{r.detail}</span> },
          { header: "IPアドレス", cell: (r) => r.ip },
        ]}
      />
      <Pager {...page} shown={rows.length} label="操作記録のページ" />
    </>
  );
}
