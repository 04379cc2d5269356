import { Link, useLocation } from "react-router";
import { pageHref, type PageInfo } from "~/lib/paging";
import { cx } from "./cx";

type Props = PageInfo & {
  /** Rows shown on this page, for 「51〜100件目」. */
  shown: number;
  /** Names the navigation landmark, e.g. 「取り込み履歴のページ」. */
  label: string;
  className?: string;
};

/**
 * 「前へ」「次へ」 as ordinary links to the same URL with another ?page=, so paging works without
 * JavaScript and keeps the page's filters. Renders nothing when everything fits on one page.
 */
export function Pager({ page, hasPrev, hasNext, firstIndex, shown, label, className }: Props) {
  const { pathname, search } = useLocation();
  if (!hasPrev && !hasNext) return null;
  return (
    <nav aria-label={label} className={cx("my-6 flex flex-wrap items-center gap-6", className)}>
      {hasPrev ? (
        <Link to={pageHref(pathname, search, page - 1)} rel="prev">
          前へ
        </Link>
      ) : (
        <span className="text-solid-gray-600" aria-hidden="true">
          前へ
        </span>
      )}
      <span className="tabular-nums" aria-current="page">
        {page}ページ目（{shown > 0 ? `${firstIndex + 1}〜${firstIndex + shown}件目` : "該当なし"}）
      </span>
      {hasNext ? (
        <Link to={pageHref(pathname, search, page + 1)} rel="next">
          次へ
        </Link>
      ) : (
        <span className="text-solid-gray-600" aria-hidden="true">
          次へ
        </span>
      )}
    </nav>
  );
}
