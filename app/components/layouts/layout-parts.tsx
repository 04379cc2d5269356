import type { ReactNode } from "react";
import { Form, NavLink } from "react-router";
import { cx } from "~/components/ui/cx";

/** First focusable element of every layout, so keyboard users can pass the header and menu. */
export function SkipLink({ label = "本文へスキップ" }: { label?: ReactNode }) {
  return (
    <a href="#main" className="skip-link">
      {label}
    </a>
  );
}

export type NavItem = {
  to: string;
  label: string;
  /**
   * Highlight only on exactly this URL. Defaults to true for the console's top page (otherwise
   * "ホーム" would stay highlighted on every page under it) and false elsewhere, so "会場" stays
   * highlighted on a venue's own page.
   */
  end?: boolean;
};

type NavMenuProps = { label: string; items: readonly NavItem[]; rootPath: string };

/**
 * The staff consoles' menu: a row that wraps on phones, a column beside the content on wide
 * screens. NavLink sets aria-current="page" on the current item; the style keys off that too, so
 * what sighted users see and what screen readers hear cannot disagree.
 */
export function NavMenu({ label, items, rootPath }: NavMenuProps) {
  return (
    <nav
      aria-label={label}
      className="border-b border-solid-gray-200 bg-solid-gray-50 lg:w-60 lg:shrink-0 lg:border-b-0 lg:border-r"
    >
      <ul className="flex flex-wrap gap-1 p-2 lg:flex-col lg:p-3">
        {items.map((item) => (
          <li key={item.to}>
            <NavLink
              to={item.to}
              end={item.end ?? item.to === rootPath}
              className={cx(
                "flex min-h-tap items-center rounded-6 border-l-4 border-transparent px-3 py-2 text-solid-gray-900 no-underline",
                "hover:bg-blue-50 hover:underline",
                "aria-[current=page]:border-blue-900 aria-[current=page]:bg-blue-100 aria-[current=page]:font-bold aria-[current=page]:text-blue-1000",
              )}
            >
              {item.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

type AccountBarProps = { staffName: string; detail?: string; logoutAction: string };

/** Who is signed in, and the way out. Logout is a POST form so a link prefetch can never log anyone out. */
export function AccountBar({ staffName, detail, logoutAction }: AccountBarProps) {
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
      <p className="text-[0.9375rem]">
        <span className="sr-only">ログイン中：</span>
        <span className="font-bold">{staffName}</span>
        {detail && <span className="ml-1 text-solid-gray-700">（{detail}）</span>}
      </p>
      <Form method="post" action={logoutAction}>
        <button
          type="submit"
          className="min-h-tap rounded-6 border border-current bg-white px-4 py-1 font-bold text-blue-900 hover:bg-blue-200 hover:underline"
        >
          ログアウト
        </button>
      </Form>
    </div>
  );
}

/** The thin footer shared by the staff consoles. */
export function ConsoleFooter() {
  return (
    <footer className="border-t border-solid-gray-200 px-4 py-4 text-[0.875rem] text-solid-gray-700">
      <p>窓口 Madoguchi</p>
    </footer>
  );
}
