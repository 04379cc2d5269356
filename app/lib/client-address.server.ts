import { isIP } from "node:net";
import { RouterContextProvider, createContext } from "react-router";

/**
 * The one client address of a request (ADR 026). It comes from the TCP socket, never from what the
 * client says: the production server (server/app.ts) and the development server (vite.config.ts)
 * put it into the router context before any route runs. Behind proxies, TRUST_PROXY=<n> says how
 * many hops in front are ours, and the n-th address from the right of X-Forwarded-For is taken —
 * the one our own nearest-to-the-client proxy wrote — never the leftmost, which anyone can forge.
 * X-Real-IP is never read. Every limiter, audit row and log line uses this value.
 */
export const clientAddressContext = createContext<string | null>(null);

/** TRUST_PROXY: a hop count (0 = none); "1"/"0" keep their old meaning of one hop / none. */
export function trustedProxyHops(value: string | undefined = process.env.TRUST_PROXY): number {
  const v = (value ?? "").trim();
  if (v === "" || v === "false") return 0;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  // "true" would mean "trust every hop" in express, i.e. the forgeable leftmost address: refuse it.
  throw new Error(`TRUST_PROXY must be the number of proxy hops in front of the app (0, 1, 2…), got "${v}"`);
}

/** "::ffff:192.0.2.1" (an IPv4 client on a dual-stack socket) → "192.0.2.1"; anything else unchanged. */
function canonical(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/**
 * The address `hops` proxies in front of the socket's peer: the chain is the socket's peer, then
 * X-Forwarded-For read from the right (each proxy appends the address it saw). With fewer entries
 * than hops, the furthest one present is used (as express's `trust proxy` does). An entry that is
 * not an address (a misconfigured proxy) falls back to the nearest trusted hop before it.
 */
export function resolveClientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  hops: number,
): string | null {
  if (!socketAddress) return null;
  const chain = [socketAddress];
  if (hops > 0 && forwardedFor) {
    const entries = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor).split(",");
    for (let i = entries.length - 1; i >= 0 && chain.length <= hops; i--) chain.push(entries[i]!.trim());
  }
  for (let i = Math.min(hops, chain.length - 1); i >= 0; i--) {
    const candidate = canonical(chain[i]!);
    if (isIP(candidate)) return candidate;
  }
  return null;
}

/** The production server's load context (server/app.ts, through the build's entry). */
export function createLoadContext(address: string | null): RouterContextProvider {
  const context = new RouterContextProvider();
  context.set(clientAddressContext, address);
  return context;
}

/**
 * The request's client address, or null when the request did not come through one of our servers
 * (only tests that call a route module directly). Limiters then skip their per-address bucket
 * rather than put every such caller into one shared bucket.
 */
export function clientAddress(context: Readonly<RouterContextProvider>): string | null {
  return context.get(clientAddressContext);
}

/**
 * Development only: the dev server (vite.config.ts) cannot hand React Router a load context, so it
 * keeps each request's socket address in this process-wide map under a random one-time token that
 * it writes into DEV_PEER_HEADER (overwriting anything the client sent) and deletes when the answer
 * is finished. A client cannot name a live token, and the production server never creates the map.
 */
export const DEV_PEER_HEADER = "x-madoguchi-dev-peer";
const DEV_PEERS = Symbol.for("madoguchi.devPeers");
type WithDevPeers = { [DEV_PEERS]?: Map<string, string | null> };

export function devPeers(): Map<string, string | null> {
  const g = globalThis as WithDevPeers;
  return (g[DEV_PEERS] ??= new Map());
}

/** Root middleware: fills the context from the dev server's map when no server set it. */
export function adoptDevPeer(request: Request, context: Readonly<RouterContextProvider>) {
  const peers = (globalThis as WithDevPeers)[DEV_PEERS];
  if (!peers || context.get(clientAddressContext) !== null) return;
  const token = request.headers.get(DEV_PEER_HEADER);
  const address = token ? peers.get(token) : undefined;
  if (address) context.set(clientAddressContext, address);
}
