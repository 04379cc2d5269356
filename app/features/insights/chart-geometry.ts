/**
 * The geometry of a figure's chart, computed on the server (no chart library, no inline styles:
 * the SVG is attributes and classes only, so the CSP's `style-src 'self'` holds). Pure.
 */
export type Series = { label: string; values: (number | null)[] };
export type ChartModel = {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  yTicks: { y: number; label: string }[];
  xLabels: { x: number; label: string }[];
  bars: { series: number; x: number; y: number; width: number; height: number }[];
  lines: { series: number; points: string }[];
};

const W = 720;
const H = 280;
const PLOT = { left: 64, top: 12, right: W - 12, bottom: H - 44 };

/** A round axis maximum (1, 2, 2.5, 5 × 10ⁿ) at or above the largest value. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

export function chartModel(kind: "bar" | "line", categories: string[], series: Series[], unit = ""): ChartModel {
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values.map((v) => v ?? 0))));
  const h = PLOT.bottom - PLOT.top;
  const w = PLOT.right - PLOT.left;
  const y = (v: number) => PLOT.bottom - (v / max) * h;
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => ({
    y: y(max * f),
    label: `${(max * f).toLocaleString("ja-JP", { maximumFractionDigits: 1 })}${unit}`,
  }));
  const n = Math.max(categories.length, 1);
  const step = w / n;
  const every = Math.max(1, Math.ceil(n / 8));
  const xLabels = categories
    .map((label, i) => ({ x: PLOT.left + step * (i + 0.5), label, i }))
    .filter((l) => l.i % every === 0 || l.i === n - 1)
    .map(({ x, label }) => ({ x, label }));
  const bars: ChartModel["bars"] = [];
  const lines: ChartModel["lines"] = [];
  if (kind === "bar") {
    const inner = (step * 0.8) / Math.max(series.length, 1);
    series.forEach((s, si) =>
      s.values.forEach((v, i) => {
        if (v === null || v <= 0) return; // hidden (10人未満) or nothing: no bar, the table says which
        const x = PLOT.left + step * i + step * 0.1 + inner * si;
        bars.push({ series: si, x, y: y(v), width: Math.max(inner - 1, 1), height: PLOT.bottom - y(v) });
      }),
    );
  } else {
    series.forEach((s, si) => {
      // A hidden value breaks the line rather than being drawn as a guess.
      let run: string[] = [];
      const flush = () => {
        if (run.length) lines.push({ series: si, points: run.join(" ") });
        run = [];
      };
      s.values.forEach((v, i) => {
        if (v === null) return flush();
        run.push(`${(PLOT.left + step * (i + 0.5)).toFixed(1)},${y(v).toFixed(1)}`);
      });
      flush();
    });
  }
  return { width: W, height: H, plot: PLOT, yTicks, xLabels, bars, lines };
}
