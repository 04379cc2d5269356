import { HTTPFetchError } from "@line/bot-sdk";
import { describe, expect, it } from "vitest";
import { connectionErrorMessage } from "~/features/line/channel-admin.server";
import { lineFailureMessage, MSG } from "~/features/onboarding/messages";
import { LineApiError, LineTimeoutError, toLineError } from "./errors";
import { lineErrorCase, lineErrorMessage } from "./error-messages";

/**
 * One mapping of LINE failures to Japanese advice, shared by the onboarding wizard, the city's LINE
 * settings and the rich menu; each context overrides only what its reader would do differently.
 * Errors are built the way the client builds them (toLineError on what bot-sdk and fetch throw).
 */
const http = (status: number, body = "{}", headers: Record<string, string> = {}) =>
  toLineError(
    "op",
    new HTTPFetchError(`HTTP ${status}`, { status, statusText: "status text", headers: new Headers(headers), body }),
  );

describe("lineErrorCase", () => {
  it("groups LINE's answers into the cases a person can act on", () => {
    expect(lineErrorCase(http(401))).toBe("unauthorized");
    expect(lineErrorCase(http(403))).toBe("forbidden");
    expect(lineErrorCase(http(429, JSON.stringify({ message: "Too Many Requests" })))).toBe("limited");
    expect(lineErrorCase(http(429, JSON.stringify({ message: "You have reached your monthly limit." })))).toBe(
      "limited",
    );
    expect(lineErrorCase(http(500))).toBe("unavailable");
    expect(lineErrorCase(http(503))).toBe("unavailable");
    expect(lineErrorCase(toLineError("op", new LineTimeoutError()))).toBe("unreachable");
    expect(lineErrorCase(toLineError("op", new TypeError("fetch failed")))).toBe("unreachable");
    for (const status of [400, 404, 409]) expect(lineErrorCase(http(status))).toBe("refused");
    expect(lineErrorCase(new Error("boom"))).toBe("unexpected");
    expect(lineErrorCase("a string")).toBe("unexpected");
  });
});

describe("lineErrorMessage (generic wording)", () => {
  it("reads the same for the generic cases whatever the operation", () => {
    for (const what of ["接続テスト", "LIFFアプリの確認"]) {
      expect(lineErrorMessage(http(429), what)).toBe(
        "LINEのAPIの利用上限に達しています。しばらく待ってからもう一度お試しください。",
      );
      expect(lineErrorMessage(http(502), what)).toBe(
        "LINE側で一時的な問題が発生しています。しばらくしてからもう一度お試しください。",
      );
      expect(lineErrorMessage(toLineError("op", new TypeError("fetch failed")), what)).toContain(
        "LINEのサーバーに接続できませんでした",
      );
    }
  });

  it("names the operation where the advice depends on it, with LINE's status and message on a refusal", () => {
    expect(lineErrorMessage(new Error("boom"), "接続テスト")).toBe(
      "接続テスト中に予期しないエラーが発生しました。しばらくしてからもう一度お試しください。",
    );
    expect(lineErrorMessage(http(403), "LIFFアプリの確認")).toContain(
      "このチャネルアクセストークンではLIFFアプリの確認ができません",
    );
    expect(lineErrorMessage(http(400, JSON.stringify({ message: "Invalid request" })), "Webhook URLの設定")).toBe(
      "LINEからWebhook URLの設定を拒否されました（400: Invalid request）。入力内容を確認してください。",
    );
  });

  it("takes a context's own wording for a case, as text or from the error", () => {
    const wording = { unauthorized: "独自の文言", refused: (e: LineApiError) => `コード${e.status}` };
    expect(lineErrorMessage(http(401), "x", wording)).toBe("独自の文言");
    expect(lineErrorMessage(http(404), "x", wording)).toBe("コード404");
    // Other cases keep the generic wording.
    expect(lineErrorMessage(http(500), "x", wording)).toBe(lineErrorMessage(http(500), "y"));
    // A function cannot apply without a LINE error: the generic text is used.
    expect(lineErrorMessage(new Error("boom"), "x", { unexpected: () => "never" } as never)).toContain(
      "予期しないエラー",
    );
  });
});

describe("the contexts built on it", () => {
  it("the wizard: a bad token is to be reissued; an unreachable LINE points at LINE_API_BASE", () => {
    expect(lineFailureMessage(http(401), "ボット情報の取得")).toBe(MSG.tokenInvalid);
    expect(lineFailureMessage(toLineError("op", new LineTimeoutError()), "ボット情報の取得")).toContain(
      "LINE_API_BASE",
    );
    expect(lineFailureMessage(http(429), "ボット情報の取得")).toBe(lineErrorMessage(http(429), "ボット情報の取得"));
  });

  it("the city admin: a refusal points at the settings; the generic cases are shared with the wizard", () => {
    expect(connectionErrorMessage(http(404))).toBe(
      "LINEから接続を拒否されました（エラーコード 404）。設定内容を確認してください。",
    );
    expect(connectionErrorMessage(http(401))).toContain("アクセストークンが正しくありません");
    expect(connectionErrorMessage(toLineError("op", new TypeError("fetch failed")))).not.toContain("LINE_API_BASE");
    for (const e of [http(429), http(500)]) expect(connectionErrorMessage(e)).toBe(lineFailureMessage(e, "接続テスト"));
    expect(connectionErrorMessage(new Error("boom"), "リッチメニューの反映")).toBe(
      "リッチメニューの反映中に予期しないエラーが発生しました。しばらくしてからもう一度お試しください。",
    );
  });
});
