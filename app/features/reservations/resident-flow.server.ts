import { tz } from "@date-fns/tz";
import { format } from "date-fns";
import { redirect } from "react-router";
import { z } from "zod";
import type { Db } from "#db/client.server";
import type { Tenant } from "#db/schema/index";
import { decryptString, encryptString, masterKey } from "~/lib/crypto.server";
import { TOKYO_TIME_ZONE, formatDateJa, formatDateTimeJa } from "~/lib/japan-time";
import { readCookie, setCookie, type CookieName } from "~/lib/cookies.server";
import { env } from "~/lib/env.server";
import { ja } from "~/lib/i18n/messages";
import {
  activeReservationsOf,
  activeServices,
  doseWindow,
  reservationOfHolder,
  slotDetail,
  slotsAtVenue,
  venuesWithAvailability,
  type SlotAvailability,
} from "./availability.server";
import { bookSlot } from "./booking.server";
import { cancelReservation, changeReservation } from "./change-cancel.server";
import { beforeCutoff } from "./eligibility";
import { verifyTicketHolder } from "./identity.server";
import { REFUSAL_MESSAGES } from "./refusals";
import { FAMILY_RELATIONS } from "./resident-flow.schemas";
import { refreshAdmission } from "./waiting-room.server";

/**
 * The resident booking flow and "my reservation", without JavaScript: each step is a page, and what
 * the resident has told us so far lives in an encrypted, HttpOnly cookie (AES-256-GCM, the tenant id
 * in the associated data, so a cookie from one city never opens in another). The cookie never holds
 * the ticket number: only the ticket holder's id, after a successful identity check. It expires
 * 30 minutes after the last step (inside the payload too, so a stolen old value is useless).
 *
 * Path: `/c/<city>/`. A narrower path (`/c/<city>/reserve`) would not be sent with React Router's
 * data requests (`/c/<city>/reserve.data`) once JavaScript runs, and each city's pages still get
 * only their own cookie.
 */

export const FLOW_TTL_SECONDS = 30 * 60;
type CookieKind = "reserve" | "mine";
const COOKIE_OF: Record<CookieKind, CookieName> = { reserve: "reserveFlow", mine: "mine" };

const contactState = z.object({
  name: z.string(),
  phone: z.string(),
  email: z.string(),
  // A family proxy's own name and relation (the phone and e-mail above are theirs then).
  proxyName: z.string().optional(),
  relation: z.enum(FAMILY_RELATIONS).optional(),
});
const flowState = z.object({
  exp: z.number(),
  channel: z.enum(["web", "line"]),
  serviceId: z.string(),
  ticketHolderId: z.string(),
  contact: contactState.optional(),
  /**
   * The verified LINE user (from the `mdg_line` cookie, see features/liff) the resident chose to link
   * this booking to; its notices then go by LINE push. Never taken from a form field.
   */
  lineUserId: z.string().optional(),
  /** 「家族の代わりに予約する」 was chosen on the first page (issue 15). */
  family: z.boolean().optional(),
});
const mineState = z.object({ exp: z.number(), ticketHolderId: z.string() });

export type FlowState = z.infer<typeof flowState>;
export type MineState = z.infer<typeof mineState>;

/** A Fetch Request, or anything with its headers (the framework-free booking endpoint). */
type HasHeaders = { headers: { get(name: string): string | null } };

function key() {
  return masterKey(env().MADOGUCHI_MASTER_KEY);
}

function open<S extends z.ZodType<{ exp: number }>>(
  request: HasHeaders,
  tenant: Pick<Tenant, "id">,
  kind: CookieKind,
  schema: S,
  now: Date,
): z.infer<S> | null {
  const raw = readCookie(request, COOKIE_OF[kind]);
  if (!raw) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(decryptString(key(), raw, `${kind}:${tenant.id}`)));
    return parsed.success && parsed.data.exp > now.getTime() ? parsed.data : null;
  } catch {
    return null;
  }
}

function cookieHeader(tenant: Pick<Tenant, "slug">, kind: CookieKind, value: string, maxAge: number) {
  return setCookie(COOKIE_OF[kind], value, maxAge, { citySlug: tenant.slug });
}

function seal(tenant: Pick<Tenant, "id" | "slug">, kind: CookieKind, state: object, now: Date) {
  const payload = JSON.stringify({ ...state, exp: now.getTime() + FLOW_TTL_SECONDS * 1000 });
  return cookieHeader(tenant, kind, encryptString(key(), payload, `${kind}:${tenant.id}`), FLOW_TTL_SECONDS);
}

export const readFlow = (request: HasHeaders, tenant: Pick<Tenant, "id">, now = new Date()) =>
  open(request, tenant, "reserve", flowState, now);
