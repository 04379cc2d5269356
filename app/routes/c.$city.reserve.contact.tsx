import { Form, Link, redirect } from "react-router";
import type { Route } from "./+types/c.$city.reserve.contact";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { TextField } from "~/components/ui/text-field";
import { LineLinkField, wantsLineLink } from "~/features/liff/components/line-link-field";
import { getLineIdentity } from "~/features/liff/identity.server";
import { ChoiceRadios } from "~/features/reservations/components/choice-radios";
import { StepIndicator } from "~/features/reservations/components/step-indicator";
import { flowCookie, linkFlowToLine, requireFlow } from "~/features/reservations/resident-flow.server";
import {
  FAMILY_RELATIONS,
  contactSchema,
  familyContactSchema,
  lineLinkedContactSchema,
} from "~/features/reservations/resident-flow.schemas";
import { parseForm } from "~/lib/forms";
import { residentTitle } from "~/lib/i18n/meta";
import { useT } from "~/lib/i18n/react";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export function loader({ context, request }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const state = requireFlow(request, tenant);
  // LIFF may have verified the resident only after the first page was sent: offer the link here too.
  const lineLinked = Boolean(state.lineUserId);
  const family = Boolean(state.family);
  // A family proxy gives their own phone or e-mail for the notices (issue 15): no LINE link offered.
  const canLinkLine = !lineLinked && !family && getLineIdentity(request, tenant) !== null;
  return {
    city: { slug: tenant.slug, name: tenant.name },
    contact: state.contact ?? null,
    lineLinked,
    canLinkLine,
    family,
  };
}

export const meta: Route.MetaFunction = ({ data, matches }) => [
  { title: residentTitle(matches, "booking:title.contact", data?.city.name) },
];

export async function action({ request, context }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  const state = requireFlow(request, tenant);
  const form = await readForm(request);
  const line = !state.lineUserId && wantsLineLink(form) ? getLineIdentity(request, tenant) : null;
  // Linked to the verified LINE account (before or now): the notices go there, phone/e-mail optional.
  // A family proxy always gives their own phone or e-mail (issue 15: notices go to the relative).
  const schema = state.family
    ? familyContactSchema
    : state.lineUserId || line
      ? lineLinkedContactSchema
      : contactSchema;
  const parsed = parseForm(schema, form);
  if (!parsed.ok) return parsed;
  const next = { ...(line ? linkFlowToLine(state, line.lineUserId) : state), contact: parsed.data };
  return redirect(`/c/${tenant.slug}/reserve/venue`, { headers: { "Set-Cookie": flowCookie(tenant, next) } });
}

export default function ReserveContact({ loaderData, actionData }: Route.ComponentProps) {
  const { city, contact, lineLinked, canLinkLine, family } = loaderData;
  const { t, tm } = useT();
  const failure = actionData && !actionData.ok ? actionData : null;
  const values: Record<string, string> = failure?.values ?? contact ?? {};
  const err = (field: string) => (failure?.errors[field] ? tm(failure.errors[field]) : undefined);
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <StepIndicator current={2} />
      <PageHeader
        title={t("booking:contact.title")}
        description={t(family ? "booking:contact.leadProxy" : "booking:contact.lead")}
      />
      <Notice variant="info" role="none" className="mb-6">
        <p>{t("booking:contact.purpose")}</p>
        <p className="mt-2">
          {t(
            family
              ? "booking:contact.required"
              : lineLinked
                ? "booking:contact.lineLinked"
                : canLinkLine
                  ? "booking:contact.canLinkLine"
                  : "booking:contact.required",
          )}
        </p>
      </Notice>
      {failure ? (
        <Notice variant="error" className="mb-6">
          {t("booking:contact.invalid")}
        </Notice>
      ) : null}
      <Form method="post" noValidate className="flex flex-col gap-8">
        <TextField
          label={t(family ? "booking:contact.patientName" : "booking:contact.name")}
          name="name"
          autoComplete={family ? "off" : "name"}
          required
          hint={t(family ? "booking:contact.patientNameHint" : "booking:contact.nameHint")}
          defaultValue={values.name}
          error={err("name")}
        />
        {family ? (
          <>
            <TextField
              label={t("booking:contact.proxyName")}
              name="proxyName"
              autoComplete="name"
              required
              hint={t("booking:contact.proxyNameHint")}
              defaultValue={values.proxyName}
              error={err("proxyName")}
            />
            <ChoiceRadios
              legend={t("booking:contact.relation")}
              name="relation"
              defaultValue={values.relation}
              error={err("relation")}
              choices={FAMILY_RELATIONS.map((r) => ({ value: r, label: t(`booking:relation.${r}`) }))}
            />
          </>
        ) : null}
        <TextField
          label={t("booking:contact.phone")}
          name="phone"
          type="tel"
          autoComplete="tel"
          inputMode="tel"
          hint={t("booking:contact.phoneHint")}
          className="max-w-sm"
          defaultValue={values.phone}
          error={err("phone")}
        />
        <TextField
          label={t("booking:contact.email")}
          name="email"
          type="email"
          autoComplete="email"
          hint={t("booking:contact.emailHint")}
          defaultValue={values.email}
          error={err("email")}
        />
        {canLinkLine ? <LineLinkField defaultChecked={failure ? values.linkLine === "1" : true} /> : null}
        <Button type="submit" size="lg" fullWidth>
          {t("booking:contact.next")}
        </Button>
      </Form>
      <p className="mt-8 flex">
        <Link to={`/c/${city.slug}/reserve`}>{t("booking:contact.restart")}</Link>
      </p>
    </ResidentLayout>
  );
}
