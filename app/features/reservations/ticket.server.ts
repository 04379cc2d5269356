import { createHmac, hkdfSync } from "node:crypto";

/**
 * Ticket numbers (接種券番号) arrive typed by residents, read out on the phone, or from a city's
 * CSV: full-width digits, hyphens and spaces are normalised away before anything else happens.
 */
export function normaliseTicketNumber(input: string): string {
  return input.normalize("NFKC").replace(/[\s\-‐‑‒–—―ー－]/g, "");
}

export const isTicketNumber = (normalised: string) => /^\d{10}$/.test(normalised);

/**
 * The city's ticket key, derived from the master key with HKDF and the tenant id: the same ticket
 * number hashes differently in every city, and nothing per-city needs storing.
 */
export function tenantTicketKey(master: Buffer, tenantId: string): Buffer {
  return Buffer.from(
    hkdfSync("sha256", master, Buffer.from(tenantId, "utf8"), Buffer.from("madoguchi/ticket-hmac/v1", "utf8"), 32),
  );
}

export function ticketHash(key: Buffer, normalisedTicket: string): string {
  return createHmac("sha256", key).update(normalisedTicket, "utf8").digest("hex");
}
