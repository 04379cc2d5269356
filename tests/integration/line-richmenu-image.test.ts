import { describe, expect, it } from "vitest";
import { readCappedForm } from "~/features/line-richmenu/form-body.server";
import { checkUploadedImage, inspectImage, MAX_IMAGE_BYTES } from "~/features/line-richmenu/image-check";
import { labelLines, renderRichMenuPng, THEMES } from "~/features/line-richmenu/image.server";
import { MENU_HEIGHT, MENU_WIDTH, tileBounds } from "~/features/line-richmenu/layout";
import { pageUrl, richMenuRequest } from "~/features/line-richmenu/menu-request";
import {
  defaultTiles,
  fieldName,
  tilesFromForm,
  tilesToForm,
  validateTiles,
  type RichMenuTile,
} from "~/features/line-richmenu/tiles";
import { countNear, decodePng, fakeImage, hex } from "./line-richmenu-png";

/** Tiles, the drawn image and the LINE request: no database, no LINE. */
const slug = "kinokawa-demo";
const tiles = defaultTiles(slug, "default");

describe("rich menu tiles", () => {
  it("accepts the starting tiles of both kinds and round-trips them through the form fields", () => {
    for (const kind of ["default", "disaster"] as const) {
      const start = defaultTiles(slug, kind);
      expect(validateTiles(slug, start)).toEqual({ ok: true, tiles: start });
      expect(validateTiles(slug, tilesFromForm(tilesToForm(start)))).toEqual({ ok: true, tiles: start });
    }
  });

  it("needs exactly 6 tiles", () => {
    expect(validateTiles(slug, tiles.slice(0, 5))).toMatchObject({
      ok: false,
      errors: { _form: expect.stringContaining("6") },
    });
    expect(validateTiles(slug, [...tiles, tiles[0]])).toMatchObject({ ok: false });
  });

  it("reports each problem in Japanese under the field it belongs to", () => {
    const form = tilesToForm(tiles);
    form[fieldName(0, "label")] = "とても長いボタンの文字です十三";
    form[fieldName(1, "icon")] = "rocket";
    form[fieldName(2, "actionType")] = "uri";
    form[fieldName(2, "value")] = "http://example.jp/";
    form[fieldName(3, "actionType")] = "liff";
    form[fieldName(3, "value")] = "/c/other-city/reserve";
    form[fieldName(4, "actionType")] = "message";
    form[fieldName(4, "value")] = "  ";
    form[fieldName(5, "actionType")] = "";
    const result = validateTiles(slug, tilesFromForm(form));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[fieldName(0, "label")]).toBe("ボタンの文字は12文字以内で入力してください。");
    expect(result.errors[fieldName(1, "icon")]).toBe("アイコンを選んでください。");
    expect(result.errors[fieldName(2, "value")]).toBe("https:// で始まる正しいURLを入力してください。");
    expect(result.errors[fieldName(3, "value")]).toContain(`/c/${slug}`);
    expect(result.errors[fieldName(4, "value")]).toBe("送る文字を入力してください。");
    expect(result.errors[fieldName(5, "actionType")]).toBe("タップしたときの動作を選んでください。");
  });

  it("keeps a postback's display text, and refuses line breaks in labels", () => {
    const form = tilesToForm(tiles);
    form[fieldName(0, "actionType")] = "postback";
    form[fieldName(0, "value")] = "menu=garbage";
    form[fieldName(0, "displayText")] = "ごみの日";
    const ok = validateTiles(slug, tilesFromForm(form));
    expect(ok.ok && ok.tiles[0].action).toEqual({ type: "postback", data: "menu=garbage", displayText: "ごみの日" });
    form[fieldName(1, "label")] = "二行\nの文字";
    const bad = validateTiles(slug, tilesFromForm(form));
    expect(!bad.ok && bad.errors[fieldName(1, "label")]).toContain("制御文字");
    form[fieldName(1, "label")] = "予約";
    form[fieldName(1, "actionType")] = "liff";
    form[fieldName(1, "value")] = `/c/${slug}/../other-city/reserve`;
    const escaped = validateTiles(slug, tilesFromForm(form));
    expect(!escaped.ok && escaped.errors[fieldName(1, "value")]).toContain("使えません");
  });
});

describe("rich menu request", () => {
  it("6 areas that tile the 2500×1686 image exactly, row by row", () => {
    const req = richMenuRequest(
      tiles,
      "default",
      { width: MENU_WIDTH, height: MENU_HEIGHT },
      { slug, liffId: null, appOrigin: "https://madoguchi.example.jp" },
    );
    expect(req.size).toEqual({ width: 2500, height: 1686 });
    expect(req.chatBarText).toBe("メニュー");
    const areas = req.areas!.map((a) => a.bounds!);
    expect(areas).toHaveLength(6);
    expect(areas.reduce((sum, b) => sum + b.width! * b.height!, 0)).toBe(2500 * 1686);
    expect(areas.map((b) => b.x)).toEqual([0, 833, 1667, 0, 833, 1667]);
    expect(areas.map((b) => b.y)).toEqual([0, 0, 0, 843, 843, 843]);
    for (const row of [areas.slice(0, 3), areas.slice(3)]) expect(row.at(-1)!.x! + row.at(-1)!.width!).toBe(2500);
    expect(areas[3].y! + areas[3].height!).toBe(1686);
    expect(req.areas![0].action).toEqual({
      type: "uri",
      label: "予約する",
      uri: "https://madoguchi.example.jp/c/kinokawa-demo/reserve?channel=line",
    });
    expect(req.areas![2].action).toEqual({ type: "message", label: "お知らせの受信設定", text: "受信設定" });
  });

  it("a LIFF id turns city pages into liff.line.me links below the city's endpoint", () => {
    const ctx = { slug, liffId: "2000000101-kinokawa", appOrigin: "https://madoguchi.example.jp" };
    expect(pageUrl(`/c/${slug}/reserve`, ctx)).toBe("https://liff.line.me/2000000101-kinokawa/reserve?channel=line");
    expect(pageUrl(`/c/${slug}`, ctx)).toBe("https://liff.line.me/2000000101-kinokawa?channel=line");
    expect(pageUrl(`/c/${slug}/reservation?tab=1`, ctx)).toBe(
      "https://liff.line.me/2000000101-kinokawa/reservation?tab=1&channel=line",
    );
  });
});

