import { DataTable } from "~/components/ui/data-table";
import { useT } from "~/lib/i18n/react";
import type { AreaPage } from "../pages.server";

/**
 * The month as an accessible table, one row per day (a 7-column grid does not fit category names
 * on a phone at 320 px, and a row per day reads in order with a screen reader). No JavaScript.
 */
export function GarbageMonth({ page }: { page: Pick<AreaPage, "area" | "month" | "days" | "today"> }) {
  const { ts, tp } = useT();
  return (
    <DataTable
      caption={ts("garbage:page.calendarCaption", {
        area: page.area,
        year: page.month.slice(0, 4),
        month: Number(page.month.slice(5)),
      })}
      rowKey={(d) => d.date}
      columns={[
        {
          header: ts("garbage:page.dayHeader"),
          rowHeader: true,
          cell: (d) => (
            <span
              className={d.weekday === 0 || d.holiday ? "text-error-2" : d.weekday === 6 ? "text-blue-900" : undefined}
            >
              {ts("garbage:date", {
                month: Number(page.month.slice(5)),
                day: d.day,
                weekday: tp(`garbage:weekdays.${d.weekday}`),
              })}
              {d.date === page.today ? ` ${ts("garbage:today")}` : ""}
              {d.holiday ? <span className="block text-sm">{d.holiday}</span> : null}
            </span>
          ),
        },
        {
          header: ts("garbage:page.itemsHeader"),
          cell: (d) => (
            <>
              {d.categories.length ? <span className="font-bold">{d.categories.join("・")}</span> : null}
              {d.cancelled.map((c) => (
                <span key={c.category} className="block text-sm">
                  {c.category}：{ts("garbage:page.noCollection")}（{ts(`garbage:page.why.${c.why}`)}）
                </span>
              ))}
            </>
          ),
        },
      ]}
      rows={page.days}
    />
  );
}
