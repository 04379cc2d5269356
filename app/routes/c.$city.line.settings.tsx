import { Form, Link, redirect } from "react-router";
import type { Route } from "./+types/c.$city.line.settings";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { Button, ButtonLink } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select-field";
import { getDb } from "#db/client.server";
import { ageOptions, genderOptions } from "~/features/line/survey-messages";
import { getLineIdentity } from "~/features/liff/identity.server";
import { eraseSettings, loadSettings, parseSettingsForm, saveSettings } from "~/features/liff/settings.server";
import { LANGUAGES, t, tPlain } from "~/lib/i18n";
import { langCookieHeader, preferencesContext } from "~/lib/i18n/preferences.server";
import { useT } from "~/lib/i18n/react";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

/**
 * 受信設定 (opened from the LINE account's menu as a LIFF page): a verified friend views, changes or
 * erases the language of their messages, gender, age band, area and topics. Works without
 * JavaScript once the identity cookie is set; inside LINE the layout's LIFF boot sets it and re-runs
 * this loader. In the page's language (ADR 039); saving a language also makes it the page's.
 */

export async function loader({ context, request }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const { lang } = context.get(preferencesContext);
  const params = new URL(request.url).searchParams;
  const line = getLineIdentity(request, tenant);
  const done = params.get("done");
  return {
    city: { slug: tenant.slug, name: tenant.name },
    page: line ? await loadSettings(getDb(), tenant, line.lineUserId) : null,
    options: {
      languages: LANGUAGES.map((l) => ({ value: l.code, label: l.name })),
      genders: genderOptions(lang),
      ages: ageOptions(lang),
      areas: tenant.areas.map((a) => ({ value: a, label: a })),
      topics: tenant.topics,
    },
    notice: done === "saved" || done === "erased" ? (`line:settings.${done}` as const) : null,
    confirmErase: params.get("confirm") === "erase",
  };
}

export const meta: Route.MetaFunction = ({ data, matches }) => {
  const lang = (matches[0]?.loaderData as { lang?: string } | undefined)?.lang ?? "ja";
  const city = tPlain(lang, "city.title", { city: data?.city.name ?? "" });
  return [{ title: `${tPlain(lang, "line:settings.title")} | ${city}` }, { name: "robots", content: "noindex" }];
};

export async function action({ context, request }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  const { lang } = context.get(preferencesContext);
  const line = getLineIdentity(request, tenant);
  const NOT_FRIEND = t(lang, "line:settings.notFriend");
  if (!line)
    return { ok: false as const, errors: { _form: t(lang, "line:settings.notVerified") } as Record<string, string> };
  const form = await readForm(request);
  const base = `/c/${tenant.slug}/line/settings`;
  if (form.get("intent") === "erase") {
    if (!(await eraseSettings(getDb(), tenant.id, line.lineUserId)))
      return { ok: false as const, errors: { _form: NOT_FRIEND } as Record<string, string> };
    return redirect(`${base}?done=erased`);
  }
  const parsed = parseSettingsForm(form, tenant, lang);
  if (!parsed.ok) return { ok: false as const, errors: parsed.errors };
  if (!(await saveSettings(getDb(), tenant.id, line.lineUserId, parsed.prefs)))
    return { ok: false as const, errors: { _form: NOT_FRIEND } as Record<string, string> };
  // The language chosen for LINE messages becomes this browser's page language too.
  const chosen = parsed.prefs.language;
  return redirect(`${base}?done=saved`, chosen ? { headers: { "Set-Cookie": langCookieHeader(chosen) } } : {});
}

