import { randomUUID } from "node:crypto";
import { and, eq, ne, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { onboardings, tenants } from "#db/schema/index";
import { recordVendorAudit } from "~/features/audit/audit.server";
import { createTenantSchema, type CreateTenantInput } from "~/features/tenants/tenants.schemas";
import { createTenant } from "~/features/tenants/tenants.server";
import { contactFormSchema, type CityContact } from "~/lib/city-contact";
import { echoValues, parseForm, type FormFailure, type FormSuccess } from "~/lib/forms";
import { forgetTenant } from "~/tenants/resolve.server";
import { recordStepOutcome, type VendorActor } from "./state.server";
import { withStepOutcome } from "./steps";

/**
 * Step 1: the city itself. Creating it creates the tenant as a draft (status "onboarding": resident
 * pages say it is being prepared) together with the wizard's row, in one transaction — a taken slug
 * leaves nothing behind. Until it goes live the draft can be edited or discarded.
 */
export type CityStepResult = { ok: true; tenantId: string } | { ok: false; field: "slug" | "_form"; message: string };

/** The step's input: the city's details and its 問い合わせ窓口 (optional here, ADR 031). */
export type CityStepInput = CreateTenantInput & { contact?: CityContact | null };

/** Parses the step's form: both parts are checked so every field's message shows at once. */
export function parseCityStepForm(form: FormData): FormSuccess<CityStepInput> | FormFailure {
  const city = parseForm(createTenantSchema, form);
  const contact = parseForm(contactFormSchema({ required: false }), form);
  if (city.ok && contact.ok) return { ok: true, data: { ...city.data, contact: contact.data } };
  const raw: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") raw[k] = v;
  return {
    ok: false,
    errors: { ...(contact.ok ? {} : contact.errors), ...(city.ok ? {} : city.errors) },
    values: echoValues(raw),
  };
}

const SLUG_TAKEN = "このURL用の名前はすでに使われています。別の名前を入力してください。";
const cityDoneMessage = (input: CreateTenantInput) =>
  `${input.prefecture} ${input.name}（/c/${input.slug}）を下書きとして登録しました。`;

export async function startOnboarding(
  db: Db,
  input: CityStepInput,
  actor: VendorActor,
  now = new Date(),
): Promise<CityStepResult> {
  const tenantId = randomUUID();
  return withTenant(db, tenantId, async (tx) => {
    const created = await createTenant(tx, { ...input, id: tenantId, status: "onboarding" }, actor);
    if (!created.ok) return { ok: false as const, field: "slug" as const, message: created.message };
    const steps = withStepOutcome({}, "city", { status: "done", message: cityDoneMessage(input) }, { now });
    await tx.insert(onboardings).values({ tenantId, steps, currentStep: "line", startedBy: actor.vendorUserId });
    await recordVendorAudit(tx, {
      vendorUserId: actor.vendorUserId,
      tenantId,
      action: "onboarding.start",
      detail: { slug: input.slug },
      ip: actor.ip,
    });
    return { ok: true as const, tenantId };
  });
}

function isUniqueViolation(e: unknown) {
  const code = (e as { code?: string; cause?: { code?: string } }).cause?.code ?? (e as { code?: string }).code;
  return code === "23505";
}

/** Edits the draft's details. A new slug makes the LIFF and rich-menu steps stale (their URLs name it). */
export async function updateCityStep(
  db: Db,
  tenantId: string,
  input: CityStepInput,
  actor: VendorActor,
): Promise<CityStepResult> {
  const [current] = await db.select().from(tenants).where(eq(tenants.id, tenantId));
  if (!current || current.status !== "onboarding")
    return { ok: false, field: "_form", message: "この自治体はすでに利用を開始しているため、ここでは変更できません。" };
  const [taken] = await db
    .select({ id: tenants.id })
    .from(tenants)
    .where(and(eq(tenants.slug, input.slug), ne(tenants.id, tenantId)));
  if (taken) return { ok: false, field: "slug", message: SLUG_TAKEN };
  const slugChanged = current.slug !== input.slug;
  try {
    await withTenant(db, tenantId, async (tx) => {
      await tx
        .update(tenants)
        .set({
          name: input.name,
          slug: input.slug,
          prefecture: input.prefecture,
          population: input.population ?? null,
          areas: input.areas,
          ...(input.contact !== undefined ? { contact: input.contact } : {}),
          updatedAt: sql`now()`,
        })
        .where(and(eq(tenants.id, tenantId), eq(tenants.status, "onboarding")));
      await recordStepOutcome(
        tx,
        tenantId,
        "city",
        { status: "done", message: cityDoneMessage(input) },
        { invalidate: slugChanged },
      );
      await recordVendorAudit(tx, {
        vendorUserId: actor.vendorUserId,
        tenantId,
        action: "onboarding.city",
        detail: { ok: true, slugChanged, slug: input.slug },
        ip: actor.ip,
      });
    });
  } catch (e) {
    // Another vendor took the slug between the check and the update.
    if (isUniqueViolation(e)) return { ok: false, field: "slug", message: SLUG_TAKEN };
    throw e;
  }
  forgetTenant(current.slug);
  forgetTenant(input.slug);
  return { ok: true, tenantId };
}

/**
 * Throws the draft away: the city row and everything hanging off it (channel, invitations, the
 * wizard's row) go by cascade. Only a city that never went live; the vendor audit keeps the record.
 */
export async function discardDraft(
  db: Db,
  tenantId: string,
  actor: VendorActor,
): Promise<{ ok: boolean; message: string }> {
  const [current] = await db.select().from(tenants).where(eq(tenants.id, tenantId));
  if (!current) return { ok: false, message: "自治体が見つかりません。" };
  if (current.status !== "onboarding")
    return {
      ok: false,
      message: "利用を開始した自治体は破棄できません。停止する場合は自治体の画面から操作してください。",
    };
  await db.transaction(async (tx) => {
    await recordVendorAudit(tx, {
      vendorUserId: actor.vendorUserId,
      tenantId: null,
      action: "onboarding.discard",
      detail: { tenantId, slug: current.slug, name: current.name },
      ip: actor.ip,
    });
    await tx.delete(tenants).where(and(eq(tenants.id, tenantId), eq(tenants.status, "onboarding")));
  });
  forgetTenant(current.slug);
  return { ok: true, message: `「${current.name}」の下書きを破棄しました。` };
}
