import { z } from "zod";

/** The waiting room's setting (ADR 025); shared by the admin form (label) and its action. */
export const CONCURRENCY_LABEL = "同時に予約手続きできる人数";

/** Empty = no waiting room; otherwise a whole number 1–100000 (full-width digits accepted). */
export const waitingRoomSchema = z.object({
  bookingConcurrency: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = (v ?? "").normalize("NFKC").replace(/,/g, "").trim();
      if (s === "") return null;
      const n = /^\d+$/.test(s) ? Number(s) : NaN;
      if (!Number.isInteger(n) || n < 1 || n > 100_000) {
        ctx.addIssue({
          code: "custom",
          message: `${CONCURRENCY_LABEL}は1〜100000の整数で入力してください。順番待ちを使わない場合は空欄にしてください。`,
        });
        return z.NEVER;
      }
      return n;
    }),
});
