import { describe, expect, it } from "vitest";
import { createGroupCommit } from "./group-commit";

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("createGroupCommit", () => {
  it("writes a lone request at once, and groups those that arrive while a write is in flight", async () => {
    const flushes: number[][] = [];
    let release!: () => void;
    let gate = new Promise<void>((r) => (release = r));
    const gc = createGroupCommit<number, number>(
      async (_key, items) => {
        flushes.push(items);
        await gate;
        return items.map((i) => i * 10);
      },
      { maxInFlight: 1 },
    );
    const first = gc.submit("a", 1);
    await tick();
    expect(flushes).toEqual([[1]]);
    const rest = [2, 3, 4].map((i) => gc.submit("a", i));
    await tick();
    // Still one write in flight: the others wait, none is answered before its own commit.
    expect(flushes).toEqual([[1]]);
    release();
    gate = Promise.resolve();
    expect(await first).toBe(10);
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
    expect(flushes).toEqual([[1], [2, 3, 4]]);
    expect(gc.pending()).toBe(0);
  });

  it("keeps keys apart and caps the batch size", async () => {
    const flushes: [string, number[]][] = [];
    const gc = createGroupCommit<number, number>(async (key, items) => (flushes.push([key, items]), items), {
      maxBatch: 2,
      maxInFlight: 1,
    });
    await Promise.all([gc.submit("a", 1), gc.submit("a", 2), gc.submit("a", 3), gc.submit("b", 4), gc.submit("a", 5)]);
    expect(flushes).toEqual([
      ["a", [1]],
      ["b", [4]],
      ["a", [2, 3]],
      ["a", [5]],
    ]);
  });

  it("retries each request alone when a grouped write fails, so one bad request fails only itself", async () => {
    const calls: number[][] = [];
    let hold = true;
    const gc = createGroupCommit<number, string>(
      async (_key, items) => {
        calls.push(items);
        if (hold) {
          hold = false;
          await tick();
        }
        if (items.includes(13)) throw new Error("bad row");
        return items.map(String);
      },
      { maxInFlight: 1 },
    );
    const a = gc.submit("k", 1);
    const rest = [2, 13, 4].map((i) => gc.submit("k", i).catch((e: Error) => e.message));
    expect(await a).toBe("1");
    expect(await Promise.all(rest)).toEqual(["2", "bad row", "4"]);
    expect(calls).toEqual([[1], [2, 13, 4], [2], [13], [4]]);
  });
});
