import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Summarises V8 .cpuprofile files (node --cpu-prof) for the bench reports: where the CPU went, by
 * package / node subsystem (self time, and inclusive time = samples with that group anywhere on the
 * stack) and by function. Only samples inside [fromUs, toUs] (process.hrtime µs, the clock V8
 * stamps profiles with) count, so server start-up does not pollute the picture; idle is left out.
 */
type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
};
type Profile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

export type ProfileSummary = {
  files: number;
  busyMs: number;
  groups: { group: string; selfMs: number; selfPct: number; inclusiveMs: number; inclusivePct: number }[];
  functions: { fn: string; selfMs: number; selfPct: number }[];
};

export function groupOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === "(garbage collector)") return "V8: garbage collector";
    if (functionName === "(program)") return "V8/native (program)";
    if (functionName === "(idle)") return "(idle)";
    return "V8/native (other)";
  }
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return `npm: ${pkg[1]}`;
  if (url.startsWith("node:")) {
    const m = url.slice(5);
    if (/crypto/.test(m)) return "node: crypto";
    if (/http|url/.test(m)) return "node: http";
    if (/net|stream|tcp|dns|buffer/.test(m)) return "node: net/streams/buffer";
    if (/fs/.test(m)) return "node: fs";
    if (/timers|task_queues|async_hooks|promise|process\//.test(m)) return "node: timers/microtasks";
    return "node: other";
  }
  if (url.includes("/build/server/")) return "app bundle (build/server/index.js)";
  if (url.includes("/build/node/")) return "server/app.ts (build/node/web.js)";
  return `other: ${url
    .replace(/^file:\/\//, "")
    .split("/")
    .slice(-2)
    .join("/")}`;
}

export function summarizeCpuProfiles(dir: string, window?: { fromUs: number; toUs: number }): ProfileSummary {
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const fns = new Map<string, number>();
  let busyUs = 0;
  for (const f of files) {
    const p = JSON.parse(readFileSync(join(dir, f), "utf8")) as Profile;
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const groupsOnStack = new Map<number, Set<string>>();
    const stackGroups = (id: number): Set<string> => {
      const hit = groupsOnStack.get(id);
      if (hit) return hit;
      const n = byId.get(id)!;
      const up = parent.get(id);
      const set = new Set(up === undefined ? [] : stackGroups(up));
      set.add(groupOf(n.callFrame.url, n.callFrame.functionName));
      groupsOnStack.set(id, set);
      return set;
    };
    let t = p.startTime;
    for (let i = 0; i < p.samples.length; i++) {
      t += p.timeDeltas[i] ?? 0;
      // The time until the next sample is what this sample stands for.
      const dt = p.timeDeltas[i + 1] ?? 0;
      if (window && (t < window.fromUs || t > window.toUs)) continue;
      const n = byId.get(p.samples[i]!)!;
      const g = groupOf(n.callFrame.url, n.callFrame.functionName);
      if (g === "(idle)") continue;
      busyUs += dt;
      self.set(g, (self.get(g) ?? 0) + dt);
      for (const sg of stackGroups(n.id)) if (sg !== "(idle)") inclusive.set(sg, (inclusive.get(sg) ?? 0) + dt);
      const loc = n.callFrame.url
        ? ` ${n.callFrame.url.replace(/^file:\/\/.*\/node_modules\//, "").replace(/^file:\/\/.*\/(build\/)/, "$1")}:${n.callFrame.lineNumber + 1}`
        : "";
      const key = `${n.callFrame.functionName || "(anonymous)"}${loc}`;
      fns.set(key, (fns.get(key) ?? 0) + dt);
    }
  }
  const ms = (us: number) => Math.round(us / 100) / 10;
  const pct = (us: number) => (busyUs ? Math.round((us / busyUs) * 1000) / 10 : 0);
  return {
    files: files.length,
    busyMs: ms(busyUs),
    groups: [...self.keys(), ...[...inclusive.keys()].filter((k) => !self.has(k))]
      .map((g) => ({
        group: g,
        selfMs: ms(self.get(g) ?? 0),
        selfPct: pct(self.get(g) ?? 0),
        inclusiveMs: ms(inclusive.get(g) ?? 0),
        inclusivePct: pct(inclusive.get(g) ?? 0),
      }))
      .sort((a, b) => b.selfMs - a.selfMs),
    functions: [...fns.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 30)
      .map(([fn, us]) => ({ fn, selfMs: ms(us), selfPct: pct(us) })),
  };
}
