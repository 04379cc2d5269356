import type { IconKey } from "./tiles";

/**
 * The built-in tile icons as SVG path data on a 24×24 grid, drawn as 2-unit round strokes (no
 * fill), so one stroke colour gives the high-contrast look on both menu themes. Drawn here rather
 * than taken from an icon set: no external assets, no licence to track, and a dozen shapes suffice.
 */
function gear(): string {
  // Eight teeth around a ring: computed, not hand-typed, so they stay evenly spaced.
  const teeth = Array.from({ length: 8 }, (_, i) => {
    const a = (i * Math.PI) / 4;
    const p = (r: number) => `${(12 + r * Math.cos(a)).toFixed(2)} ${(12 + r * Math.sin(a)).toFixed(2)}`;
    return `M${p(7)}L${p(10)}`;
  }).join("");
  return `M12 5a7 7 0 1 0 0 14a7 7 0 1 0 0-14z M12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6z ${teeth}`;
}

export const ICON_PATHS: Record<IconKey, string> = {
  calendar:
    "M5 5h14a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2z M3 10h18 M8 3v4 M16 3v4 M8 14h0.1 M12 14h0.1 M16 14h0.1 M8 17.5h0.1 M12 17.5h0.1",
  check: "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M7.8 12.3l2.9 2.9l5.6-5.8",
  bell: "M6 16.5v-5.5a6 6 0 0 1 12 0v5.5l2 2H4z M10 21.2h4 M12 3v2",
  megaphone: "M3 9.5h4l10-5.5v16l-10-5.5H3z M7 15l1.6 5h3l-1.5-4.2 M20 10v4",
  info: "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M12 11v6 M12 7.6v0.1",
  "map-pin": "M12 22s7-6.2 7-12a7 7 0 0 0-14 0c0 5.8 7 12 7 12z M12 7.5a2.5 2.5 0 1 0 0 5a2.5 2.5 0 1 0 0-5z",
  phone: "M8 2h8a2 2 0 0 1 2 2v16a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2z M10.5 18.5h3 M6 5.5h12",
  home: "M2.5 11.5l9.5-8.5l9.5 8.5 M5 9.5V21h5v-6h4v6h5V9.5",
  chat: "M5 4h14a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2h-8l-5 4v-4H5a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z M8 9.5h8 M8 12.5h5",
  trash: "M3.5 6h17 M9 6V3.5h6V6 M5.5 6l1.2 15h10.6l1.2-15 M10 10v7 M14 10v7",
  gear: gear(),
  warning: "M12 3l10 17.5H2z M12 9.5v5 M12 17.6v0.1",
};