export const flowCookie = (tenant: Pick<Tenant, "id" | "slug">, state: Omit<FlowState, "exp">, now = new Date()) =>
  seal(tenant, "reserve", state, now);
export const clearFlowCookie = (tenant: Pick<Tenant, "slug">) => cookieHeader(tenant, "reserve", "", 0);
export const readMine = (request: Request, tenant: Pick<Tenant, "id">, now = new Date()) =>
  open(request, tenant, "mine", mineState, now);
export const mineCookie = (tenant: Pick<Tenant, "id" | "slug">, state: Omit<MineState, "exp">, now = new Date()) =>
  seal(tenant, "mine", state, now);
export const clearMineCookie = (tenant: Pick<Tenant, "slug">) => cookieHeader(tenant, "mine", "", 0);

/** The flow so far, or a redirect to its first page (with a notice) when it expired or was skipped. */
export function requireFlow(
  request: Request,
  tenant: Pick<Tenant, "id" | "slug"> & Partial<Pick<Tenant, "bookingConcurrency">>,
  need: "identity" | "contact" = "identity",
): FlowState {
  const state = readFlow(request, tenant);
  if (!state) throw redirect(`/c/${tenant.slug}/reserve?expired=1`);
  // Each step keeps the waiting room's admission alive (ADR 025); never awaited, never fails a step.
  refreshAdmission(request, { id: tenant.id, bookingConcurrency: tenant.bookingConcurrency ?? null });
  if (need === "contact" && !state.contact) throw redirect(`/c/${tenant.slug}/reserve/contact`);
  return state;
}

export function requireMine(request: Request, tenant: Pick<Tenant, "id" | "slug">): MineState {
  const state = readMine(request, tenant);
  if (!state) throw redirect(`/c/${tenant.slug}/reservation?expired=1`);
  return state;
}

/** The first page: which services exist (a choice only when there are several). */
export async function flowStart(db: Db, tenantId: string) {
  const services = await activeServices(db, tenantId);
  return { services: services.map((s) => ({ id: s.id, name: s.name, description: s.description })) };
}

export type StartResult =
  | { ok: true; state: Omit<FlowState, "exp"> }
  | { ok: false; field: "_form" | "serviceId"; message: string; manage?: boolean; opensAt?: Date };

/** Step 1: checks the ticket (rate-limited, one message for every failure), then the service rules. */
export async function startFlow(
  db: Db,
  input: {
    tenantId: string;
    ticketNumber: string;
    birthDate: string;
    serviceId?: string;
    channel: "web" | "line";
    family?: boolean;
    ip: string | null;
  },
  now = new Date(),
): Promise<StartResult> {
  const services = await activeServices(db, input.tenantId);
  const service = input.serviceId
    ? services.find((s) => s.id === input.serviceId)
    : services.length === 1
      ? services[0]
      : undefined;
  if (services.length === 0) return { ok: false, field: "_form", message: ja("booking:errors.noServices") };
  if (!service) return { ok: false, field: "serviceId", message: ja("booking:errors.chooseService") };
  const identity = await verifyTicketHolder(db, {
    tenantId: input.tenantId,
    ticketNumber: input.ticketNumber,
    birthDate: input.birthDate,
    ip: input.ip,
  });
  if (!identity.ok) return { ok: false, field: "_form", message: identity.message };
  const window = await doseWindow(
    db,
    input.tenantId,
    { serviceId: service.id, ticketHolderId: identity.ticketHolderId },
    now,
  );
  if (!window) return { ok: false, field: "_form", message: REFUSAL_MESSAGES["not-found"] };
  if (window.allDone) return { ok: false, field: "_form", message: REFUSAL_MESSAGES["all-doses-done"], manage: true };
  // When the resident's phase opens is shown by the page, in the page's language.
  if (!window.eligible.ok)
    return {
      ok: false,
      field: "_form",
      message: REFUSAL_MESSAGES["not-eligible"],
      ...(window.eligible.opensAt ? { opensAt: window.eligible.opensAt } : {}),
    };
  return {
    ok: true,
    state: {
      channel: input.channel,
      serviceId: service.id,
      ticketHolderId: identity.ticketHolderId,
      ...(input.family ? { family: true } : {}),
    },
  };
}

/** Step 3: the venues with slots this holder may book, and how many still have room. */
export async function venueStep(
  db: Db,
  tenantId: string,
  state: Pick<FlowState, "serviceId" | "ticketHolderId">,
  now = new Date(),
) {
  const window = await doseWindow(
    db,
    tenantId,
    { serviceId: state.serviceId, ticketHolderId: state.ticketHolderId },
    now,
  );
  if (!window) return { ok: false as const, message: REFUSAL_MESSAGES["not-found"] };
  if (window.allDone) return { ok: false as const, message: REFUSAL_MESSAGES["all-doses-done"] };
  const venues = await venuesWithAvailability(db, tenantId, {
    serviceId: state.serviceId,
    from: window.from,
    until: window.until,
  });
  return {
    ok: true as const,
    service: { name: window.service.name, doses: window.service.doses },
    dose: window.dose,
    earliest: window.from > now ? window.from : null,
    venues,
  };
}

