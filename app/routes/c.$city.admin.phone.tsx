import { data, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.phone";
import { requireRole } from "~/auth/guards.server";
import { clientAddress } from "~/lib/client-address.server";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { BookForm, ChangeForm } from "~/features/phone-booking/components/booking-forms";
import { HolderPanel, pageHref } from "~/features/phone-booking/components/holder-panel";
import { LookupForm } from "~/features/phone-booking/components/lookup-form";
import { NameMatches, NameSearchForm } from "~/features/phone-booking/components/name-search";
import { RangePicker } from "~/features/phone-booking/components/slot-choice";
import { searchHoldersByName } from "~/features/phone-booking/name-search.server";
import { MAX_RANGE_DAYS } from "~/features/phone-booking/slots.server";
import { lookupHolder } from "~/features/phone-booking/holder.server";
import {
  bookSchema,
  cancelSchema,
  changeSchema,
  lookupSchema,
  nameSearchSchema,
  pickerSchema,
} from "~/features/phone-booking/phone-booking.schemas";
import { bookByPhone, cancelByPhone, changeByPhone, refusalField } from "~/features/phone-booking/phone-booking.server";
import { loadPhonePage } from "~/features/phone-booking/phone-page.server";
import { doseLabel } from "~/lib/booking-labels";
import { formatDateJa } from "~/lib/japan-time";
import { echoValues, formFailure, parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export const meta: Route.MetaFunction = () => [{ title: "電話予約 | 窓口" }];

export async function loader({ context, request }: Route.LoaderArgs) {
  const staff = requireRole(context, ["admin", "operator"]);
  const tenant = context.get(tenantContext);
  const picker = pickerSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = await loadPhonePage(getDb(), {
    tenantId: tenant.id,
    picker,
    staffUserId: staff.user.id,
    ip: clientAddress(context),
  });
  return { ...page, done: picker.done ?? null, by: picker.by ?? null, maxDays: MAX_RANGE_DAYS };
}

export async function action({ context, request }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin", "operator"]);
  const tenant = context.get(tenantContext);
  const form = await readForm(request);
  const url = new URL(request.url);
  // Not url.pathname: a client-side submission arrives at ".../phone.data" (single fetch).
  const page = `/c/${tenant.slug}/admin/phone`;
  const who = { tenantId: tenant.id, staffUserId: staff.user.id, ip: clientAddress(context) };
  const typed = () =>
    echoValues(Object.fromEntries([...form.entries()].filter((e): e is [string, string] => typeof e[1] === "string")));
  const db = getDb();

  switch (form.get("intent")) {
    case "lookup": {
      const parsed = parseForm(lookupSchema, form);
      if (!parsed.ok) return parsed;
      const found = await lookupHolder(db, { ...who, ...parsed.data });
      if (!found.ok) return formFailure({ ticketNumber: found.message }, typed());
      return redirect(`${page}${pageHref({ holder: found.holderId })}`);
    }
    case "search_name": {
      const parsed = parseForm(nameSearchSchema, form);
      if (!parsed.ok) return parsed;
      const found = await searchHoldersByName(db, { ...who, ...parsed.data });
      if (!found.ok) return formFailure({ name: found.message }, typed());
      return { ok: true as const, kind: "matches" as const, matches: found.matches };
    }
    case "book": {
      const parsed = parseForm(bookSchema, form);
      if (!parsed.ok) return parsed;
      const booked = await bookByPhone(db, { ...who, ...parsed.data });
      if (!booked.ok) return formFailure({ [refusalField(booked.reason)]: booked.message }, typed());
      return {
        ok: true as const,
        kind: "booked" as const,
        code: booked.reservation.confirmationCode,
        dose: booked.reservation.dose,
      };
    }
    case "change": {
      const parsed = parseForm(changeSchema, form);
      if (!parsed.ok) return parsed;
      const changed = await changeByPhone(db, { ...who, ...parsed.data });
      if (!changed.ok) return formFailure({ [changed.field]: changed.message }, typed());
      const keep = {
        holder: parsed.data.holderId,
        venue: url.searchParams.get("venue"),
        from: url.searchParams.get("from"),
        to: url.searchParams.get("to"),
        done: "changed",
      };
      return redirect(`${page}${pageHref(keep)}`);
    }
    case "cancel": {
      const parsed = parseForm(cancelSchema, form);
      if (!parsed.ok) return parsed;
      const cancelled = await cancelByPhone(db, { ...who, ...parsed.data });
      if (!cancelled.ok) return formFailure({ _form: cancelled.message }, typed());
      return redirect(`${page}${pageHref({ holder: parsed.data.holderId, done: "cancelled" })}`);
    }
    default:
      throw data({ message: "この操作は受け付けられません。画面を読み込み直してください。" }, { status: 400 });
  }
}

export default function PhoneBookingPage({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : null;
  const failed = (intent: string) => (failure?.values.intent === intent ? failure : null);
  const { holder, changing, cancelling, slots, range } = loaderData;
  const booked = actionData?.ok && actionData.kind === "booked" ? actionData : null;
  const matches = actionData?.ok && actionData.kind === "matches" ? actionData.matches : null;
  const byName = loaderData.by === "name";
  // A change or cancel that failed because the reservation moved on (e.g. already cancelled on the
  // web) has no form left on screen to show its message next to: show it at the top instead.
  const orphan =
    (failed("change") && !changing) || (failed("cancel") && !cancelling) ? Object.values(failure!.errors)[0] : null;

  return (
    <>
      <PageHeader
        title="電話予約"
        description="電話でお申し込みの方を接種券番号（またはお名前）と生年月日で確認し、電話枠で予約・変更・キャンセルします。操作はすべて記録されます。"
      />
      {loaderData.done === "changed" ? (
        <Notice variant="success">予約の日時を変更しました。変更後の日時をお伝えください。</Notice>
      ) : null}
      {loaderData.done === "cancelled" ? <Notice variant="success">予約をキャンセルしました。</Notice> : null}
      {booked ? (
        <Notice variant="success" title="予約しました">
          予約番号 <span className="font-mono text-[1.25em] font-bold">{booked.code}</span>（{doseLabel(booked.dose)}
          ）。お電話の方に予約番号をお伝えください。
        </Notice>
      ) : null}
      {orphan ? <Notice variant="error">{orphan}</Notice> : null}

      {!holder ? (
        <section aria-labelledby="lookup-heading">
          <h2 id="lookup-heading" className="mb-4 text-2xl font-bold">
            対象の方を検索
          </h2>
          {loaderData.holderMissing ? (
            <Notice variant="warning" className="mb-4">
              指定された方が見つかりません。もう一度検索してください。
            </Notice>
          ) : null}
          <nav aria-label="検索のしかた" className="mb-6 flex flex-wrap gap-6">
            <Link to="?" aria-current={byName ? undefined : "page"} className="font-bold">
              接種券番号で検索
            </Link>
            <Link to="?by=name" aria-current={byName ? "page" : undefined} className="font-bold">
              お名前と生年月日で検索
            </Link>
          </nav>
          {byName ? (
            <>
              <NameSearchForm
                values={failed("search_name")?.values}
                errors={failed("search_name")?.errors}
                busy={busy}
              />
              {matches ? <NameMatches matches={matches} /> : null}
            </>
          ) : (
            <LookupForm values={failed("lookup")?.values} errors={failed("lookup")?.errors} busy={busy} />
          )}
        </section>
      ) : (
        <>
          <HolderPanel
            holder={holder.holder}
            reservations={holder.reservations}
            cancelling={cancelling}
            busy={busy}
            cancelError={failed("cancel")?.errors._form}
          />
          <section aria-labelledby="slots-heading" className="mt-10">
            <h2 id="slots-heading" className="mb-4 text-2xl font-bold">
              {changing ? "変更先の日時を選ぶ" : "新しく予約する"}
            </h2>
            <RangePicker
              holderId={holder.holder.id}
              changeId={changing?.id}
              venues={loaderData.venues}
              venueId={loaderData.venueId}
              from={range.from}
              to={range.to}
              today={loaderData.today}
              maxDays={loaderData.maxDays}
            />
            {range.error ? (
              <Notice variant="error" className="mt-6">
                {range.error}
              </Notice>
            ) : null}
            {slots && slots.length === 0 ? (
              <p className="mt-6">
                {formatDateJa(range.from)}〜{formatDateJa(range.to)}は、
                {loaderData.venueId ? "この会場に" : "どの会場にも"}
                {changing ? "変更できる" : "電話枠の"}空きがありません。期間や会場を変えてください。
              </p>
            ) : null}
            {slots && slots.length > 0 && changing ? (
              <ChangeForm
                holderId={holder.holder.id}
                changing={changing}
                slots={slots}
                failure={failed("change")}
                busy={busy}
              />
            ) : null}
            {slots && slots.length > 0 && !changing ? (
              <BookForm
                resetKey={booked ? booked.code : "book"}
                holderId={holder.holder.id}
                slots={slots}
                idempotencyKey={loaderData.idempotencyKey}
                lastContact={holder.lastContact}
                failure={failed("book")}
                busy={busy}
              />
            ) : null}
          </section>
        </>
      )}
    </>
  );
}
