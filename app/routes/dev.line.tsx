import { useEffect } from "react";
import { Form, Link, data, redirect, useNavigation, useRevalidator } from "react-router";
import type { Route } from "./+types/dev.line";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { ChatLog, QuickReplies } from "~/features/dev-line/components/chat";
import { RichMenuPanel } from "~/features/dev-line/components/rich-menu-panel";
import {
  act,
  addResident,
  devLineDeps,
  loadSimulator,
  selectResident,
  type SimulatorView,
} from "~/features/dev-line/dev-line.server";
import { simulatorPath } from "~/features/dev-line/paths";
import { simulatorActSchema } from "~/features/dev-line/dev-line.schemas";
import { readForm } from "~/lib/form-body.server";

// LINE simulator: a phone-like chat per demo resident against the LINE emulator. 404 unless
// DEV_TOOLS=1, like /dev/mail. Every emulator call is made here on the server; the page polls only
// its own loader, and without JavaScript every control is still a plain form or link.

function depsOr404() {
  const deps = devLineDeps();
  if (!deps) throw data(null, { status: 404 });
  return deps;
}

export function meta(): Route.MetaDescriptors {
  return [{ title: "LINEシミュレーター | 窓口 Madoguchi" }, { name: "robots", content: "noindex" }];
}

type LoaderResult =
  { kind: "ready"; view: SimulatorView } | { kind: "unavailable"; message: string } | { kind: "no-cities" };

export async function loader({ request }: Route.LoaderArgs): Promise<LoaderResult> {
  const deps = depsOr404();
  const url = new URL(request.url);
  const sel = await selectResident(deps, {
    citySlug: url.searchParams.get("city"),
    userId: url.searchParams.get("user"),
    cookieHeader: request.headers.get("cookie"),
  });
  if (sel.kind === "redirect")
    throw redirect(sel.location, sel.setCookie ? { headers: { "Set-Cookie": sel.setCookie } } : undefined);
  if (sel.kind !== "ready") return sel;
  return { kind: "ready", view: await loadSimulator(deps, sel) };
}

export async function action({ request }: Route.ActionArgs) {
  const deps = depsOr404();
  const url = new URL(request.url);
  const cookieHeader = request.headers.get("cookie");
  const sel = await selectResident(deps, {
    citySlug: url.searchParams.get("city"),
    userId: url.searchParams.get("user"),
    cookieHeader,
  });
  if (sel.kind === "redirect")
    throw redirect(sel.location, sel.setCookie ? { headers: { "Set-Cookie": sel.setCookie } } : undefined);
  if (sel.kind !== "ready") return data({ message: "LINEエミュレーターを利用できません。" }, { status: 503 });

  // An image (1 MB) in base64 plus the form around it.
  const form = await readForm(request, { maxBytes: 2 * 1024 * 1024 });
  const fields = Object.fromEntries([...form].filter(([, v]) => typeof v === "string"));
  const ref = typeof fields.ref === "string" ? fields.ref : "";
  const parsed = simulatorActSchema.safeParse({ ...fields, value: form.get(`dt:${ref}`) ?? undefined });
  if (!parsed.success) return data({ message: parsed.error.issues[0]?.message ?? "不正な操作です。" }, { status: 400 });
  const input = parsed.data;
  const file = form.get("image");
  if (input.intent === "add-resident") {
    const added = await addResident(deps, sel.city, cookieHeader);
    if (!added.ok) return data({ message: added.message }, { status: 400 });
    throw redirect(simulatorPath(sel.city.slug, added.userId), { headers: { "Set-Cookie": added.setCookie } });
  }
  const result = await act(
    deps,
    sel.city,
    sel.userId,
    input.intent === "image"
      ? {
          intent: "image",
          name: file instanceof File ? file.name : "",
          contentType: file instanceof File ? file.type : "",
          bytes: file instanceof File ? Buffer.from(await file.arrayBuffer()) : Buffer.alloc(0),
        }
      : input.intent === "menu"
        ? {
            intent: "menu",
            richMenuId: input.richMenuId,
            x: Number(input.tap.split(",")[0]),
            y: Number(input.tap.split(",")[1]),
          }
        : input,
  );
  if (!result.ok) return data({ message: result.message }, { status: 400 });
  // Post/redirect/get: a reload never repeats the act.
  throw redirect(simulatorPath(sel.city.slug, sel.userId));
}

