import { sql } from "drizzle-orm";
import {
  boolean,
  customType,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { tenantIsolation } from "./tenant-policy";
import { tenants } from "./tenants";

/**
 * A city's LINE rich menus (ADR 009): one row per kind — the everyday menu and the disaster menu a
 * staff member switches to in one click. Tiles are the source of truth; the image is generated from
 * them at publish time unless the city uploaded its own. `active` marks the kind that is (or was
 * last made) LINE's default menu for the channel; at most one per city.
 */
export const lineRichMenuKind = pgEnum("line_rich_menu_kind", ["default", "disaster"]);
export const lineRichMenuImageSource = pgEnum("line_rich_menu_image_source", ["generated", "uploaded"]);

// drizzle 0.45 has no built-in bytea; postgres.js hands bytea back as a Buffer.
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/** What a tile does when tapped. `liff` opens one of the city's own pages (a path under /c/<slug>). */
export type RichMenuTileAction =
  | { type: "liff"; path: string }
  | { type: "message"; text: string }
  | { type: "postback"; data: string; displayText?: string }
  | { type: "uri"; uri: string };

export type RichMenuTile = { label: string; icon: string; action: RichMenuTileAction };

export const lineRichMenus = pgTable(
  "line_rich_menus",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    kind: lineRichMenuKind().notNull(),
    /** Exactly 6 tiles, validated by app/features/line-richmenu/tiles.ts before every write. */
    tiles: jsonb().$type<RichMenuTile[]>().notNull(),
    imageSource: lineRichMenuImageSource().notNull().default("generated"),
    /** The city's own PNG/JPEG (≤ 1 MB, checked on upload); kept when switching back to generated. */
    uploadedImage: bytea(),
    uploadedImageType: text(),
    /** The menu's id on LINE after the last successful publish; null before. */
    lineRichMenuId: text(),
    publishedAt: timestamp({ withTimezone: true }),
    /** Japanese message of the last failed publish, shown to the admin; cleared on success. */
    publishError: text(),
    active: boolean().notNull().default(false),
    /** When tiles or image last changed: newer than publishedAt means LINE shows an older version. */
    editedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** A publish or switch in progress (claimed for a few minutes), so a double submit cannot create two menus. */
    busyUntil: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("line_rich_menus_tenant_kind").on(t.tenantId, t.kind),
    unique("line_rich_menus_tenant_id_id").on(t.tenantId, t.id),
    uniqueIndex("line_rich_menus_one_active")
      .on(t.tenantId)
      .where(sql`${t.active}`),
    tenantIsolation("line_rich_menus"),
  ],
).enableRLS();

export type LineRichMenu = typeof lineRichMenus.$inferSelect;
export type RichMenuKind = (typeof lineRichMenuKind.enumValues)[number];
