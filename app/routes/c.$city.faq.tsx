import { Form, Link } from "react-router";
import type { Route } from "./+types/c.$city.faq";
import { CurrentCityContact } from "~/components/city-contact";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { getDb } from "#db/client.server";
import { linkParts } from "~/features/faq/links";
import { publicFaq, type PublicFaqEntry } from "~/features/faq/public.server";
import { tPlain } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { tenantContext } from "~/tenants/context";

// The city's よくある質問 (issue 16): a GET search form and category links, answers in <details>;
// works without JavaScript. The chrome is in the resident's language, the entries are the city's.
export async function loader({ context, request }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const url = new URL(request.url);
  const q = url.searchParams.get("q")?.slice(0, 200) ?? "";
  const category = url.searchParams.get("category")?.slice(0, 40) ?? "";
  const faq = await publicFaq(getDb(), tenant.id, { q, category: category || null });
  const all = category ? await publicFaq(getDb(), tenant.id, {}) : faq;
  return {
    city: { slug: tenant.slug, name: tenant.name },
    q,
    category,
    categoryNames: all.categories.map((c) => c.name),
    ...faq,
  };
}

export const meta: Route.MetaFunction = ({ data, matches }) => {
  const lang = (matches[0]?.loaderData as { lang?: string } | undefined)?.lang ?? "ja";
  return [{ title: `${tPlain(lang, "faq:title")} | ${tPlain(lang, "city.title", { city: data?.city.name ?? "" })}` }];
};

function Answer({ text }: { text: string }) {
  return (
    <p className="mt-2 whitespace-pre-wrap break-words">
      {linkParts(text).map((p, i) =>
        p.href ? (
          <a key={i} href={p.href} rel="noopener noreferrer">
            {p.text}
          </a>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </p>
  );
}

function Entries({ entries }: { entries: PublicFaqEntry[] }) {
  return (
    <ul className="mt-3 flex flex-col gap-3">
      {entries.map((e) => (
        <li key={e.id} className="rounded-8 border border-solid-gray-300 p-4">
          <details>
            <summary className="min-h-tap cursor-pointer text-lg font-bold">{e.question}</summary>
            <Answer text={e.answer} />
          </details>
        </li>
      ))}
    </ul>
  );
}

export default function FaqPage({ loaderData }: Route.ComponentProps) {
  const { city, q, category, categoryNames, categories, results } = loaderData;
  const { t, ts, lang } = useT();
  const base = `/c/${city.slug}/faq`;
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <h1 className="text-3xl font-bold">{t("faq:title")}</h1>
      <p className="mt-4 text-lg">{t("faq:lead", { city: city.name })}</p>
      {lang.startsWith("ja") ? null : <p className="mt-2">{t("faq:answersInJapanese")}</p>}
      <Form method="get" action={base} className="mt-6 flex flex-wrap items-end gap-3" role="search">
        <div className="flex min-w-0 flex-1 flex-col">
          <label htmlFor="faq-q" className="font-bold">
            {t("faq:searchLabel")}
          </label>
          <span id="faq-q-hint" className="text-solid-gray-700">
            {t("faq:searchHint")}
          </span>
          <input
            id="faq-q"
            name="q"
            type="search"
            defaultValue={q}
            maxLength={200}
            aria-describedby="faq-q-hint"
            className="min-h-tap rounded-8 border border-solid-gray-600 px-3"
          />
        </div>
        <button type="submit" className="min-h-tap rounded-8 bg-blue-900 px-6 font-bold text-white">
          {ts("faq:search")}
        </button>
      </Form>

      {results ? (
        <section aria-labelledby="faq-results" className="mt-8">
          <h2 id="faq-results" className="text-2xl font-bold">
            {t("faq:results", { q })}
          </h2>
          {results.length ? <Entries entries={results} /> : <p className="mt-3">{t("faq:noResults", { q })}</p>}
        </section>
      ) : null}

      <nav aria-labelledby="faq-categories" className="mt-8">
        <h2 id="faq-categories" className="text-2xl font-bold">
          {t("faq:categories")}
        </h2>
        <ul className="mt-3 flex flex-wrap gap-2">
          {[{ name: "", label: ts("faq:all") }, ...categoryNames.map((n) => ({ name: n, label: n }))].map((c) => (
            <li key={c.name}>
              <Link
                to={c.name ? `${base}?category=${encodeURIComponent(c.name)}` : base}
                aria-current={c.name === category ? "page" : undefined}
                className="inline-flex min-h-tap items-center rounded-8 border border-solid-gray-600 px-3 aria-[current=page]:bg-blue-900 aria-[current=page]:text-white"
              >
                {c.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      {categories.length === 0 ? <p className="mt-6">{t("faq:empty")}</p> : null}
      {categories.map((c) => (
        <section key={c.name} aria-label={c.name} className="mt-8">
          <h2 className="text-2xl font-bold">{c.name}</h2>
          <Entries entries={c.entries} />
        </section>
      ))}

      <p className="mt-10">{t("faq:contact")}</p>
      <CurrentCityContact className="mt-3" />
    </ResidentLayout>
  );
}
