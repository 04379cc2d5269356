import { Form, Link, redirect } from "react-router";
import type { Route } from "./+types/c.$city.line.settings";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { Button, ButtonLink } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select-field";
import { getDb } from "#db/client.server";
import { AGE_OPTIONS, GENDER_OPTIONS } from "~/features/line/survey-messages";
import { getLineIdentity } from "~/features/liff/identity.server";
import { eraseSettings, loadSettings, parseSettingsForm, saveSettings } from "~/features/liff/settings.server";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

/**
 * 受信設定 (opened from the LINE account's menu as a LIFF page): a verified friend views, changes or
 * erases gender, age band, area and topics. Works without JavaScript once the identity cookie is
 * set; inside LINE the layout's LIFF boot sets it and re-runs this loader.
 */

const DONE = {
  saved: "受信設定を保存しました。",
  erased: "登録していた性別・年代・地区・受け取るお知らせを消去しました。",
} as const;

export async function loader({ context, request }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const params = new URL(request.url).searchParams;
  const line = getLineIdentity(request, tenant);
  const done = params.get("done");
  return {
    city: { slug: tenant.slug, name: tenant.name },
    page: line ? await loadSettings(getDb(), tenant, line.lineUserId) : null,
    options: {
      genders: GENDER_OPTIONS,
      ages: AGE_OPTIONS,
      areas: tenant.areas.map((a) => ({ value: a, label: a })),
      topics: tenant.topics,
    },
    notice: done === "saved" || done === "erased" ? DONE[done] : null,
    confirmErase: params.get("confirm") === "erase",
  };
}

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `受信設定 | ${data?.city.name ?? ""} オンライン窓口` },
  { name: "robots", content: "noindex" },
];

const NOT_VERIFIED =
  "LINEでの本人確認ができていないため、保存できませんでした。LINEアプリからこのページを開き直してください。";
const NOT_FRIEND = "LINE公式アカウントの友だちとして登録されていないため、保存できませんでした。";

export async function action({ context, request }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  const line = getLineIdentity(request, tenant);
  if (!line) return { ok: false as const, errors: { _form: NOT_VERIFIED } as Record<string, string> };
  const form = await readForm(request);
  const base = `/c/${tenant.slug}/line/settings`;
  if (form.get("intent") === "erase") {
    if (!(await eraseSettings(getDb(), tenant.id, line.lineUserId)))
      return { ok: false as const, errors: { _form: NOT_FRIEND } as Record<string, string> };
    return redirect(`${base}?done=erased`);
  }
  const parsed = parseSettingsForm(form, tenant);
  if (!parsed.ok) return { ok: false as const, errors: parsed.errors };
  if (!(await saveSettings(getDb(), tenant.id, line.lineUserId, parsed.prefs)))
    return { ok: false as const, errors: { _form: NOT_FRIEND } as Record<string, string> };
  return redirect(`${base}?done=saved`);
}

export default function LineSettings({ loaderData, actionData }: Route.ComponentProps) {
  const { city, page, options, notice, confirmErase } = loaderData;
  const errors = actionData && !actionData.ok ? actionData.errors : {};
  const base = `/c/${city.slug}/line/settings`;
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <PageHeader
        title="受信設定"
        description={`${city.name}のLINE公式アカウントから受け取るお知らせと、お知らせを選ぶために使う情報を確認・変更できます。`}
      />
      {notice ? (
        <Notice variant="success" className="mb-6">
          {notice}
        </Notice>
      ) : null}
      {errors._form ? (
        <Notice variant="error" className="mb-6">
          {errors._form}
        </Notice>
      ) : null}
      {!page ? (
        <Notice variant="info" role="none" title="LINEアプリから開いてください">
          このページは、{city.name}
          のLINE公式アカウントのメニュー「受信設定」から開くと利用できます。LINEでの本人確認が済むと、自動的に表示が切り替わります。
        </Notice>
      ) : !page.friend ? (
        <Notice variant="info" role="none" title="友だち追加がまだのようです">
          {city.name}のLINE公式アカウントを友だち追加すると、受け取るお知らせを選べるようになります。
        </Notice>
      ) : confirmErase ? (
        <section aria-labelledby="erase-heading">
          <h2 id="erase-heading" className="text-[1.25em]">
            登録した情報を消去しますか
          </h2>
          <p className="mt-2">
            性別・年代・お住まいの地区と、選んでいた受け取るお知らせをすべて消去します。消去すると、選んだ分野のお知らせは届かなくなります。予約のお知らせなど、ご本人あてのメッセージはこれまでどおり届きます。
          </p>
          <div className="mt-6 flex flex-col gap-3 sm:flex-row">
            <Form method="post">
              <input type="hidden" name="intent" value="erase" />
              <Button type="submit" variant="danger">
                消去する
              </Button>
            </Form>
            <ButtonLink to={base} variant="secondary">
              消去しないで戻る
            </ButtonLink>
          </div>
        </section>
      ) : (
        <>
          {!page.following ? (
            <Notice variant="warning" role="none" className="mb-6">
              現在、LINE公式アカウントがブロックされているため、お知らせは届きません。ブロックを解除すると、この設定でお知らせが届きます。
            </Notice>
          ) : null}
          <Form method="post" noValidate className="flex flex-col gap-8">
            <input type="hidden" name="intent" value="save" />
            <fieldset className="flex flex-col gap-3" aria-describedby={errors.topics ? "topics-error" : "topics-hint"}>
              <legend className="mb-1 font-bold text-solid-gray-900">受け取るお知らせ</legend>
              <p id="topics-hint" className="text-[0.9375em] text-solid-gray-700">
                受け取りたい分野をすべて選んでください（いくつでも選べます）。
              </p>
              {options.topics.map((t) => (
                <label key={t.key} className="flex min-h-tap cursor-pointer items-center gap-3">
                  <input
                    type="checkbox"
                    name="topics"
                    value={t.key}
                    defaultChecked={page.prefs.topics.includes(t.key)}
                    className="size-6 shrink-0 accent-blue-900"
                  />
                  <span>{t.label}</span>
                </label>
              ))}
              {errors.topics ? (
                <p id="topics-error" className="font-bold text-error-2">
                  {errors.topics}
                </p>
              ) : null}
            </fieldset>
            <SelectField
              label="性別"
              name="gender"
              placeholder="未回答"
              options={options.genders}
              defaultValue={page.prefs.gender ?? ""}
              error={errors.gender}
              className="max-w-sm"
            />
            <SelectField
              label="年代"
              name="ageBand"
              placeholder="未回答"
              options={options.ages}
              defaultValue={page.prefs.ageBand ?? ""}
              error={errors.ageBand}
              className="max-w-sm"
            />
            {options.areas.length ? (
              <SelectField
                label="お住まいの地区"
                name="area"
                placeholder="未回答（回答しない）"
                options={options.areas}
                defaultValue={page.prefs.area ?? ""}
                error={errors.area}
                className="max-w-sm"
              />
            ) : null}
            <p className="text-[0.9375em] text-solid-gray-700">
              性別・年代・地区は、対象の方にだけお知らせを届けるために使います。お名前やLINEのプロフィールはお預かりしていません。
            </p>
            <Button type="submit" size="lg" fullWidth>
              この内容で保存する
            </Button>
          </Form>
          <p className="mt-10">
            <Link to={`${base}?confirm=erase`}>登録した情報を消去する</Link>
          </p>
        </>
      )}
    </ResidentLayout>
  );
}