describe("rich menu image", () => {
  it("is a PNG of 2500×1686 under 1 MB with the label drawn in every tile, for both themes", async () => {
    for (const kind of ["default", "disaster"] as const) {
      const png = await renderRichMenuPng(defaultTiles(slug, kind), kind);
      expect(png.length).toBeLessThanOrEqual(MAX_IMAGE_BYTES);
      expect(inspectImage(png)).toEqual({ type: "image/png", width: 2500, height: 1686 });
      const img = decodePng(png);
      expect([img.width, img.height]).toEqual([2500, 1686]);
      const fg = hex(THEMES[kind].foreground);
      const bg = hex(THEMES[kind].background);
      expect(img.pixel(5, 5).slice(0, 3)).toEqual(bg);
      for (const b of tileBounds()) {
        // The lower part of a tile holds the label (the icon sits above it).
        const band = {
          x: b.x + 20,
          y: b.y + Math.round(b.height * 0.62),
          width: b.width - 40,
          height: Math.round(b.height * 0.3),
        };
        expect(countNear(img, band, fg)).toBeGreaterThan(3000);
      }
    }
  });

  it("draws real Japanese glyphs (two labels of equal length give different pixels, unlike missing-glyph boxes)", async () => {
    const withLabel = (label: string): RichMenuTile[] => tiles.map((t) => ({ ...t, label }));
    const a = decodePng(await renderRichMenuPng(withLabel("予約する"), "default"));
    const b = decodePng(await renderRichMenuPng(withLabel("避難所へ"), "default"));
    const band = { x: 20, y: 560, width: 790, height: 240 };
    let differing = 0;
    for (let y = band.y; y < band.y + band.height; y += 2)
      for (let x = band.x; x < band.x + band.width; x += 2) if (a.pixel(x, y)[2] !== b.pixel(x, y)[2]) differing++;
    expect(differing).toBeGreaterThan(500);
  });

  it("breaks long labels into two lines at a space or near the middle, never before a small kana", () => {
    expect(labelLines("予約する")).toEqual(["予約する"]);
    expect(labelLines("ごみ 出し方")).toEqual(["ごみ", "出し方"]);
    expect(labelLines("お知らせの受信設定")).toEqual(["お知らせの", "受信設定"]);
    expect(labelLines("ちょっとしたこと")).toEqual(["ちょっと", "したこと"]);
    expect(labelLines("インフォメーション")).toEqual(["インフォメー", "ション"]);
  });
});

describe("uploaded images", () => {
  it("accepts PNG and JPEG of LINE's large sizes, read from the bytes", () => {
    expect(checkUploadedImage(fakeImage("png", 2500, 1686))).toEqual({
      ok: true,
      type: "image/png",
      width: 2500,
      height: 1686,
    });
    expect(checkUploadedImage(fakeImage("jpeg", 1200, 810))).toEqual({
      ok: true,
      type: "image/jpeg",
      width: 1200,
      height: 810,
    });
  });

  it("refuses GIF, oversized files and wrong dimensions with a Japanese reason", () => {
    expect(checkUploadedImage(fakeImage("gif", 2500, 1686))).toEqual({
      ok: false,
      message: "GIFの画像は使えません。PNGまたはJPEG形式の画像を選んでください。",
    });
    const big = checkUploadedImage(fakeImage("png", 2500, 1686, MAX_IMAGE_BYTES + 1));
    expect(big.ok === false && big.message).toContain("1MB以下");
    const small = checkUploadedImage(fakeImage("png", 800, 540));
    expect(small.ok === false && small.message).toContain("横800×縦540");
    expect(checkUploadedImage(Buffer.alloc(0))).toEqual({ ok: false, message: "画像ファイルを選んでください。" });
  });

  it("the page's form body is read with a cap: a 2 MB upload is refused before it is buffered", async () => {
    const post = (bytes: number) => {
      const form = new FormData();
      form.set("intent", "upload");
      form.set("image", new Blob([new Uint8Array(bytes)], { type: "image/png" }), "menu.png");
      return new Request("http://localhost/x", { method: "POST", body: form });
    };
    const small = await readCappedForm(post(1000));
    expect(small?.get("intent")).toBe("upload");
    expect((small?.get("image") as File).size).toBe(1000);
    expect(await readCappedForm(post(2 * 1024 * 1024))).toBeNull();
  });
});
