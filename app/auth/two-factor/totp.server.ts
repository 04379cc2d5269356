import { randomBytes } from "node:crypto";
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32NoPadding, encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { createTOTPKeyURI, generateHOTP, verifyHOTP } from "@oslojs/otp";

/**
 * TOTP as every authenticator app speaks it (RFC 6238: SHA-1, 30 s, 6 digits). We verify by time
 * step ourselves instead of calling verifyTOTP so we learn *which* step matched: storing it is what
 * refuses a replay of the same code, and an injectable clock lets tests cross window edges.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** One step either side: phones whose clocks drift by up to 30 s still work. */
const WINDOW_STEPS = 1;

export function newTotpKey(): Uint8Array {
  return new Uint8Array(randomBytes(20));
}

export const totpCounterAt = (now: Date) => Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);

export function totpCodeAt(key: Uint8Array, now: Date): string {
  return generateHOTP(key, BigInt(totpCounterAt(now)), TOTP_DIGITS);
}

/**
 * The matching time step for `code` within the window, or null. Steps at or below
 * `lastUsedCounter` are skipped: each code opens the door once.
 */
export function matchTotp(key: Uint8Array, code: string, now: Date, lastUsedCounter: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const current = totpCounterAt(now);
  for (let step = current - WINDOW_STEPS; step <= current + WINDOW_STEPS; step++) {
    if (lastUsedCounter !== null && step <= lastUsedCounter) continue;
    if (verifyHOTP(key, BigInt(step), TOTP_DIGITS, code)) return step;
  }
  return null;
}

/** True when the code is right but its step was already used (for the audit detail only). */
export function isReplayedTotp(key: Uint8Array, code: string, now: Date, lastUsedCounter: number | null): boolean {
  if (lastUsedCounter === null || !/^\d{6}$/.test(code)) return false;
  const current = totpCounterAt(now);
  for (let step = current - WINDOW_STEPS; step <= Math.min(current + WINDOW_STEPS, lastUsedCounter); step++) {
    if (verifyHOTP(key, BigInt(step), TOTP_DIGITS, code)) return true;
  }
  return false;
}

export const manualKey = (key: Uint8Array) =>
  encodeBase32NoPadding(key)
    .replace(/(.{4})/g, "$1 ")
    .trim();

export function keyUri(issuer: string, account: string, key: Uint8Array) {
  return createTOTPKeyURI(issuer, account, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}

/** Codes typed from a phone arrive with spaces or full-width digits; normalise before matching. */
export function normaliseCode(raw: string): string {
  return raw.normalize("NFKC").replace(/[\s-]/g, "").toLowerCase();
}

export const RECOVERY_CODE_COUNT = 10;

/** 10 base32 characters (50 bits), shown as xxxxx-xxxxx; typed back with or without the hyphen. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const raw = encodeBase32LowerCaseNoPadding(new Uint8Array(randomBytes(7))).slice(0, 10);
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
}

/** Random codes with 50 bits need no slow hash: SHA-256 of the normalised form. */
export const hashRecoveryCode = (code: string) =>
  encodeHexLowerCase(sha256(new TextEncoder().encode(normaliseCode(code))));

export const looksLikeRecoveryCode = (normalised: string) => /^[a-z2-7]{10}$/.test(normalised);
