import { Link } from "react-router";
import { DataTable } from "~/components/ui/data-table";
import { figureRows, type Figure } from "../figures";
import { Chart } from "./chart";

/** The series a figure's chart draws: its rates (in %), or its counted columns. */
function seriesOf(f: Figure) {
  const t = f.table;
  if (f.plot === "rates") return t.rates.map((r) => ({ label: r.label, values: r.values }));
  return t.cols
    .map((c, j) => ({ c, j }))
    .filter(({ c }) => !c.capacity)
    .map(({ c, j }) => ({ label: c.label, values: t.cells.map((r) => r[j]!) }));
}

/** One figure: title, what it counts, chart, the same numbers as a table, and its CSV. */
export function FigureCard({ figure, csvHref, print = false }: { figure: Figure; csvHref?: string; print?: boolean }) {
  const rows = figureRows(figure);
  const [header, ...body] = rows;
  const table = (
    <DataTable
      caption={`${figure.title}（表）`}
      columns={header!.map((h, i) => ({ header: h, cell: (r: string[]) => r[i], numeric: i > 0, rowHeader: i === 0 }))}
      rows={body}
      emptyMessage="この期間のデータはありません。"
    />
  );
  return (
    <section aria-labelledby={`fig-${figure.id}`} className="mt-10 break-inside-avoid">
      <h3 id={`fig-${figure.id}`} className="text-xl font-bold">
        {figure.title}
      </h3>
      <p className="mt-1 text-solid-gray-700">{figure.description}</p>
      {body.length > 0 ? (
        <Chart
          title={figure.title}
          kind={figure.chart}
          categories={figure.table.rows}
          series={seriesOf(figure)}
          unit={figure.plot === "rates" ? "%" : ""}
        />
      ) : null}
      {print ? (
        <div className="mt-4">{table}</div>
      ) : (
        <details className="mt-4">
          <summary className="cursor-pointer">数値を表で見る</summary>
          <div className="mt-2">{table}</div>
        </details>
      )}
      {print ? null : (
        <p className="mt-3 flex flex-wrap gap-x-6 gap-y-2">
          {csvHref ? (
            <a href={csvHref} download>
              この図の数値をCSVで保存
            </a>
          ) : null}
          {figure.link ? <Link to={figure.link.href}>{figure.link.label}を開く</Link> : null}
        </p>
      )}
    </section>
  );
}
