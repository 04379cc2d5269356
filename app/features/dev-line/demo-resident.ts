/**
 * The demo's English-speaking resident (issue 15): a LINE friend the seed creates in each demo city
 * with English chosen and a booking linked to LINE, so /dev/line shows the confirmation and the
 * reminder pushed in English. The id is fixed (the simulator's other residents are random per
 * browser) so the seed and the simulator agree on it; it means nothing outside the emulator.
 */
export const DEMO_ENGLISH_RESIDENT = {
  lineUserId: "U0000000000000000000000000000e001",
  label: "Alex（English）",
} as const;
