import { describe, expect, it } from "vitest";
import { findStatus, keyMatches, keyPatternOf, lookupPhase, normaliseKey, parseStatusLines, statusText } from "./keys";
import { checkStatusRow, findStatusColumns } from "./status-csv";

const statuses = [
  { code: "s1", label: "受付済み", text: "受け付けました。" },
  { code: "s2", label: "振込予定", text: "振込予定日は{{date}}です。" },
];

describe("status lookup rules", () => {
  it("normalises keys as residents type them and checks the format", () => {
    expect(normaliseKey(" １２３４-５６７８ ")).toBe("12345678");
    expect(normaliseKey("ｋ１２３")).toBe("K123");
    expect(keyMatches(keyPatternOf({ kind: "digits", length: 8 }), "12345678")).toBe(true);
    expect(keyMatches(keyPatternOf({ kind: "digits", length: 8 }), "1234567")).toBe(false);
    expect(keyMatches(keyPatternOf({ kind: "regex", source: "K[0-9]{3}" }), "K123")).toBe(true);
    expect(keyMatches(keyPatternOf({ kind: "regex", source: "K[0-9]{3}" }), "XK123")).toBe(false);
  });

  it("matches a status by label or code and fills its date", () => {
    expect(findStatus(statuses, " 振込予定 ")?.code).toBe("s2");
    expect(findStatus(statuses, "s1")?.label).toBe("受付済み");
    expect(findStatus(statuses, "却下")).toBeNull();
    expect(statusText(statuses[1]!, "2027年1月15日")).toBe("振込予定日は2027年1月15日です。");
  });

  it("reads the staff form's status lines and refuses bad ones", () => {
    expect(parseStatusLines("受付済み=受け付けました。\n審査中＝審査しています。")).toEqual([
      { code: "s1", label: "受付済み", text: "受け付けました。" },
      { code: "s2", label: "審査中", text: "審査しています。" },
    ]);
    expect(parseStatusLines("受付済み")).toMatch(/1行目/);
    expect(parseStatusLines("a=x\na=y")).toMatch(/重複/);
  });

  it("knows before, open and closed by Japan-time calendar days", () => {
    const l = { opensOn: "2026-12-01", closesOn: "2026-12-31" };
    expect(lookupPhase(l, "2026-11-30")).toBe("before");
    expect(lookupPhase(l, "2026-12-31")).toBe("open");
    expect(lookupPhase(l, "2027-01-01")).toBe("closed");
  });

  it("checks one CSV row: era dates, full-width digits, a date for dated statuses", () => {
    const found = findStatusColumns(["申請番号", "生年月日（和暦）", "状況", "日付"], "申請番号");
    expect(found.ok).toBe(true);
    const columns = (found as { columns: Parameters<typeof checkStatusRow>[1] }).columns;
    const lookup = { keyLabel: "申請番号", keyPattern: keyPatternOf({ kind: "digits", length: 8 }), statuses };
    expect(
      checkStatusRow(
        ["１２３４５６７８", "昭和35年1月1日", "振込予定", "令和9年1月15日"],
        columns,
        lookup,
        "2026-12-08",
      ),
    ).toEqual({
      ok: true,
      key: "12345678",
      birthDate: "1960-01-01",
      status: "s2",
      statusDate: "2027-01-15",
    });
    const bad = checkStatusRow(["123", "1960-01-01", "振込予定", ""], columns, lookup, "2026-12-08");
    expect(bad.ok).toBe(false);
    expect((bad as { reason: string }).reason).toMatch(/形式が正しくありません.*日付が必要/);
    expect(findStatusColumns(["番号", "生年月日"], "申請番号")).toMatchObject({ ok: false });
  });
});

describe("editing a lookup", () => {
  it("turns a stored pattern back into the form's fields", async () => {
    const { keyFormatOf } = await import("./keys");
    expect(keyFormatOf(keyPatternOf({ kind: "digits", length: 8 }))).toMatchObject({
      keyFormat: "digits",
      keyDigits: "8",
    });
    expect(keyFormatOf(keyPatternOf({ kind: "regex", source: "K[0-9]{3}" }))).toMatchObject({
      keyFormat: "regex",
      keyRegex: "K[0-9]{3}",
    });
  });
});
