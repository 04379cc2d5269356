import { sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { broadcastFigures } from "./broadcast-figures.server";
import { reservationFigures } from "./booking-figures.server";
import type { InsightsContext } from "./context";
import { safeFigure, type Figure, type RawFigure } from "./figures";
import { friendFigures } from "./friend-figures.server";

/**
 * The dashboard, the CSV and the council report show what these providers return, in this order.
 * A city-service slice (FAQ, garbage reports, shelters…) adds its figures by writing one provider
 * (a function from the city and the period to raw counts, inside the city's transaction) and adding
 * it here; k-anonymity, charts, tables, CSV and the report come with it.
 */
export type FigureProvider = {
  id: string;
  title: string;
  load: (tx: Tx, ctx: InsightsContext) => Promise<RawFigure[]>;
};

export const FIGURE_PROVIDERS: FigureProvider[] = [
  { id: "friends", title: "LINE友だち", load: friendFigures },
  { id: "reservations", title: "予約", load: reservationFigures },
  { id: "broadcasts", title: "配信", load: broadcastFigures },
];

export type InsightsSection = { id: string; title: string; figures: Figure[] };

/** Every figure of the city for the period, already k-anonymous: the only way pages and files get them. */
export async function loadInsights(db: Db, ctx: InsightsContext): Promise<InsightsSection[]> {
  return withTenant(db, ctx.tenantId, async (tx) => {
    // Aggregates over tens of thousands of rows returning a few hundred: compiling them (JIT) costs
    // more than it saves (~150 ms a query in bench:insights).
    await tx.execute(sql`set local jit = off`);
    const out: InsightsSection[] = [];
    for (const p of FIGURE_PROVIDERS)
      out.push({ id: p.id, title: p.title, figures: (await p.load(tx, ctx)).map(safeFigure) });
    return out;
  });
}
