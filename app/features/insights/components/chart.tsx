import { useId } from "react";
import { chartModel, type Series } from "../chart-geometry";

// Full class names (Tailwind finds them in the source): fills for bars, strokes for lines, swatches.
const FILL = [
  "fill-blue-900",
  "fill-orange-700",
  "fill-green-800",
  "fill-magenta-800",
  "fill-cyan-900",
  "fill-purple-800",
  "fill-lime-900",
  "fill-red-900",
  "fill-solid-gray-700",
  "fill-yellow-900",
];
const STROKE = [
  "stroke-blue-900",
  "stroke-orange-700",
  "stroke-green-800",
  "stroke-magenta-800",
  "stroke-cyan-900",
  "stroke-purple-800",
  "stroke-lime-900",
  "stroke-red-900",
  "stroke-solid-gray-700",
  "stroke-yellow-900",
];
const SWATCH = [
  "bg-blue-900",
  "bg-orange-700",
  "bg-green-800",
  "bg-magenta-800",
  "bg-cyan-900",
  "bg-purple-800",
  "bg-lime-900",
  "bg-red-900",
  "bg-solid-gray-700",
  "bg-yellow-900",
];

/**
 * A server-rendered SVG chart. It is a picture of the data table next to it (which screen readers
 * read): the SVG is named and described, and its marks are hidden from assistive technology.
 */
export function Chart({
  title,
  kind,
  categories,
  series,
  unit,
}: {
  title: string;
  kind: "bar" | "line";
  categories: string[];
  series: Series[];
  unit?: string;
}) {
  const id = useId();
  const m = chartModel(kind, categories, series, unit);
  return (
    <figure className="mt-4">
      <svg
        viewBox={`0 0 ${m.width} ${m.height}`}
        role="img"
        aria-labelledby={`${id}-t`}
        className="h-auto w-full max-w-3xl"
      >
        <title id={`${id}-t`}>{`${title}のグラフ（数値は下の表にあります）`}</title>
        <g aria-hidden="true">
          {m.yTicks.map((t) => (
            <g key={t.y}>
              <line x1={m.plot.left} x2={m.plot.right} y1={t.y} y2={t.y} className="stroke-solid-gray-200" />
              <text x={m.plot.left - 6} y={t.y + 4} textAnchor="end" className="fill-solid-gray-800 text-[11px]">
                {t.label}
              </text>
            </g>
          ))}
          {m.xLabels.map((l) => (
            <text
              key={l.x}
              x={l.x}
              y={m.plot.bottom + 18}
              textAnchor="middle"
              className="fill-solid-gray-800 text-[11px]"
            >
              {l.label.length > 12 ? `${l.label.slice(0, 11)}…` : l.label}
            </text>
          ))}
          {m.bars.map((b, i) => (
            <rect key={i} x={b.x} y={b.y} width={b.width} height={b.height} className={FILL[b.series % FILL.length]} />
          ))}
          {m.lines.map((l, i) => (
            <polyline
              key={i}
              points={l.points}
              fill="none"
              strokeWidth={2.5}
              className={STROKE[l.series % STROKE.length]}
            />
          ))}
          <line
            x1={m.plot.left}
            x2={m.plot.right}
            y1={m.plot.bottom}
            y2={m.plot.bottom}
            className="stroke-solid-gray-700"
          />
        </g>
      </svg>
      <figcaption className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-std-16N-170">
        {series.map((s, i) => (
          <span key={s.label} className="inline-flex items-center gap-2">
            <span aria-hidden="true" className={`inline-block h-3 w-6 ${SWATCH[i % SWATCH.length]}`} />
            {s.label}
          </span>
        ))}
        <span className="text-solid-gray-700">10人未満の値は描いていません。</span>
      </figcaption>
    </figure>
  );
}
