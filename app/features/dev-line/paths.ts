/** The simulator's URLs, shared by the server and the page (no server-only imports). */
export const simulatorPath = (citySlug: string, userId: string) =>
  `/dev/line?${new URLSearchParams({ city: citySlug, user: userId })}`;

/** The LIFF view of a link (app/routes/dev.line.open.ts). */
export const openPath = (citySlug: string, userId: string, uri: string) =>
  `/dev/line/open?${new URLSearchParams({ city: citySlug, user: userId, uri })}`;
