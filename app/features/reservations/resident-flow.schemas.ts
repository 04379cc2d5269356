import { z } from "zod";
import { birthDateFields, birthDateOf, composeBirthDate } from "~/lib/birth-year";
import { ja } from "~/lib/i18n/messages";

/**
 * Form schemas of the resident booking flow and "my reservation". Residents type on phones with
 * Japanese keyboards: full-width digits, hyphens and spaces are normalised (NFKC) before checking.
 */

const HYPHENS_AND_SPACES = /[\s\-‐‑‒–—―ー－]/g;

export const ticketNumberSchema = z
  .string({ error: () => ja("booking:errors.ticketRequired") })
  .transform((v) => v.normalize("NFKC").replace(HYPHENS_AND_SPACES, ""))
  .pipe(
    z
      .string()
      .min(1, ja("booking:errors.ticketRequired"))
      .regex(/^\d{10}$/, ja("booking:errors.ticketFormat")),
  );

export { composeBirthDate };

export const identitySchema = z
  .object({
    ticketNumber: ticketNumberSchema,
    ...birthDateFields,
    serviceId: z.string().optional(),
    channel: z.string().optional(),
    /** 「家族の代わりに予約する」: the ticket and birth date are the family member's. */
    who: z.string().optional(),
  })
  .transform((v, ctx) => {
    const birthDate = birthDateOf(v, ctx);
    if (!birthDate) return z.NEVER;
    return {
      ticketNumber: v.ticketNumber,
      birthDate,
      serviceId: v.serviceId || undefined,
      channel: v.channel === "line" ? ("line" as const) : ("web" as const),
      family: v.who === "family",
    };
  });

/** Phone: digits only after NFKC, 10 (landline) or 11 (mobile) digits, starting with 0. */
export function normalisePhone(input: string): string {
  return input.normalize("NFKC").replace(/[\s\-‐‑‒–—―ー－()（）]/g, "");
}

const nameField = (required: string) =>
  z
    .string({ error: () => required })
    .transform((v) => v.normalize("NFKC").replace(/\s+/g, " ").trim())
    .pipe(z.string().min(1, required).max(60, ja("booking:errors.nameTooLong")));

const contactFields = z.object({
  name: nameField(ja("booking:errors.nameRequired")),
  phone: z
    .string()
    .optional()
    .transform((v) => normalisePhone(v ?? ""))
    .pipe(z.string().regex(/^(0\d{9,10})?$/, ja("booking:errors.phoneFormat"))),
  email: z
    .string()
    .optional()
    .transform((v) => (v ?? "").normalize("NFKC").trim().toLowerCase())
    .pipe(
      z.union([z.literal(""), z.email(ja("booking:errors.emailFormat")).max(254, ja("booking:errors.emailTooLong"))]),
    ),
});

const needsPhoneOrEmail = (v: { phone: string; email: string }, ctx: z.RefinementCtx) => {
  if (!v.phone && !v.email)
    ctx.addIssue({ code: "custom", path: ["phone"], message: ja("booking:errors.contactRequired") });
};

/** The contact step: a way to reach the resident (phone or e-mail) is required… */
export const contactSchema = contactFields.superRefine(needsPhoneOrEmail);

/** How the family member who books is related to the resident (the catalogue's `booking:relation.*`). */
export const FAMILY_RELATIONS = ["child", "spouse", "grandchild", "sibling", "parent", "other"] as const;
export type FamilyRelation = (typeof FAMILY_RELATIONS)[number];

/**
 * The contact step of a family proxy (issue 15): the resident's name (who comes to the venue), the
 * family member's own name and relation, and the family member's phone or e-mail — notices go there.
 */
export const familyContactSchema = contactFields
  .extend({
    name: nameField(ja("booking:errors.patientNameRequired")),
    proxyName: nameField(ja("booking:errors.nameRequired")),
    relation: z.enum(FAMILY_RELATIONS, { error: () => ja("booking:errors.relationRequired") }),
  })
  .superRefine(needsPhoneOrEmail);

/**
 * …except for a booking linked to the resident's verified LINE account (issue 13.2): the notices go
 * there, so phone and e-mail are optional (still checked when typed).
 */
export const lineLinkedContactSchema = contactFields;

export type Contact = z.infer<typeof contactSchema> & { proxyName?: string; relation?: FamilyRelation };

const uuid = z.uuid(ja("booking:errors.slotInvalid"));

export const confirmBookingSchema = z.object({
  slot: uuid,
  idempotencyKey: z.uuid(ja("booking:errors.pageExpired")),
});

export const changeSchema = z.object({ slot: uuid });

/** Query parameters that name a row: anything but a uuid is treated as "not chosen". */
export function uuidParam(value: string | null): string | null {
  return value && z.uuid().safeParse(value).success ? value : null;
}

/** The text fields of a submitted form, to put back into the form after a refusal. */
export function formStrings(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") out[k] = v;
  return out;
}

/** 「メールで予約を確認する」(ADR 027): the ticket number and the address given when booking. */
export const linkRequestSchema = z.object({
  ticketNumber: ticketNumberSchema,
  email: z
    .string({ error: () => ja("booking:errors.emailRequired") })
    .trim()
    .min(1, ja("booking:errors.emailRequired"))
    .max(254, ja("booking:errors.emailTooLong"))
    .pipe(z.email(ja("booking:errors.emailFormat"))),
});
