import { Form, Link, data, redirect } from "react-router";
import type { Route } from "./+types/c.$city.reservation";
import { clientAddress } from "~/lib/client-address.server";
import { CurrentCityContact } from "~/components/city-contact";
import { IDENTITY_THROTTLED } from "~/features/reservations/identity-messages";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { Button, ButtonLink } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { HolderLineLink, LinkedReservationList } from "~/features/liff/components/linked-reservation-list";
import { getLineIdentity } from "~/features/liff/identity.server";
import {
  holderOfLinked,
  lineLinkState,
  linkHolderReservation,
  linkedReservations,
  unlinkReservation,
} from "~/features/liff/linked-reservations.server";
import { IdentityFields } from "~/features/reservations/components/identity-fields";
import { CHANNEL_LABELS, doseLabel } from "~/lib/booking-labels";
import { ReservationSummary } from "~/features/reservations/components/reservation-summary";
import {
  clearMineCookie,
  identifyMine,
  listMine,
  mineCookie,
  readMine,
} from "~/features/reservations/resident-flow.server";
import { formStrings, identitySchema, uuidParam } from "~/features/reservations/resident-flow.schemas";
import { formFailure, parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

const NOTICES = {
  changed: "予約を変更しました。新しい日時をご確認ください。",
  cancelled: "予約をキャンセルしました。",
  linked: "予約をこのLINEアカウントに連携しました。今後のお知らせはLINEに届きます。",
  unlinked: "LINEとの連携を解除しました。今後のお知らせは、登録されたメールアドレスに届きます。",
} as const;
type Done = keyof typeof NOTICES;
const isDone = (v: string | null): v is Done => v !== null && Object.hasOwn(NOTICES, v);

export async function loader({ context, request }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const params = new URL(request.url).searchParams;
  const mine = readMine(request, tenant);
  const line = getLineIdentity(request, tenant);
  const done = params.get("done");
  const db = getDb();
  const list = mine ? await listMine(db, tenant.id, mine.ticketHolderId) : null;
  const links = list
    ? await lineLinkState(
        db,
        tenant.id,
        list.map((r) => r.id),
        line?.lineUserId ?? null,
      )
    : {};
  const page = {
    city: { slug: tenant.slug, name: tenant.name },
    expired: params.has("expired") && !mine,
    notice: isDone(done) ? NOTICES[done] : null,
    reservations: list ? list.map((r) => ({ ...r, line: links[r.id] ?? ("none" as const) })) : null,
    lineIdentified: line !== null,
    // A verified LINE user sees the reservations linked to them without typing the ticket number.
    linked: !mine && line ? await linkedReservations(db, tenant.id, line.lineUserId) : null,
  };
  // Each visit restarts the 30 minutes.
  return data(page, mine ? { headers: { "Set-Cookie": mineCookie(tenant, mine) } } : undefined);
}

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `予約の確認・変更 | ${data?.city.name ?? ""} オンライン窓口` },
];

export async function action({ request, context }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "end")
    return redirect(`/c/${tenant.slug}/reservation`, { headers: { "Set-Cookie": clearMineCookie(tenant) } });
  if (intent === "open-linked" || intent === "link-line" || intent === "unlink-line")
    return lineAction(request, tenant, form);
  const parsed = parseForm(identitySchema, form);
  if (!parsed.ok) return parsed;
  const result = await identifyMine(getDb(), {
    tenantId: tenant.id,
    ticketNumber: parsed.data.ticketNumber,
    birthDate: parsed.data.birthDate,
    ip: clientAddress(context),
  });
  if (!result.ok) return formFailure({ _form: result.message }, formStrings(form));
  return redirect(`/c/${tenant.slug}/reservation`, {
    headers: { "Set-Cookie": mineCookie(tenant, { ticketHolderId: result.ticketHolderId }) },
  });
}

const LINE_LINK_FAILED =
  "LINEとの連携を変更できませんでした。予約がすでに変更・キャンセルされたか、別のLINEアカウントに連携されている可能性があります。";

/** The LINE-link intents. The LINE user always comes from the verified cookie, the holder from the ticket check. */
async function lineAction(request: Request, tenant: { id: string; slug: string }, form: FormData) {
  const base = `/c/${tenant.slug}/reservation`;
  const reservationId = uuidParam(String(form.get("reservationId") ?? ""));
  const line = getLineIdentity(request, tenant);
  const mine = readMine(request, tenant);
  const db = getDb();
  if (!reservationId) return formFailure({ _form: LINE_LINK_FAILED });
  switch (form.get("intent")) {
    case "open-linked": {
      const holder = line ? await holderOfLinked(db, tenant.id, line.lineUserId, reservationId) : null;
      if (!holder) return formFailure({ _form: LINE_LINK_FAILED });
      const to = form.get("to") === "cancel" ? "cancel" : "change";
      return redirect(`${base}/${reservationId}/${to}`, {
        headers: { "Set-Cookie": mineCookie(tenant, { ticketHolderId: holder }) },
      });
    }
    case "link-line": {
      const ok =
        line && mine
          ? await linkHolderReservation(db, tenant.id, {
              ticketHolderId: mine.ticketHolderId,
              reservationId,
              lineUserId: line.lineUserId,
            })
          : false;
      return ok ? redirect(`${base}?done=linked`) : formFailure({ _form: LINE_LINK_FAILED });
    }
    default: {
      const ok = await unlinkReservation(db, tenant.id, {
        reservationId,
        ticketHolderId: mine?.ticketHolderId,
        lineUserId: line?.lineUserId,
      });
      return ok ? redirect(`${base}?done=unlinked`) : formFailure({ _form: LINE_LINK_FAILED });
    }
  }
}

