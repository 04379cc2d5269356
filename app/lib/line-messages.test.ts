import { describe, expect, it } from "vitest";
import {
  flexMessage,
  LIMITS,
  LineLimitError,
  postbackAction,
  quickReply,
  textMessage,
  uriAction,
} from "./line-messages";

describe("LINE message helpers", () => {
  it("cut people's text to LINE's limits", () => {
    const long = textMessage("あ".repeat(6000)) as { text: string };
    expect(long.text).toHaveLength(LIMITS.textChars);
    expect(long.text.endsWith("…")).toBe(true);
    const a = postbackAction("マイナンバーカードの受け取りに必要なもの", "faq=1") as { label: string };
    expect(a.label).toHaveLength(20);
    // A surrogate pair is never split.
    expect((textMessage("😀".repeat(3000)) as { text: string }).text).not.toMatch(/[\uD800-\uDBFF]…$/);
    expect((textMessage("   ") as { text: string }).text).toBe("…");
  });

  it("refuse what only code decides: 14 quick replies, long data, bad URIs, oversized Flex", () => {
    const items = Array.from({ length: 14 }, (_, i) => postbackAction(`${i}`, `x=${i}`));
    expect(() => quickReply(items)).toThrow(LineLimitError);
    expect(() => quickReply(items.slice(0, 13))).not.toThrow();
    expect(() => postbackAction("x", "d".repeat(301))).toThrow(LineLimitError);
    expect(() => uriAction("x", "javascript:alert(1)")).toThrow(LineLimitError);
    const bubble = { type: "bubble", body: { type: "box", layout: "vertical", contents: [] } } as never;
    expect(() =>
      flexMessage(
        "alt",
        Array.from({ length: 13 }, () => bubble),
      ),
    ).toThrow(LineLimitError);
    const huge = {
      type: "bubble",
      body: { type: "box", layout: "vertical", contents: [{ type: "text", text: "あ".repeat(12_000) }] },
    } as never;
    expect(() => flexMessage("alt", [huge])).toThrow(LineLimitError);
    expect(flexMessage("alt", [bubble, bubble])).toMatchObject({ type: "flex", contents: { type: "carousel" } });
  });
});
