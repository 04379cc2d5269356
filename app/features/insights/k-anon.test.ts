import { describe, expect, it } from "vitest";
import { formatCount, suppressTable, type RawTable, type SafeTable } from "./k-anon";

/** Every line published with its total: either nothing hidden, or at least two hidden. */
function noSingleHidden(s: SafeTable) {
  const R = s.rows.length;
  const sumCols = s.cols.map((c, j) => (c.sum ? j : -1)).filter((j) => j >= 0);
  if (s.rowTotals) {
    for (let i = 0; i < R; i++) {
      const hid = [...sumCols.map((j) => s.cells[i]![j]), s.rowTotals[i]].filter((v) => v === null).length;
      expect(hid === 0 || hid >= 2, `row ${s.rows[i]}`).toBe(true);
    }
  }
  if (s.colTotals) {
    s.cols.forEach((c, j) => {
      if (c.capacity) return;
      const hid = [...s.cells.map((r) => r[j]), s.colTotals![j]].filter((v) => v === null).length;
      expect(hid === 0 || hid >= 2, `column ${c.label}`).toBe(true);
    });
  }
}

const channels = [
  { label: "LINE", sum: true },
  { label: "ウェブ", sum: true },
  { label: "電話", sum: true },
];

describe("k-anonymity", () => {
  it("hides every count below 10, zero included, and shows 10 and above", () => {
    const s = suppressTable({ rows: ["a"], cols: [{ label: "x" }], cells: [[0], [9], [10]].slice(0, 1) });
    expect(s.cells[0]![0]).toBeNull();
    const t = suppressTable({ rows: ["a", "b", "c"], cols: [{ label: "x" }], cells: [[0], [9], [10]] });
    expect(t.cells.map((r) => r[0])).toEqual([null, null, 10]);
    expect(formatCount(null)).toBe("10人未満");
    expect(formatCount(1234)).toBe("1,234");
  });

  it("row derivation: one small cell and its row total would give it back, so a second cell is hidden", () => {
    // LINE 30 + ウェブ 4 + 電話 20 = 54: hiding only 4 leaves 54 − 30 − 20.
    const s = suppressTable({ rows: ["12/1"], cols: channels, cells: [[30, 4, 20]], rowTotals: true });
    expect(s.cells[0]).toEqual([30, null, null]); // the smallest other cell (20) goes too
    expect(s.rowTotals).toEqual([54]);
    noSingleHidden(s);
  });

  it("column derivation: a small cell is not given back by its column total", () => {
    const s = suppressTable({
      rows: ["20代", "30代", "40代"],
      cols: [{ label: "友だち", sum: true }],
      cells: [[3], [40], [25]],
      colTotals: true,
    });
    expect(s.cells.map((r) => r[0])).toEqual([null, 40, null]);
    expect(s.colTotals).toEqual([68]);
    noSingleHidden(s);
  });

  it("a small total is hidden, and then one of its cells too", () => {
    // Row totals 12 (shown) and… a row whose total is 8: the total is hidden, its cells are ≥ 0 and < 8.
    const s = suppressTable({ rows: ["a"], cols: channels, cells: [[5, 2, 1]], rowTotals: true });
    expect(s.rowTotals).toEqual([null]);
    expect(s.cells[0]).toEqual([null, null, null]);
  });

  it("rows and columns together: hiding for a row must not open a column, and the fixpoint closes both", () => {
    const raw: RawTable = {
      rows: ["ワクチン", "健診", "がん検診"],
      cols: channels,
      cells: [
        [120, 5, 80],
        [60, 40, 30],
        [25, 70, 15],
      ],
      rowTotals: true,
      colTotals: true,
    };
    const s = suppressTable(raw);
    expect(s.cells[0]![1]).toBeNull();
    noSingleHidden(s);
    // Nothing that is shown is wrong.
    s.cells.forEach((r, i) => r.forEach((v, j) => v !== null && expect(v).toBe(raw.cells[i]![j])));
    expect(s.grandTotal).toBe(445);
  });

  it("a total small enough to hide spreads hiding to the grand total's line as well", () => {
    const s = suppressTable({
      rows: ["a", "b"],
      cols: channels,
      cells: [
        [3, 3, 2],
        [50, 60, 70],
      ],
      rowTotals: true,
      colTotals: true,
    });
    expect(s.rowTotals![0]).toBeNull();
    noSingleHidden(s);
  });

  it("capacities are published; a rate is hidden when its count is, or when what it leaves out is small", () => {
    const s = suppressTable({
      rows: ["会場A", "会場B", "会場C"],
      cols: [{ label: "予約" }, { label: "枠", capacity: true }],
      cells: [
        [4, 100],
        [80, 100],
        [0, 0],
      ],
      rates: [{ label: "充足率", num: 0, den: 1 }],
    });
    expect(s.cells.map((r) => r[1])).toEqual([100, 100, 0]);
    expect(s.rates[0]!.values).toEqual([null, 80, null]);
    const done = suppressTable({
      rows: ["70代", "80代"],
      cols: [{ label: "開始" }, { label: "完了" }],
      cells: [
        [100, 95],
        [100, 60],
      ],
      rates: [{ label: "完了率", num: 1, den: 0, complement: true }],
    });
    // 95 of 100: the five who did not finish would be given back.
    expect(done.rates[0]!.values).toEqual([null, 60]);
  });
});
