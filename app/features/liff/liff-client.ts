/**
 * Browser side of the LIFF handshake (see identity.server.ts). Runs only from an effect, never on
 * the server, and loads the LIFF SDK only when it can matter: inside LINE (the LIFF browser's user
 * agent says `Line/<version>`) or when the dev simulator handed over a mock token. Residents on the
 * plain web download nothing and send no request.
 *
 * Dev/test switch: /dev/line opens pages with `?liffMockToken=<ID token from the LINE emulator>`.
 * The token is kept in sessionStorage (so later pages of the same visit still have it), removed from
 * the address bar, and used with @line/liff-mock — only if the server says the dev tools are on.
 * The server verifies that token at the (emulated) LINE endpoint like any other: the mock changes
 * where the token comes from, never what the server trusts.
 */

export const MOCK_TOKEN_PARAM = "liffMockToken";
const storageKey = (slug: string) => `mdg:liffMockToken:${slug}`;

type BootInfo = { liffId: string | null; identified: boolean; devTools: boolean };

/** One handshake per city per page load, however many times layouts re-mount. */
const started = new Map<string, Promise<boolean>>();

function takeMockToken(slug: string): { token: string | null; fresh: boolean } {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get(MOCK_TOKEN_PARAM);
  try {
    if (fromUrl) {
      sessionStorage.setItem(storageKey(slug), fromUrl);
      url.searchParams.delete(MOCK_TOKEN_PARAM);
      // Keep the token out of the address bar, history and later form posts.
      window.history.replaceState(window.history.state, "", `${url.pathname}${url.search}${url.hash}`);
      return { token: fromUrl, fresh: true };
    }
    return { token: sessionStorage.getItem(storageKey(slug)), fresh: false };
  } catch {
    // Storage disabled (private mode): the token from the URL still works for this page.
    return { token: fromUrl, fresh: Boolean(fromUrl) };
  }
}

export const inLineApp = () => /\bLine\/\d/i.test(navigator.userAgent);

async function idTokenFromLiff(liffId: string, mockToken: string | null): Promise<string | null> {
  const { default: liff } = await import("@line/liff");
  if (mockToken) {
    const { LiffMockPlugin } = await import("@line/liff-mock");
    type Mocked = {
      init(config: { liffId: string; mock: boolean }): Promise<void>;
      $mock: { set(fn: (prev: Record<string, unknown>) => Record<string, unknown>): void };
    };
    const mocked = liff as unknown as Mocked;
    liff.use(new LiffMockPlugin());
    await mocked.init({ liffId, mock: true });
    mocked.$mock.set((prev) => ({ ...prev, isInClient: true, isLoggedIn: true, getIDToken: mockToken }));
  } else {
    await liff.init({ liffId });
  }
  // Never call liff.login() here: outside LINE the page is the plain web page, no LINE login asked.
  if (!liff.isInClient() && !liff.isLoggedIn()) return null;
  return liff.getIDToken();
}

async function handshake(slug: string): Promise<boolean> {
  const mock = takeMockToken(slug);
  if (!inLineApp() && !mock.token) return false;
  const base = `/c/${encodeURIComponent(slug)}/liff/session`;
  const info = (await (
    await fetch(base, { credentials: "same-origin", headers: { Accept: "application/json" } })
  ).json()) as BootInfo;
  if (!info.liffId) return false;
  // A fresh simulator token may name another user: verify it even when a cookie is already set.
  // `liff.state` (LINE opened a LIFF URL with a path) needs liff.init to reach that page, so init anyway.
  const liffState = new URL(window.location.href).searchParams.has("liff.state");
  if (info.identified && !mock.fresh && !liffState) return false;
  const mockToken = info.devTools ? mock.token : null;
  if (!mockToken && !inLineApp()) return false;
  const idToken = await idTokenFromLiff(info.liffId, mockToken);
  if (!idToken) return false;
  const res = await fetch(base, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ idToken }),
  });
  return res.ok;
}

/**
 * Starts the handshake for this city (once per page load). Resolves true when a new LINE identity
 * was set, so the caller re-runs its loaders (the pages then offer linking). Never rejects: without
 * LINE the pages work as the plain web.
 */
export function bootLiff(slug: string): Promise<boolean> {
  let p = started.get(slug);
  if (!p) {
    p = handshake(slug).catch((e: unknown) => {
      // Browser code, development only: a developer's hint, not an app log.
      // eslint-disable-next-line no-console
      if (import.meta.env.DEV) console.warn("[liff] handshake failed", e);
      return false;
    });
    started.set(slug, p);
  }
  return p;
}
