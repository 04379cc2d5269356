import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { controlRoutes } from "./control";
import { liffRoutes } from "./liff";
import { oauthRoutes } from "./idtoken";
import { DEFAULT_LIMITS, type LimitClass } from "./limits";
import { messagingRoutes } from "./messaging";
import { richMenuRoutes } from "./richmenu";
import { createRequestHandler } from "./router";
import { EmulatorState } from "./state";
import { webhookRoutes } from "./webhook";

/**
 * A protocol-level LINE platform emulator (ADR 008): one node:http server answering both the
 * api.line.me and api-data.line.me paths the app uses, delivering signed webhooks to it, and exposing
 * a /__emulator control API. State lives in memory and dies with the server.
 */

export type LineEmulatorOptions = {
  /** 0 = a random free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** How long a webhook delivery waits for the app; LINE gives up after about 2 s. Default 2000. */
  webhookTimeoutMs?: number;
  /** Requests per second per channel and endpoint class; also changeable at runtime (PUT /__emulator/rate-limits). */
  rateLimits?: Partial<Record<LimitClass, number>>;
};

export type LineEmulator = { url: string; port: number; close(): Promise<void> };

export async function startLineEmulator(opts: LineEmulatorOptions = {}): Promise<LineEmulator> {
  const host = opts.host ?? "127.0.0.1";
  const timeoutMs = opts.webhookTimeoutMs ?? 2000;
  const state = new EmulatorState({ ...DEFAULT_LIMITS, ...opts.rateLimits });
  // Order matters where paths overlap: literal segments ("list", "all") are listed before ":param".
  const routes = [
    ...messagingRoutes,
    ...richMenuRoutes,
    ...webhookRoutes(timeoutMs),
    ...liffRoutes,
    ...oauthRoutes,
    ...controlRoutes(timeoutMs),
  ];
  const server = createServer(createRequestHandler(state, routes));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets from SDK clients would otherwise hold close() open for seconds.
        server.closeAllConnections();
      }),
  };
}
