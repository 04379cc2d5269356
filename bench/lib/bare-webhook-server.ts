/**
 * The baseline for `npm run bench:webhook`: a bare node:http server doing only what LINE's protocol
 * demands of any webhook receiver — read the raw body, verify X-Line-Signature (base64 HMAC-SHA256
 * of the raw body with the channel secret, compared in constant time) and answer 200 `{}`. No
 * framework, no database, no logging: the ceiling for the ack on this machine.
 *
 * Run as a child process of the bench (`node --import tsx bench/lib/bare-webhook-server.ts`):
 *   PORT, HOST (127.0.0.1), BARE_LINE_SECRET (the channel secret), WEB_CONCURRENCY (1): with N > 1
 *   it forks N node:cluster workers sharing the port, like the production server (server/index.ts).
 */
import cluster from "node:cluster";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

const workers = Math.max(1, Number(process.env.WEB_CONCURRENCY ?? 1) || 1);
const secret = process.env.BARE_LINE_SECRET ?? "";
if (!secret) throw new Error("BARE_LINE_SECRET is required");

if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; i++) cluster.fork();
  for (const sig of ["SIGTERM", "SIGINT"] as const) {
    process.once(sig, () => {
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
    });
  }
} else {
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/healthz")
      return void res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method !== "POST") return void res.writeHead(405, { "content-type": "application/json" }).end("{}");
      const signature = req.headers["x-line-signature"];
      const expected = createHmac("sha256", secret).update(Buffer.concat(chunks)).digest();
      const given = Buffer.from(typeof signature === "string" ? signature : "", "base64");
      const ok = given.length === expected.length && timingSafeEqual(given, expected);
      res.writeHead(ok ? 200 : 401, { "content-type": "application/json" }).end("{}");
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.listen(Number(process.env.PORT ?? 3392), process.env.HOST ?? "127.0.0.1");
  for (const sig of ["SIGTERM", "SIGINT"] as const) {
    process.once(sig, () => {
      server.close(() => process.exit(0));
      server.closeIdleConnections();
      setTimeout(() => process.exit(0), 2_000).unref();
    });
  }
}
