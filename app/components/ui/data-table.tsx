import { useId, type ReactNode } from "react";
import { cx } from "./cx";

export type DataTableColumn<Row> = {
  header: string;
  cell: (row: Row) => ReactNode;
  /** Right-aligned with tabular figures, so counts and amounts line up. */
  numeric?: boolean;
  /** Marks the column naming each row (<th scope="row">), e.g. the venue name. */
  rowHeader?: boolean;
};

export type DataTableProps<Row> = {
  /** Every table has a caption: it names the table for screen readers and the scroll region. */
  caption: string;
  /** Keep the caption for assistive technology only, when a heading right above already says it. */
  captionHidden?: boolean;
  columns: readonly DataTableColumn<Row>[];
  rows: readonly Row[];
  /** A stable key per row (an id); falls back to the index, fine for tables that never reorder. */
  rowKey?: (row: Row, index: number) => string | number;
  emptyMessage?: string;
  className?: string;
};

/**
 * A plain, semantic table. On narrow screens it scrolls sideways inside its own box; that box
 * is focusable and named so keyboard users can scroll it too (WCAG 2.1.1).
 */
export function DataTable<Row>({
  caption,
  captionHidden = false,
  columns,
  rows,
  rowKey,
  emptyMessage = "表示するデータがありません。",
  className,
}: DataTableProps<Row>) {
  const captionId = useId();
  return (
    <div role="region" aria-labelledby={captionId} tabIndex={0} className={cx("max-w-full overflow-x-auto", className)}>
      <table className="w-full border-collapse text-left">
        <caption id={captionId} className={cx("mb-2 text-left font-bold", captionHidden && "sr-only")}>
          {caption}
        </caption>
        <thead>
          <tr className="border-b-2 border-solid-gray-800">
            {columns.map((column, index) => (
              <th
                key={index}
                scope="col"
                className={cx("whitespace-nowrap px-3 py-3 font-bold", column.numeric && "text-right")}
              >
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="px-3 py-6 text-center text-solid-gray-700">
                {emptyMessage}
              </td>
            </tr>
          ) : (
            rows.map((row, rowIndex) => (
              <tr
                key={rowKey ? rowKey(row, rowIndex) : rowIndex}
                className="border-b border-solid-gray-200 even:bg-solid-gray-50"
              >
                {columns.map((column, columnIndex) => {
                  const cellClassName = cx("px-3 py-3 align-top", column.numeric && "text-right tabular-nums");
                  return column.rowHeader ? (
                    <th key={columnIndex} scope="row" className={cx(cellClassName, "font-bold")}>
                      {column.cell(row)}
                    </th>
                  ) : (
                    <td key={columnIndex} className={cellClassName}>
                      {column.cell(row)}
                    </td>
                  );
                })}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
