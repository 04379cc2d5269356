/** Distances as residents read them, and walking time at 80 m a minute (the 不動産 standard). Pure. */
export const WALK_METRES_PER_MINUTE = 80;

export function formatDistance(meters: number): string {
  if (meters < 1000) return `${Math.max(10, Math.round(meters / 10) * 10)} m`;
  return `${(meters / 1000).toFixed(meters < 10_000 ? 1 : 0)} km`;
}

export const walkingMinutes = (meters: number) => Math.max(1, Math.ceil(meters / WALK_METRES_PER_MINUTE));

export const mapUrl = (s: { latitude: number; longitude: number }) =>
  `https://www.google.com/maps/search/?api=1&query=${s.latitude.toFixed(6)},${s.longitude.toFixed(6)}`;
