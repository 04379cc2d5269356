import { Form, redirect } from "react-router";
import type { Route } from "./+types/c.$city.report";
import { CurrentCityContact } from "~/components/city-contact";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { getDb } from "#db/client.server";
import { submitWebReport, webFormOptions } from "~/features/reports/web-form.server";
import { readForm } from "~/lib/form-body.server";
import { tPlain } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { tenantContext } from "~/tenants/context";

// 道路・公園などの通報 on the web (issue 17): one page, no JavaScript needed — the place as area +
// landmark, one optional photo, an optional e-mail. After sending, the same page shows the 受付番号.
export async function loader({ context, request }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const done = new URL(request.url).searchParams.get("done");
  return {
    city: { slug: tenant.slug, name: tenant.name },
    areas: tenant.areas,
    categories: await webFormOptions(getDb(), tenant.id),
    done: done && /^R-[0-9A-Z]{7}$/.test(done) ? done : null,
  };
}

export const meta: Route.MetaFunction = ({ data, matches }) => {
  const lang = (matches[0]?.loaderData as { lang?: string } | undefined)?.lang ?? "ja";
  return [
    { title: `${tPlain(lang, "reports:web.title")} | ${tPlain(lang, "city.title", { city: data?.city.name ?? "" })}` },
  ];
};

export async function action({ context, request }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  const form = await readForm(request, { maxBytes: 11 * 1024 * 1024 });
  const v = (k: string) => {
    const x = form.get(k);
    return typeof x === "string" ? x : "";
  };
  const file = form.get("photo");
  const photo = file instanceof File && file.size > 0 ? new Uint8Array(await file.arrayBuffer()) : null;
  const values = {
    category: v("category"),
    area: v("area"),
    landmark: v("landmark"),
    description: v("description"),
    email: v("email"),
  };
  const result = await submitWebReport(getDb(), tenant, { ...values, photo });
  if (!result.ok) return { errors: result.errors, values };
  return redirect(`/c/${tenant.slug}/report?done=${result.number}${result.emergency ? "&urgent=1" : ""}`);
}

const inputClass = "min-h-tap rounded-8 border border-solid-gray-600 px-3";

function Field(props: { id: string; label: string; hint?: string; error?: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={props.id} className="font-bold">
        {props.label}
      </label>
      {props.hint ? (
        <span id={`${props.id}-hint`} className="text-solid-gray-700">
          {props.hint}
        </span>
      ) : null}
      {props.error ? (
        <span id={`${props.id}-error`} className="font-bold text-error-2">
          {props.error}
        </span>
      ) : null}
      {props.children}
    </div>
  );
}

export default function WebReportPage({ loaderData, actionData }: Route.ComponentProps) {
  const { city, areas, categories, done } = loaderData;
  const { t, ts } = useT();
  const errors = actionData?.errors ?? {};
  const values = actionData?.values;
  const err = (k: string) => (errors[k] ? ts(errors[k]) : undefined);
  const described = (id: string, hint = false) =>
    [hint ? `${id}-hint` : null, errors[id.replace("report-", "")] ? `${id}-error` : null].filter(Boolean).join(" ") ||
    undefined;
  if (done)
    return (
      <ResidentLayout cityName={city.name} citySlug={city.slug}>
        <h1 className="text-3xl font-bold">{t("reports:web.done.title")}</h1>
        <p className="mt-4 text-lg" role="status">
          {t("reports:web.done.body", { number: done })}
        </p>
        <p className="mt-6">{t("reports:web.contact")}</p>
        <CurrentCityContact className="mt-3" />
      </ResidentLayout>
    );
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <h1 className="text-3xl font-bold">{t("reports:web.title")}</h1>
      <p className="mt-4 text-lg">{t("reports:web.lead", { city: city.name })}</p>
      <p className="mt-2 font-bold">{t("reports:web.danger")}</p>
      {Object.keys(errors).length ? (
        <p role="alert" className="mt-4 font-bold text-error-2">
          {t("reports:web.error.summary")}
        </p>
      ) : null}
      <Form method="post" encType="multipart/form-data" className="mt-6 flex max-w-2xl flex-col gap-5">
        <Field id="report-category" label={ts("reports:web.category")} error={err("category")}>
          <select
            id="report-category"
            name="category"
            required
            defaultValue={values?.category ?? ""}
            aria-describedby={described("report-category")}
            className={inputClass}
          >
            <option value="">{ts("reports:web.choose")}</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </Field>
        <Field id="report-area" label={ts("reports:web.area")} error={err("area")}>
          <select
            id="report-area"
            name="area"
            defaultValue={values?.area ?? ""}
            aria-describedby={described("report-area")}
            className={inputClass}
          >
            <option value="">{ts("reports:web.areaUnknown")}</option>
            {areas.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </Field>
        <Field
          id="report-landmark"
          label={ts("reports:web.landmark")}
          hint={ts("reports:web.landmarkHint")}
          error={err("landmark")}
        >
          <input
            id="report-landmark"
            name="landmark"
            required
            maxLength={200}
            defaultValue={values?.landmark ?? ""}
            aria-describedby={described("report-landmark", true)}
            className={inputClass}
          />
        </Field>
        <Field id="report-description" label={ts("reports:web.description")} error={err("description")}>
          <textarea
            id="report-description"
            name="description"
            rows={4}
            maxLength={500}
            defaultValue={values?.description ?? ""}
            aria-describedby={described("report-description")}
            className="rounded-8 border border-solid-gray-600 p-3"
          />
        </Field>
        <Field
          id="report-photo"
          label={ts("reports:web.photo")}
          hint={ts("reports:web.photoHint")}
          error={err("photo")}
        >
          <input
            id="report-photo"
            name="photo"
            type="file"
            accept="image/jpeg,image/png,image/webp,image/heic"
            aria-describedby={described("report-photo", true)}
            className="min-h-tap"
          />
        </Field>
        <Field
          id="report-email"
          label={ts("reports:web.email")}
          hint={ts("reports:web.emailHint")}
          error={err("email")}
        >
          <input
            id="report-email"
            name="email"
            type="email"
            autoComplete="email"
            defaultValue={values?.email ?? ""}
            aria-describedby={described("report-email", true)}
            className={inputClass}
          />
        </Field>
        <div>
          <button type="submit" className="min-h-tap rounded-8 bg-blue-900 px-6 font-bold text-white">
            {ts("reports:web.submit")}
          </button>
        </div>
      </Form>
      <p className="mt-10">{t("reports:web.contact")}</p>
      <CurrentCityContact className="mt-3" />
    </ResidentLayout>
  );
}
