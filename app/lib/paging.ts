/**
 * Offset paging for admin lists that grow without bound (slots of a busy week, roster imports,
 * broadcasts). The page number lives in the URL (?page=2), so 「前へ」「次へ」 are plain links that work
 * without JavaScript, can be bookmarked, and survive the pages' polling revalidation.
 *
 * Offset, not keyset: these lists are read by people, a few pages deep at most, and are sorted by
 * several columns; an offset with a unique tiebreaker in the ORDER BY is stable enough and keeps
 * 「前へ」 trivial. Callers fetch `size + 1` rows: the extra row only tells whether a next page exists.
 */
export const PAGE_SIZE = 50;

/** Nobody pages this deep by hand; a bigger number is a typo or a crawler, read as the last we allow. */
export const MAX_PAGE = 10_000;

export type PageRequest = { page: number; size: number; offset: number; limit: number };
export type Paged<T> = { items: T[]; page: number; hasPrev: boolean; hasNext: boolean; firstIndex: number };
/** What the pager component needs; loaders return it next to their rows. */
export type PageInfo = Omit<Paged<unknown>, "items">;

/** Reads ?page= (1-based). Anything that is not a positive whole number means the first page. */
export function readPage(params: URLSearchParams | URL | string | null | undefined, size = PAGE_SIZE): PageRequest {
  const raw =
    params instanceof URL
      ? params.searchParams.get("page")
      : params instanceof URLSearchParams
        ? params.get("page")
        : params;
  const n = raw && /^\d{1,9}$/.test(raw.trim()) ? Number(raw.trim()) : 1;
  const page = Math.min(Math.max(n, 1), MAX_PAGE);
  return { page, size, offset: (page - 1) * size, limit: size + 1 };
}

/** Cuts the `size + 1` fetched rows down to one page and says whether there are pages either side. */
export function toPage<T>(rows: readonly T[], req: PageRequest): Paged<T> {
  return {
    items: rows.slice(0, req.size),
    page: req.page,
    hasPrev: req.page > 1,
    hasNext: rows.length > req.size,
    firstIndex: req.offset,
  };
}

export function pageInfo<T>(paged: Paged<T>): PageInfo {
  return { page: paged.page, hasPrev: paged.hasPrev, hasNext: paged.hasNext, firstIndex: paged.firstIndex };
}

/** The same URL on another page: every other parameter (filters, week, venue) is kept; page 1 drops ?page. */
export function pageHref(pathname: string, search: string | URLSearchParams, page: number): string {
  const params = new URLSearchParams(search);
  if (page <= 1) params.delete("page");
  else params.set("page", String(page));
  const qs = params.toString();
  return qs ? `${pathname}?${qs}` : pathname;
}