/**
 * Replies and pushes arrive whenever the worker gets to them: ask the loader again 1.5 s after each
 * load while nothing else is loading; a hidden tab waits until it is shown again.
 */
function usePolling(ms = 1500) {
  const { state, revalidate } = useRevalidator();
  const navigation = useNavigation();
  const idle = state === "idle" && navigation.state === "idle";
  useEffect(() => {
    if (!idle) return;
    const run = () => void revalidate();
    const timer = setTimeout(() => {
      if (document.visibilityState === "visible") run();
      else document.addEventListener("visibilitychange", run, { once: true });
    }, ms);
    return () => {
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", run);
    };
  }, [idle, revalidate, ms]);
}

export default function DevLine({ loaderData, actionData }: Route.ComponentProps) {
  usePolling();
  return (
    <main id="main" className="mx-auto max-w-6xl p-4 sm:p-6">
      <h1 className="text-std-28B-150">LINEシミュレーター</h1>
      <p className="mt-2">
        デモの住民としてLINE公式アカウントを操作します。操作はLINEエミュレーターから署名付きWebhookとしてアプリに届き、アプリの応答やプッシュ通知がトークに表示されます。開発・テスト環境専用の画面です。
      </p>
      {actionData?.message ? (
        <Notice variant="error" title="操作できませんでした" className="mt-4">
          {actionData.message}
        </Notice>
      ) : null}
      {loaderData.kind === "unavailable" ? (
        <Notice variant="error" title="LINEエミュレーターに接続できません" className="mt-4">
          {loaderData.message} <code>npm run demo</code> で起動すると、エミュレーターも一緒に起動します。
        </Notice>
      ) : loaderData.kind === "no-cities" ? (
        <Notice variant="warning" title="LINEチャネルが登録されていません" className="mt-4">
          LINEエミュレーターに、このアプリのWebhookを指すチャネルがありません。<code>npm run demo</code>{" "}
          はデモの市区町村のチャネルを登録します。
        </Notice>
      ) : (
        <Simulator view={loaderData.view} />
      )}
    </main>
  );
}