export default function LineSettings({ loaderData, actionData }: Route.ComponentProps) {
  const { city, page, options, notice, confirmErase } = loaderData;
  const { lang, t, ts } = useT();
  const errors = actionData && !actionData.ok ? actionData.errors : {};
  const base = `/c/${city.slug}/line/settings`;
  const c = { city: city.name };
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <PageHeader title={t("line:settings.title")} description={t("line:settings.description", c)} />
      {notice ? (
        <Notice variant="success" className="mb-6">
          {t(notice)}
        </Notice>
      ) : null}
      {errors._form ? (
        <Notice variant="error" className="mb-6">
          {errors._form}
        </Notice>
      ) : null}
      {!page ? (
        <Notice variant="info" role="none" title={t("line:settings.openInLineTitle")}>
          {t("line:settings.openInLine", c)}
        </Notice>
      ) : !page.friend ? (
        <Notice variant="info" role="none" title={t("line:settings.notFriendTitle")}>
          {t("line:settings.notFriendBody", c)}
        </Notice>
      ) : confirmErase ? (
        <section aria-labelledby="erase-heading">
          <h2 id="erase-heading" className="text-[1.25em]">
            {t("line:settings.eraseTitle")}
          </h2>
          <p className="mt-2">{t("line:settings.eraseBody")}</p>
          <div className="mt-6 flex flex-col gap-3 sm:flex-row">
            <Form method="post">
              <input type="hidden" name="intent" value="erase" />
              <Button type="submit" variant="danger">
                {t("line:settings.eraseConfirm")}
              </Button>
            </Form>
            <ButtonLink to={base} variant="secondary">
              {t("line:settings.eraseCancel")}
            </ButtonLink>
          </div>
        </section>
      ) : (
        <>
          {!page.following ? (
            <Notice variant="warning" role="none" className="mb-6">
              {t("line:settings.blocked")}
            </Notice>
          ) : null}
          <Form method="post" noValidate className="flex flex-col gap-8">
            <input type="hidden" name="intent" value="save" />
            <SelectField
              label={ts("line:settings.language")}
              name="language"
              hint={ts("line:settings.languageHint")}
              options={options.languages}
              defaultValue={page.prefs.language ?? lang}
              error={errors.language}
              className="max-w-sm"
            />
            <fieldset className="flex flex-col gap-3" aria-describedby={errors.topics ? "topics-error" : "topics-hint"}>
              <legend className="mb-1 font-bold text-solid-gray-900">{t("line:settings.topics")}</legend>
              <p id="topics-hint" className="text-[0.9375em] text-solid-gray-700">
                {t("line:settings.topicsHint")}
              </p>
              {options.topics.map((tp) => (
                <label key={tp.key} className="flex min-h-tap cursor-pointer items-center gap-3">
                  <input
                    type="checkbox"
                    name="topics"
                    value={tp.key}
                    defaultChecked={page.prefs.topics.includes(tp.key)}
                    className="size-6 shrink-0 accent-blue-900"
                  />
                  <span>{tp.label}</span>
                </label>
              ))}
              {errors.topics ? (
                <p id="topics-error" className="font-bold text-error-2">
                  {errors.topics}
                </p>
              ) : null}
            </fieldset>
            <SelectField
              label={ts("line:settings.gender")}
              name="gender"
              placeholder={ts("line:settings.unanswered")}
              options={options.genders}
              defaultValue={page.prefs.gender ?? ""}
              error={errors.gender}
              className="max-w-sm"
            />
            <SelectField
              label={ts("line:settings.age")}
              name="ageBand"
              placeholder={ts("line:settings.unanswered")}
              options={options.ages}
              defaultValue={page.prefs.ageBand ?? ""}
              error={errors.ageBand}
              className="max-w-sm"
            />
            {options.areas.length ? (
              <SelectField
                label={ts("line:settings.area")}
                name="area"
                placeholder={ts("line:settings.areaUnanswered")}
                options={options.areas}
                defaultValue={page.prefs.area ?? ""}
                error={errors.area}
                className="max-w-sm"
              />
            ) : null}
            <p className="text-[0.9375em] text-solid-gray-700">{t("line:settings.privacy")}</p>
            <Button type="submit" size="lg" fullWidth>
              {t("line:settings.save")}
            </Button>
          </Form>
          <p className="mt-10 flex">
            <Link to={`${base}?confirm=erase`}>{t("line:settings.erase")}</Link>
          </p>
        </>
      )}
    </ResidentLayout>
  );
}
