import { Form, Link, data, redirect } from "react-router";
import type { Route } from "./+types/c.$city.reserve";
import { clientAddress } from "~/lib/client-address.server";
import { CurrentCityContact } from "~/components/city-contact";
import { IDENTITY_THROTTLED } from "~/features/reservations/identity-messages";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select-field";
import { getDb } from "#db/client.server";
import { LineLinkField, wantsLineLink } from "~/features/liff/components/line-link-field";
import { getLineIdentity } from "~/features/liff/identity.server";
import { IdentityFields } from "~/features/reservations/components/identity-fields";
import { StepIndicator } from "~/features/reservations/components/step-indicator";
import { WaitingRoom } from "~/features/reservations/components/waiting-room";
import { flowCookie, flowStart, linkFlowToLine, startFlow } from "~/features/reservations/resident-flow.server";
import { formStrings, identitySchema } from "~/features/reservations/resident-flow.schemas";
import { REFRESH_SECONDS, gateReserveEntry } from "~/features/reservations/waiting-room.server";
import { formFailure, parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export async function loader({ context, request }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const url = new URL(request.url);
  const channel = url.searchParams.get("channel") === "line" ? ("line" as const) : ("web" as const);
  // The waiting room (ADR 025) gates only this entry; without the city's setting it is a no-op.
  const gate = await gateReserveEntry(request, tenant);
  const headers = gate.setCookie ? { "Set-Cookie": gate.setCookie } : undefined;
  const city = { slug: tenant.slug, name: tenant.name };
  if (!gate.admitted)
    return data({ city, channel, waiting: { position: gate.position, refreshSeconds: REFRESH_SECONDS } }, { headers });
  const { services } = await flowStart(getDb(), tenant.id);
  return data(
    {
      city,
      waiting: null,
      services,
      channel,
      expired: url.searchParams.has("expired"),
      // Only whether LIFF verified someone; the LINE user id itself never goes to the page.
      lineIdentified: getLineIdentity(request, tenant) !== null,
    },
    { headers },
  );
}

export const meta: Route.MetaFunction = ({ data }) =>
  data?.waiting
    ? [{ title: `順番待ち | ${data.city.name} オンライン窓口` }]
    : [{ title: `予約：本人確認 | ${data?.city.name ?? ""} オンライン窓口` }];

export async function action({ request, context }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  // A submit is an entry too: one that skipped the waiting page goes back to it.
  const gate = await gateReserveEntry(request, tenant);
  if (!gate.admitted)
    throw redirect(new URL(request.url).pathname + new URL(request.url).search, {
      headers: gate.setCookie ? { "Set-Cookie": gate.setCookie } : undefined,
    });
  const form = await readForm(request);
  const parsed = parseForm(identitySchema, form);
  if (!parsed.ok) return { ...parsed, manage: false };
  const result = await startFlow(getDb(), { tenantId: tenant.id, ...parsed.data, ip: clientAddress(context) });
  if (!result.ok)
    return { ...formFailure({ [result.field]: result.message }, formStrings(form)), manage: result.manage ?? false };
  // The LINE user comes from the verified cookie, never from the form; the box is only the consent.
  const line = wantsLineLink(form) ? getLineIdentity(request, tenant) : null;
  const state = line ? linkFlowToLine(result.state, line.lineUserId) : result.state;
  return redirect(`/c/${tenant.slug}/reserve/contact`, { headers: { "Set-Cookie": flowCookie(tenant, state) } });
}

export default function ReserveIdentity({ loaderData, actionData }: Route.ComponentProps) {
  if (loaderData.waiting) {
    return (
      <ResidentLayout cityName={loaderData.city.name} citySlug={loaderData.city.slug}>
        <WaitingRoom
          position={loaderData.waiting.position}
          channel={loaderData.channel}
          refreshSeconds={loaderData.waiting.refreshSeconds}
        />
      </ResidentLayout>
    );
  }
  const { city, services, channel, expired, lineIdentified } = loaderData;
  const failure = actionData && !actionData.ok ? actionData : null;
  const values = failure?.values ?? {};
  const single = services.length === 1 ? services[0] : null;
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <StepIndicator current={1} />
      <PageHeader
        title={single ? `${single.name}の予約` : "予約"}
        description="はじめに、接種券番号と生年月日でご本人であることを確認します。"
      />
      {channel === "line" ? (
        <Notice variant="info" role="none" className="mb-6">
          LINEからご利用いただいています。ご予約はLINEからの予約として受け付けます。
        </Notice>
      ) : null}
      {expired ? (
        <Notice variant="warning" role="none" className="mb-6">
          一定時間操作がなかったため、入力内容を消去しました。お手数ですが、最初からもう一度入力してください。
        </Notice>
      ) : null}
      {services.length === 0 ? (
        <Notice variant="info" role="none">
          現在、オンラインで予約を受け付けている事業はありません。
        </Notice>
      ) : (
        <>
          {failure?.errors._form ? (
            <Notice variant="error" className="mb-6">
              {failure.errors._form}
              {failure.manage ? (
                <>
                  {" "}
                  <Link to={`/c/${city.slug}/reservation`}>予約の確認・変更はこちら</Link>
                </>
              ) : null}
              {/* Locked by too many guesses (ADR 027): the city's number right under 「お電話ください」. */}
              {failure.errors._form === IDENTITY_THROTTLED ? <CurrentCityContact className="mt-3" /> : null}
            </Notice>
          ) : null}
          <Form method="post" noValidate className="flex flex-col gap-8">
            <input type="hidden" name="channel" value={channel} />
            {single ? (
              <input type="hidden" name="serviceId" value={single.id} />
            ) : (
              <SelectField
                label="予約する内容"
                name="serviceId"
                required
                placeholder="選択してください"
                options={services.map((s) => ({ value: s.id, label: s.name }))}
                defaultValue={values.serviceId ?? ""}
                error={failure?.errors.serviceId}
              />
            )}
            <IdentityFields values={values} errors={failure?.errors} />
            {lineIdentified ? <LineLinkField defaultChecked={failure ? values.linkLine === "1" : true} /> : null}
            <Button type="submit" size="lg" fullWidth>
              次へ（連絡先の入力）
            </Button>
          </Form>
        </>
      )}
      <p className="mt-10">
        すでに予約した内容の確認・変更・キャンセルは <Link to={`/c/${city.slug}/reservation`}>予約の確認・変更</Link>{" "}
        から行えます。
      </p>
      <p className="mt-2">インターネットでの操作が難しい方は、電話でも予約を受け付けています。</p>
      <CurrentCityContact title="電話での予約・お問い合わせ" className="mt-3" />
    </ResidentLayout>
  );
}