function Simulator({ view }: { view: SimulatorView }) {
  const self = simulatorPath(view.city.slug, view.userId);
  const userBubbles = view.timeline.bubbles.filter((b) => b.from === "user").length;
  const friendship = { following: "友だち", blocked: "ブロック中", unknown: "友だちではありません" }[view.friendship];
  return (
    <>
      <nav aria-label="市区町村と住民の選択" className="mt-6 flex flex-col gap-3">
        <ul className="flex flex-wrap gap-2" aria-label="市区町村">
          {view.cities.map((c) => (
            <li key={c.slug}>
              <Link
                to={`/dev/line?city=${c.slug}`}
                aria-current={c.slug === view.city.slug ? "page" : undefined}
                className="inline-flex min-h-tap items-center rounded-8 border border-solid-gray-420 px-3 aria-[current=page]:border-blue-900 aria-[current=page]:bg-blue-900 aria-[current=page]:text-white"
              >
                {c.name}
              </Link>
            </li>
          ))}
        </ul>
        <div className="flex flex-wrap items-center gap-2">
          <ul className="flex flex-wrap gap-2" aria-label={`${view.city.name}の住民`}>
            {view.residents.map((r) => (
              <li key={r.userId}>
                <Link
                  to={simulatorPath(view.city.slug, r.userId)}
                  aria-current={r.userId === view.userId ? "page" : undefined}
                  className="inline-flex min-h-tap items-center rounded-8 border border-solid-gray-420 px-3 aria-[current=page]:border-blue-900 aria-[current=page]:bg-blue-900 aria-[current=page]:text-white"
                >
                  {r.label}
                </Link>
              </li>
            ))}
          </ul>
          {view.canAddResident ? (
            <Form method="post" action={self}>
              <input type="hidden" name="intent" value="add-resident" />
              <button type="submit" className="min-h-tap rounded-8 border border-dashed border-solid-gray-600 px-3">
                住民を追加
              </button>
            </Form>
          ) : null}
        </div>
      </nav>

      <div className="mt-6 grid gap-6 lg:grid-cols-[24rem_1fr]">
        <section
          aria-labelledby="phone-heading"
          className="mx-auto flex h-[48rem] w-full max-w-sm flex-col overflow-hidden rounded-[2rem] border-[10px] border-solid-gray-900 bg-white shadow-2"
        >
          <header className="flex items-center justify-between gap-2 bg-[#273246] px-4 py-2 text-white">
            <h2 id="phone-heading" className="text-[1rem] text-white">
              {view.city.name}
            </h2>
            <span className="text-[0.8125rem]">
              {view.userLabel}・{friendship}
            </span>
          </header>
          <ChatLog bubbles={view.timeline.bubbles} cityName={view.city.name} action={self} />
          <QuickReplies buttons={view.timeline.quickReplies} action={self} />
          <Form
            method="post"
            action={self}
            className="flex items-center gap-2 border-t border-solid-gray-300 bg-white p-2"
          >
            <input type="hidden" name="intent" value="text" />
            <label htmlFor="line-message" className="sr-only">
              メッセージ
            </label>
            {/* Remounted (emptied) once the sent text shows up as the resident's own bubble. */}
            <input
              key={userBubbles}
              id="line-message"
              name="text"
              required
              maxLength={5000}
              autoComplete="off"
              placeholder="メッセージを入力"
              className="min-h-tap min-w-0 flex-1 rounded-full border border-solid-gray-420 px-4"
            />
            <button
              type="submit"
              className="min-h-tap rounded-full bg-[#047a3a] px-4 font-bold text-white hover:bg-[#03602d]"
            >
              送信
            </button>
          </Form>
          {view.richMenu ? <RichMenuPanel menu={view.richMenu} action={self} /> : null}
        </section>

        <section aria-labelledby="controls-heading">
          <h2 id="controls-heading" className="text-std-20B-150">
            {view.userLabel}の操作
          </h2>
          <p className="mt-1 text-[0.875rem] text-solid-gray-700">
            LINEユーザーID：<code>{view.userId}</code>
          </p>
          <div className="mt-3 flex flex-wrap gap-3">
            <Form method="post" action={self}>
              <input type="hidden" name="intent" value="follow" />
              <Button type="submit">友だち追加</Button>
            </Form>
            <Form method="post" action={self}>
              <input type="hidden" name="intent" value="unfollow" />
              <Button type="submit" variant="secondary">
                ブロック
              </Button>
            </Form>
          </div>

          <Form method="post" action={self} id="location-form" className="mt-6 flex flex-wrap items-end gap-3">
            <input type="hidden" name="intent" value="location" />
            <div className="flex flex-col">
              <label htmlFor="line-place" className="font-bold">
                送る場所
              </label>
              <select id="line-place" name="place" className="min-h-tap rounded-8 border border-solid-gray-420 px-3">
                {view.places.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.title}
                  </option>
                ))}
              </select>
            </div>
            <Button type="submit" variant="secondary">
              位置情報を送る
            </Button>
          </Form>

          <Form
            method="post"
            action={self}
            encType="multipart/form-data"
            id="image-form"
            className="mt-6 flex flex-wrap items-end gap-3"
          >
            <input type="hidden" name="intent" value="image" />
            <div className="flex flex-col">
              <label htmlFor="line-image" className="font-bold">
                送る画像（JPEG・PNG・GIF・WebP、1MBまで）
              </label>
              <input
                id="line-image"
                name="image"
                type="file"
                required
                accept="image/jpeg,image/png,image/gif,image/webp"
                className="min-h-tap"
              />
            </div>
            <Button type="submit" variant="secondary">
              画像を送る
            </Button>
          </Form>

          <h3 className="mt-8 text-std-18B-160">LIFFページについて</h3>
          <p className="mt-1">
            リッチメニューやメッセージ内のLIFFリンク（<code>https://liff.line.me/…</code>
            ）とアプリのページへのリンクは、この住民のIDトークンを付けて新しいタブで開きます（LIFFビューの代わり）。
          </p>
          <p className="mt-1">
            {view.richMenu
              ? "リッチメニューは電話の下部に表示されています。"
              : "この市区町村のリッチメニューはまだ設定されていません。"}
          </p>
        </section>
      </div>
    </>
  );
}
