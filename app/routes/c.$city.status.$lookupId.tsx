import { data, Form, Link } from "react-router";
import type { Route } from "./+types/c.$city.status.$lookupId";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { Notice } from "~/components/ui/notice";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { publicLookup } from "~/features/status-lookup/check.server";
import { answerWebForm } from "~/features/status-lookup/public.server";
import { clientAddress } from "~/lib/client-address.server";
import { readForm } from "~/lib/form-body.server";
import { tPlain } from "~/lib/i18n";
import { formatDateFor } from "~/lib/i18n/dates";
import { preferencesContext } from "~/lib/i18n/preferences.server";
import { useT } from "~/lib/i18n/react";
import { tenantContext } from "~/tenants/context";

// One lookup (issue 19): number + birth date → the status text; then 「メールで知らせる」. No JavaScript
// needed: both are plain POST forms answered by this route.
export async function loader({ context, params }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const lookup = await publicLookup(getDb(), tenant.id, params.lookupId, new Date());
  if (!lookup) throw data({ message: "Not found" }, { status: 404 });
  return { city: { slug: tenant.slug, name: tenant.name }, lookup };
}

export async function action({ context, params, request }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  const form = await readForm(request);
  const { lookup, answer } = await answerWebForm(getDb(), {
    tenantId: tenant.id,
    lookupId: params.lookupId,
    form,
    ip: clientAddress(context),
    lang: context.get(preferencesContext).lang,
    now: new Date(),
  });
  if (!lookup || !answer) throw data({ message: "Not found" }, { status: 404 });
  return data(answer, { status: answer.kind === "invalid" ? 400 : 200 });
}

export const meta: Route.MetaFunction = ({ data, matches }) => {
  const lang = (matches[0]?.loaderData as { lang?: string } | undefined)?.lang ?? "ja";
  return [
    {
      title: `${data?.lookup.title ?? tPlain(lang, "status:title")} | ${tPlain(lang, "city.title", { city: data?.city.name ?? "" })}`,
    },
  ];
};

export default function StatusLookupPage({ loaderData, actionData }: Route.ComponentProps) {
  const { city, lookup } = loaderData;
  const { t, ts, lang } = useT();
  const answer = actionData ?? null;
  const errors = answer?.kind === "invalid" ? answer.errors : {};
  const found = answer?.kind === "answer" && answer.found ? answer : null;
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <p>
        <Link to={`/c/${city.slug}/status`}>{t("status:title")}</Link>
      </p>
      <h1 className="mt-2 text-3xl font-bold">{lookup.title}</h1>
      <p className="mt-2">
        {t("status:period", { from: formatDateFor(lang, lookup.opensOn), to: formatDateFor(lang, lookup.closesOn) })}
      </p>
      {lookup.note ? <p className="mt-2 whitespace-pre-wrap">{lookup.note}</p> : null}

      {lookup.phase !== "open" ? (
        <Notice variant="info" className="mt-6">
          {t(lookup.phase === "closed" ? "status:result.closed" : "status:result.notOpen", { title: lookup.title })}
        </Notice>
      ) : null}

      {answer?.kind === "answer" ? (
        <div className="mt-6" data-answer>
          <Notice variant={answer.found ? "success" : "error"}>
            <span className="whitespace-pre-wrap">{t(answer.message.key, answer.message.vars)}</span>
          </Notice>
        </div>
      ) : null}
      {answer?.kind === "optIn" ? (
        <div className="mt-6" data-answer>
          <Notice variant={answer.ok ? "success" : "error"}>{t(answer.message.key, answer.message.vars)}</Notice>
        </div>
      ) : null}

      {found?.optInToken ? (
        <Form method="post" className="mt-6 max-w-xl space-y-4 rounded-8 border border-solid-gray-300 p-4">
          <input type="hidden" name="intent" value="email" />
          <input type="hidden" name="token" value={found.optInToken} />
          <TextField label={t("status:optIn.emailLabel")} name="email" type="email" autoComplete="email" required />
          <button type="submit" className="min-h-tap rounded-8 bg-blue-900 px-6 font-bold text-white">
            {ts("status:optIn.emailSubmit")}
          </button>
        </Form>
      ) : null}

      {lookup.phase === "open" && !found ? (
        <Form method="post" className="mt-6 max-w-xl space-y-6" noValidate>
          <input type="hidden" name="intent" value="check" />
          <TextField
            label={lookup.keyLabel}
            name="key"
            required
            autoComplete="off"
            inputMode="text"
            hint={t("status:keyHint")}
            defaultValue={answer?.kind === "invalid" || answer?.kind === "answer" ? answer.key : ""}
            error={errors.key ? t(errors.key.key, errors.key.vars) : undefined}
          />
          <TextField
            label={t("status:birthDate")}
            name="birthDate"
            required
            autoComplete="bday"
            hint={t("status:line.askBirth")}
            error={errors.birthDate ? t(errors.birthDate.key, errors.birthDate.vars) : undefined}
          />
          <button type="submit" className="min-h-tap rounded-8 bg-blue-900 px-6 font-bold text-white">
            {ts("status:submit")}
          </button>
        </Form>
      ) : null}

      {lookup.contact ? <p className="mt-10">{t("status:contact", { contact: lookup.contact })}</p> : null}
    </ResidentLayout>
  );
}
