import { describe, expect, it } from "vitest";
import { REFUSAL_MESSAGES } from "~/features/reservations/refusals";
import { IDENTITY_THROTTLED } from "~/features/reservations/identity-messages";
import { identitySchema, contactSchema, familyContactSchema } from "~/features/reservations/resident-flow.schemas";
import { DB_UNAVAILABLE_MESSAGE, DB_UNAVAILABLE_TITLE } from "~/lib/db-unavailable";
import { ERA_MISMATCH } from "~/lib/birth-year";
import { formatDateIn, formatDateTimeIn, formatDayIn } from "~/lib/japan-time";
import { catalogue } from "./index";
import { ja, localizeMessage, messageKey } from "./messages";

// ADR 043: features hand pages Japanese messages taken from the catalogue; resident pages show them in
// their own language by finding the key behind the Japanese text.

describe("feature messages", () => {
  it("every refusal, the lock-out and the busy answer come from the catalogue", () => {
    for (const m of [
      ...Object.values(REFUSAL_MESSAGES),
      IDENTITY_THROTTLED,
      DB_UNAVAILABLE_MESSAGE,
      DB_UNAVAILABLE_TITLE,
      ERA_MISMATCH,
    ])
      expect(messageKey(m), m).not.toBeNull();
  });

  it("every message the booking forms can give is in the catalogue, so no resident sees Japanese by accident", () => {
    const bad = [
      identitySchema.safeParse({ ticketNumber: "12", birthYear: "", birthMonth: "x", birthDay: "40" }),
      identitySchema.safeParse({
        ticketNumber: "",
        birthEra: "showa",
        birthYear: "64",
        birthMonth: "3",
        birthDay: "1",
      }),
      identitySchema.safeParse({ birthYear: "35", birthMonth: "2", birthDay: "31" }),
      contactSchema.safeParse({ name: "", phone: "12", email: "x@" }),
      contactSchema.safeParse({ name: "a".repeat(61) }),
      familyContactSchema.safeParse({ name: "", proxyName: "", relation: "boss" }),
    ];
    const messages = bad.flatMap((r) => r.error?.issues.map((i) => i.message) ?? []);
    expect(messages.length).toBeGreaterThan(8);
    for (const m of messages) expect(messageKey(m), m).not.toBeNull();
  });

  it("is shown in the page's language; furigana markup stays for <RubyText>; other text as it came", () => {
    const full = REFUSAL_MESSAGES.full;
    expect(localizeMessage("ja", full)).toBe(full);
    expect(localizeMessage("en", full)).toBe(
      "Sorry, this time has just become fully booked. Please choose another time.",
    );
    expect(localizeMessage("ja-x-easy", full)).toContain("{時間|じかん}");
    expect(localizeMessage("en", "市が入力した独自の文")).toBe("市が入力した独自の文");
    expect(localizeMessage("xx", full)).toBe(full);
  });

  it("ja() gives the Japanese text with its variables", () => {
    expect(ja("booking:proxyNote", { relation: "孫", name: "山田 太郎" })).toBe(
      "ウェブで家族が代理予約（孫：山田 太郎）",
    );
  });

  it("the booking and reservation namespaces ship in every language", () => {
    for (const { code } of catalogue.languages) {
      expect(Object.keys(catalogue.resources[code]!)).toEqual(expect.arrayContaining(["booking", "reservation"]));
    }
  });
});

describe("dates in the page's language", () => {
  const instant = new Date("2026-11-21T05:30:00Z"); // 14:30 in Japan

  it("Japanese and やさしい日本語 keep the Japanese form; English is western with its weekday", () => {
    expect(formatDateIn("ja", instant)).toBe("2026年11月21日(土)");
    expect(formatDateIn("ja-x-easy", instant)).toBe("2026年11月21日(土)");
    expect(formatDateIn("en", instant)).toBe("Sat, Nov 21, 2026");
    expect(formatDateTimeIn("en", instant)).toBe("Sat, Nov 21, 2026 14:30");
    expect(formatDayIn("ja", "2026-11-21")).toBe("11月21日(土)");
    expect(formatDayIn("en", "2026-11-21")).toBe("Sat, Nov 21");
  });

  it("the day is the day in Japan whatever the language (23:30 UTC is the next morning there)", () => {
    expect(formatDateIn("en", new Date("2026-11-21T23:30:00Z"))).toBe("Sun, Nov 22, 2026");
  });
});