export default function MyReservation({ loaderData, actionData }: Route.ComponentProps) {
  const { city, expired, notice, reservations, lineIdentified, linked } = loaderData;
  const failure = actionData && !actionData.ok ? actionData : null;
  const base = `/c/${city.slug}/reservation`;
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <PageHeader
        title="予約の確認・変更"
        description={
          reservations
            ? "現在のご予約です。日時・会場の変更やキャンセルができます。"
            : linked
              ? "LINEで本人確認ができました。このLINEアカウントに連携している予約を表示しています。"
              : "接種券番号と生年月日を入力すると、ご予約の内容を確認できます。"
        }
      />
      {notice ? (
        <Notice variant="success" className="mb-6">
          {notice}
        </Notice>
      ) : null}
      {expired ? (
        <Notice variant="warning" role="none" className="mb-6">
          一定時間操作がなかったため、確認を終了しました。もう一度、接種券番号と生年月日を入力してください。
        </Notice>
      ) : null}
      {reservations ? (
        <>
          {failure?.errors._form ? (
            <Notice variant="error" className="mb-6">
              {failure.errors._form}
            </Notice>
          ) : null}
          {reservations.length === 0 ? (
            <Notice variant="info" role="none">
              現在、予約はありません。 <Link to={`/c/${city.slug}/reserve`}>新しく予約する</Link>
            </Notice>
          ) : (
            <ul className="flex flex-col gap-6">
              {reservations.map((r) => (
                <li key={r.id}>
                  <Card title={`${r.serviceName}（${doseLabel(r.dose)}）`}>
                    <ReservationSummary
                      rows={[
                        { label: "日時", value: r.when },
                        { label: "会場", value: `${r.venue.name}（${r.venue.address}）` },
                        {
                          label: "予約番号",
                          value: <span className="font-mono font-bold tracking-[0.1em]">{r.confirmationCode}</span>,
                        },
                        { label: "予約方法", value: CHANNEL_LABELS[r.channel] },
                      ]}
                    />
                    <HolderLineLink
                      reservationId={r.id}
                      state={r.line}
                      lineIdentified={lineIdentified}
                      doseText={doseLabel(r.dose)}
                    />
                    {r.changeable ? (
                      <div className="mt-4 flex flex-col gap-3 sm:flex-row">
                        <ButtonLink
                          to={`${base}/${r.id}/change`}
                          aria-label={`${doseLabel(r.dose)}の日時・会場を変更する`}
                        >
                          日時・会場を変更する
                        </ButtonLink>
                        <ButtonLink
                          to={`${base}/${r.id}/cancel`}
                          variant="secondary"
                          aria-label={`${doseLabel(r.dose)}の予約をキャンセルする`}
                        >
                          キャンセルする
                        </ButtonLink>
                      </div>
                    ) : (
                      <p className="mt-4 font-bold">
                        変更・キャンセルの受付期限（接種日時の{r.changeCutoffHours}
                        時間前）を過ぎています。お手数ですが電話窓口へご連絡ください。
                      </p>
                    )}
                  </Card>
                </li>
              ))}
            </ul>
          )}
          <p className="mt-8 flex">
            <Link to={`/c/${city.slug}/reserve`}>新しく予約する（次の回の予約など）</Link>
          </p>
          <Form method="post" className="mt-6">
            <input type="hidden" name="intent" value="end" />
            <Button type="submit" variant="secondary">
              確認を終了する
            </Button>
          </Form>
        </>
      ) : (
        <>
          {failure?.errors._form ? (
            <Notice variant="error" className="mb-6">
              {failure.errors._form}
              {/* Locked by too many guesses (ADR 027): the city's number right under 「お電話ください」. */}
              {failure.errors._form === IDENTITY_THROTTLED ? <CurrentCityContact className="mt-3" /> : null}
            </Notice>
          ) : null}
          {linked ? <LinkedReservationList reservations={linked} /> : null}
          {linked ? <h2 className="mb-4 text-[1.25em]">接種券番号で予約を確認する</h2> : null}
          <Form method="post" noValidate className="flex flex-col gap-8">
            <input type="hidden" name="intent" value="identify" />
            <IdentityFields values={failure?.values} errors={failure?.errors} />
            <Button type="submit" size="lg" fullWidth>
              予約を確認する
            </Button>
          </Form>
          <p className="mt-8">
            予約のときにメールアドレスを登録した方は <Link to={`${base}/link`}>メールで予約を確認する</Link>{" "}
            こともできます。
          </p>
          <p className="mt-4">
            まだ予約していない方は <Link to={`/c/${city.slug}/reserve`}>予約する</Link> からどうぞ。
          </p>
        </>
      )}
      <CurrentCityContact title="電話でのお問い合わせ" className="mt-10" />
    </ResidentLayout>
  );
}