export type SlotDay = {
  /** "2026-11-21", the day in Japan: the `?day=` of the day-first slot step. */
  key: string;
  date: string;
  slots: { id: string; time: string; endTime: string; remaining: number }[];
};

const tokyo = tz(TOKYO_TIME_ZONE);

/** Groups slots by their day in Japan, keeping time order. */
export function groupByDay(slots: SlotAvailability[]): SlotDay[] {
  const days: SlotDay[] = [];
  for (const s of slots) {
    const date = formatDateJa(s.startsAt);
    let day = days.at(-1);
    if (!day || day.date !== date)
      days.push((day = { key: format(s.startsAt, "yyyy-MM-dd", { in: tokyo }), date, slots: [] }));
    day.slots.push({
      id: s.id,
      time: formatDateTimeJa(s.startsAt).split(" ")[1]!,
      endTime: formatDateTimeJa(s.endsAt).split(" ")[1]!,
      remaining: Math.max(0, s.remaining),
    });
  }
  return days;
}

/** Step 4 (and the change page): one venue's bookable days and times for this holder. */
export async function slotStep(
  db: Db,
  tenantId: string,
  input: {
    serviceId: string;
    ticketHolderId: string;
    venueId: string;
    excludeReservationId?: string;
    excludeSlotId?: string;
    quota?: "web" | "phone";
  },
  now = new Date(),
) {
  const window = await doseWindow(
    db,
    tenantId,
    {
      serviceId: input.serviceId,
      ticketHolderId: input.ticketHolderId,
      excludeReservationId: input.excludeReservationId,
    },
    now,
  );
  if (!window) return null;
  const found = await slotsAtVenue(db, tenantId, {
    serviceId: input.serviceId,
    venueId: input.venueId,
    from: window.from,
    until: window.until,
    quota: input.quota,
    excludeSlotId: input.excludeSlotId,
  });
  if (!found) return null;
  return { venue: found.venue, dose: window.dose, days: groupByDay(found.slots) };
}

/** Step 5: what is about to be booked. Null when the slot is not one of this flow's service. */
export async function confirmStep(
  db: Db,
  tenantId: string,
  state: Pick<FlowState, "serviceId" | "ticketHolderId">,
  slotId: string,
  now = new Date(),
) {
  const [slot, window] = await Promise.all([
    slotDetail(db, tenantId, slotId),
    doseWindow(db, tenantId, { serviceId: state.serviceId, ticketHolderId: state.ticketHolderId }, now),
  ]);
  if (!slot || !window || slot.serviceId !== state.serviceId) return null;
  const bookable =
    slot.status === "open" && slot.remaining > 0 && slot.startsAt > window.from && slot.startsAt <= window.until;
  return {
    slot: {
      id: slot.id,
      venueId: slot.venue.id,
      startsAt: slot.startsAt,
      when: formatDateTimeJa(slot.startsAt),
      endTime: formatDateTimeJa(slot.endsAt).split(" ")[1]!,
      venue: slot.venue,
    },
    service: { name: window.service.name, whatToBring: window.service.whatToBring },
    dose: window.dose,
    problem: window.allDone
      ? REFUSAL_MESSAGES["all-doses-done"]
      : bookable
        ? null
        : slot.remaining <= 0 && slot.status === "open"
          ? REFUSAL_MESSAGES.full
          : REFUSAL_MESSAGES["outside-window"],
  };
}

/** The flow linked to a verified LINE user (the resident ticked 「このLINEアカウントに予約を連携する」): booked as channel "line". */
export function linkFlowToLine<S extends Omit<FlowState, "exp">>(state: S, lineUserId: string): S {
  return { ...state, channel: "line", lineUserId };
}

