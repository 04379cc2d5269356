import { Form, Link, data } from "react-router";
import type { Route } from "./+types/c.$city.garbage.$area";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { Button } from "~/components/ui/button";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { GarbageMonth } from "~/features/garbage/components/garbage-month";
import { garbageAreaPage } from "~/features/garbage/pages.server";
import { tPlain } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { tenantContext } from "~/tenants/context";

/** One area's garbage days: next dates, the month as a table, item search (GET), the .ics feed. */
export async function loader({ context, params, request }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const url = new URL(request.url);
  const page = await garbageAreaPage(
    getDb(),
    tenant,
    { area: params.area, month: url.searchParams.get("month"), q: url.searchParams.get("q") },
    new Date(),
  );
  if (!page) throw data({ message: "この地区のごみの日の情報はありません。" }, { status: 404 });
  return { city: { slug: tenant.slug, name: tenant.name }, page };
}

export const meta: Route.MetaFunction = ({ data: d, matches }) => {
  const lang = (matches[0]?.loaderData as { lang?: string } | undefined)?.lang ?? "ja";
  return [{ title: `${d?.page.area ?? ""} | ${tPlain(lang, "garbage:metaTitle", { city: d?.city.name ?? "" })}` }];
};

export default function GarbageArea({ loaderData }: Route.ComponentProps) {
  const { city, page } = loaderData;
  const { t, ts } = useT();
  const base = `/c/${city.slug}/garbage/${encodeURIComponent(page.area)}`;
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <h1 className="text-3xl font-bold">
        {page.area} {t("garbage:title")}
      </h1>
      <section aria-labelledby="next" className="mt-6">
        <h2 id="next" className="text-xl font-bold">
          {t("garbage:page.next")}
        </h2>
        <dl className="mt-3 grid gap-2">
          {page.next.map((n) => (
            <div key={n.category} className="rounded-lg border border-solid-gray-300 p-3">
              <dt className="font-bold">{n.category}</dt>
              <dd>{n.date ? <DateText date={n.date} today={page.today} /> : t("garbage:line.none")}</dd>
              {n.description ? <dd className="text-solid-gray-700">{n.description}</dd> : null}
              {n.remarks.map((r) => (
                <dd key={r} className="text-solid-gray-700">
                  ※ {r}
                </dd>
              ))}
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="search" className="mt-8">
        <h2 id="search" className="text-xl font-bold">
          {t("garbage:page.searchButton")}
        </h2>
        <Form method="get" action={base} className="mt-3 flex flex-wrap items-end gap-3">
          <input type="hidden" name="month" value={page.month} />
          <TextField label={ts("garbage:page.searchLabel")} name="q" defaultValue={page.query} className="grow" />
          <Button type="submit">{t("garbage:page.searchButton")}</Button>
        </Form>
        {page.results ? (
          page.results.length ? (
            <ul className="mt-4 grid gap-2" aria-live="polite">
              {page.results.map((r) => (
                <li key={`${r.category}:${r.name}`} className="rounded-lg border border-solid-gray-300 p-3">
                  <p className="font-bold">{r.name}</p>
                  <p>
                    {t("garbage:page.category")}：{r.category}
                  </p>
                  {r.notice ? (
                    <p>
                      {t("garbage:page.notice")}：{r.notice}
                    </p>
                  ) : null}
                  {r.next ? (
                    <p>
                      {t("garbage:page.next")}：<DateText date={r.next} today={page.today} />
                    </p>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-4" role="status">
              {t("garbage:page.searchNone", { q: page.query })}
            </p>
          )
        ) : null}
      </section>

      {/* A plain block, not a region: the month's table is already a region of the same name (axe landmark-unique). */}
      <div className="mt-8">
        <h2 id="month" className="sr-only">
          {ts("garbage:page.calendarCaption", {
            area: page.area,
            year: page.month.slice(0, 4),
            month: Number(page.month.slice(5)),
          })}
        </h2>
        <nav className="mb-3 flex justify-between" aria-label={ts("garbage:title")}>
          <Link to={`${base}?month=${page.prevMonth}`} className="min-h-tap underline">
            ← {t("garbage:page.prevMonth")}
          </Link>
          <Link to={`${base}?month=${page.nextMonth}`} className="min-h-tap underline">
            {t("garbage:page.nextMonth")} →
          </Link>
        </nav>
        <GarbageMonth page={page} />
      </div>

      <p className="mt-8 flex flex-wrap gap-x-6 gap-y-2">
        <a href={`${base}/calendar.ics`} className="min-h-tap font-bold underline">
          {t("garbage:page.ics")}
        </a>
        <Link to={`/c/${city.slug}/garbage`} className="min-h-tap underline">
          {t("garbage:page.otherArea")}
        </Link>
      </p>
    </ResidentLayout>
  );
}

function DateText({ date, today }: { date: string; today: string }) {
  const { t, tp } = useT();
  const [, m, d] = date.split("-").map(Number);
  const weekday = tp(`garbage:weekdays.${new Date(`${date}T00:00:00Z`).getUTCDay()}`);
  return (
    <>
      {date === today ? <>{t("garbage:today")} </> : null}
      {t("garbage:date", { month: m!, day: d!, weekday })}
    </>
  );
}
