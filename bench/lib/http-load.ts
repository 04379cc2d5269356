import http from "node:http";
import { readFileSync } from "node:fs";

/**
 * A lean HTTP client for load generation: node:http with a keep-alive agent. The load generator
 * shares the machine with the server under test, so it must spend as little CPU per request as it
 * can — global fetch (undici + WHATWG streams) costs several times more per request.
 */
export function createLoadClient(origin: string, sockets: number) {
  const url = new URL(origin);
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  function request(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          headers: body ? { ...headers, "content-length": Buffer.byteLength(body) } : headers,
          agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }
  return { request, close: () => agent.destroy() };
}

/** CPU seconds (user, system) used so far by a process and its direct children (cluster workers). */
export function processTreeCpu(rootPid: number): { user: number; system: number } {
  const ticks = 100; // USER_HZ on Linux
  const total = { user: 0, system: 0 };
  const pids = [rootPid];
  try {
    const children = readFileSync(`/proc/${rootPid}/task/${rootPid}/children`, "utf8").trim();
    if (children) pids.push(...children.split(/\s+/).map(Number));
  } catch {
    /* not Linux, or gone */
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total.user += Number(fields[11]) / ticks; // utime
      total.system += Number(fields[12]) / ticks; // stime
    } catch {
      /* gone */
    }
  }
  return total;
}