/** Step 5, POST: books through the engine. A refusal writes nothing and is shown as is. */
export async function bookFromFlow(
  db: Db,
  input: {
    tenantId: string;
    state: Omit<FlowState, "exp">;
    slotId: string;
    idempotencyKey: string;
    ip: string | null;
    /** The page's language (ADR 039); the reservation's e-mails are written in it (ADR 045). */
    language?: string;
  },
  now = new Date(),
) {
  const { proxyName, relation, ...contact } = input.state.contact ?? { name: "", phone: "", email: "" };
  // A family proxy is recorded like a phone proxy (proxy_note, shown on staff lists) plus who and how related.
  const family = input.state.family && proxyName && relation ? { name: proxyName, relation } : null;
  // A linked flow books as LINE whatever the first page said; an unlinked one never carries a LINE user.
  const lineUserId = input.state.lineUserId ?? null;
  const channel = lineUserId ? "line" : input.state.channel;
  return bookSlot(
    db,
    {
      tenantId: input.tenantId,
      slotId: input.slotId,
      ticketHolderId: input.state.ticketHolderId,
      channel,
      contact,
      lineUserId,
      family,
      proxyNote: family ? familyProxyNote(family) : null,
      idempotencyKey: input.idempotencyKey,
      ip: input.ip,
      language: input.language ?? "ja",
    },
    now,
  );
}

/** The staff-facing note of a web family proxy, in Japanese like every staff page: 「ウェブで家族が代理予約（子：山田 花子）」. */
export function familyProxyNote(family: { name: string; relation: string }): string {
  return ja("booking:proxyNote", { relation: ja(`booking:relation.${family.relation}`), name: family.name });
}

// ---- "My reservation" ----

export async function identifyMine(
  db: Db,
  input: { tenantId: string; ticketNumber: string; birthDate: string; ip: string | null },
) {
  return verifyTicketHolder(db, input);
}

/** The holder's reservations still to come, with whether each may still be changed or cancelled online. */
export async function listMine(db: Db, tenantId: string, ticketHolderId: string, now = new Date()) {
  const rows = await activeReservationsOf(db, tenantId, ticketHolderId);
  return rows.map((r) => ({
    ...r,
    when: formatDateTimeJa(r.startsAt),
    changeable: beforeCutoff(r.startsAt, r.changeCutoffHours, now),
  }));
}

/** The holder's booked reservation, with whether the resident may still change or cancel it. */
export async function mineReservation(
  db: Db,
  tenantId: string,
  ticketHolderId: string,
  reservationId: string,
  now = new Date(),
) {
  const r = await reservationOfHolder(db, tenantId, ticketHolderId, reservationId);
  if (!r) return null;
  return { ...r, when: formatDateTimeJa(r.startsAt), changeable: beforeCutoff(r.startsAt, r.changeCutoffHours, now) };
}

/** Venues the reservation may move to (same service), with open seats in its own quota. */
export async function changeVenues(
  db: Db,
  tenantId: string,
  ticketHolderId: string,
  reservation: { id: string; serviceId: string; quota: "web" | "phone" },
  now = new Date(),
) {
  const window = await doseWindow(
    db,
    tenantId,
    { serviceId: reservation.serviceId, ticketHolderId, excludeReservationId: reservation.id },
    now,
  );
  if (!window) return [];
  return venuesWithAvailability(db, tenantId, {
    serviceId: reservation.serviceId,
    from: window.from,
    until: window.until,
    quota: reservation.quota,
  });
}

/** The slot a reservation is about to move to, for the change page's confirmation. */
export async function changeTarget(
  db: Db,
  tenantId: string,
  reservation: { serviceId: string; slotId: string; quota: "web" | "phone" },
  slotId: string,
) {
  const slot = await slotDetail(db, tenantId, slotId, reservation.quota);
  if (!slot || slot.serviceId !== reservation.serviceId || slot.id === reservation.slotId) return null;
  return {
    id: slot.id,
    when: formatDateTimeJa(slot.startsAt),
    startsAt: slot.startsAt,
    venue: slot.venue,
    full: slot.remaining <= 0,
  };
}

/** Moves one of the holder's reservations; the ownership check comes first, the engine does the rest. */
export async function changeMine(
  db: Db,
  input: { tenantId: string; ticketHolderId: string; reservationId: string; newSlotId: string },
  now = new Date(),
) {
  const mine = await reservationOfHolder(db, input.tenantId, input.ticketHolderId, input.reservationId);
  if (!mine) return { ok: false as const, reason: "not-active" as const, message: REFUSAL_MESSAGES["not-active"] };
  return changeReservation(
    db,
    { tenantId: input.tenantId, reservationId: mine.id, newSlotId: input.newSlotId, actor: { kind: "resident" } },
    now,
  );
}

export async function cancelMine(
  db: Db,
  input: { tenantId: string; ticketHolderId: string; reservationId: string },
  now = new Date(),
) {
  const mine = await reservationOfHolder(db, input.tenantId, input.ticketHolderId, input.reservationId);
  if (!mine) return { ok: false as const, reason: "not-active" as const, message: REFUSAL_MESSAGES["not-active"] };
  return cancelReservation(db, { tenantId: input.tenantId, reservationId: mine.id, actor: { kind: "resident" } }, now);
}
