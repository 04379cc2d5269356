import { z } from "zod";

/**
 * What the Stripe webhook reads from a verified event, typed (ADR 028). A signature proves who sent
 * an event, not that its fields are usable: an event whose fields we read have the wrong type (no
 * `items` on a subscription, a `created` that is no date, a NUL in an id) used to fail inside the
 * transaction — a 500, and Stripe then retries for days. Such an event is acknowledged (200),
 * logged at info and changes nothing. Everything else on the objects is ignored, as before.
 */
const noNul = (s: string) => !s.includes("\0");
const id = z.string().regex(/^[A-Za-z0-9_]{1,255}$/);
const freeText = z.string().max(2_000).refine(noNul);
// Unix seconds between 2000 and 2100: anything else is not a Stripe timestamp.
const unix = z
  .number()
  .int()
  .min(Date.UTC(2000, 0, 1) / 1000)
  .max(Date.UTC(2100, 0, 1) / 1000);
const customer = z.union([id, z.looseObject({ id })]).nullable();

export const stripeEventSchema = z.looseObject({
  id,
  type: z.string().regex(/^[a-z0-9_.]{1,200}$/),
  created: unix,
  data: z.looseObject({ object: z.looseObject({ customer: customer.optional() }) }),
});

export const subscriptionSchema = z.looseObject({
  id,
  status: z.string().regex(/^[a-z_]{1,50}$/),
  customer,
  items: z.looseObject({
    data: z.array(z.looseObject({ current_period_start: unix.nullish(), current_period_end: unix.nullish() })),
  }),
});

const yen = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);
export const invoiceSchema = z.looseObject({
  id,
  customer,
  number: freeText.nullish(),
  status: z
    .string()
    .regex(/^[a-z_]{1,50}$/)
    .nullish(),
  amount_due: yen,
  amount_paid: yen,
  due_date: unix.nullish(),
  period_start: unix.nullish(),
  period_end: unix.nullish(),
  created: unix,
  hosted_invoice_url: freeText.nullish(),
  status_transitions: z.looseObject({ paid_at: unix.nullish() }).nullish(),
});
