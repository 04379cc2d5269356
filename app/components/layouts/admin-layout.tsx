import type { ReactNode } from "react";
import { Link } from "react-router";
import { AccountBar, ConsoleFooter, NavMenu, SkipLink, type NavItem } from "./layout-parts";
import { roleLabel, type StaffRole } from "./role-label";

export type AdminLayoutProps = {
  cityName: string;
  citySlug: string;
  staffName: string;
  role: StaffRole | (string & {});
  nav: readonly NavItem[];
  children: ReactNode;
};

/**
 * City-staff pages. The header names the city on every page, because a staff member of several
 * cities must never act on the wrong one.
 */
export function AdminLayout({ cityName, citySlug, staffName, role, nav, children }: AdminLayoutProps) {
  const adminRoot = `/c/${citySlug}/admin`;
  return (
    <div className="flex min-h-dvh flex-col">
      <SkipLink />
      <header className="print:hidden border-t-8 border-blue-900 border-b border-b-solid-gray-200 bg-white">
        <div className="flex flex-wrap items-center justify-between gap-x-6 gap-y-2 px-4 py-3">
          <Link
            to={adminRoot}
            className="flex min-h-tap flex-wrap items-center gap-x-3 text-solid-gray-900 no-underline hover:underline"
          >
            <span className="text-[1.25rem] font-bold">{cityName}</span>
            <span className="rounded-6 bg-solid-gray-800 px-2.5 py-0.5 font-bold text-white">管理画面</span>
          </Link>
          <AccountBar staffName={staffName} detail={roleLabel(role)} logoutAction={`${adminRoot}/logout`} />
        </div>
      </header>
      <div className="flex flex-1 flex-col lg:flex-row">
        {/* Printing a page (the council report) prints the page, not the console around it. */}
        <div className="contents print:hidden">
          <NavMenu label="管理メニュー" items={nav} rootPath={adminRoot} />
        </div>
        <main id="main" className="min-w-0 flex-1 px-4 py-8 lg:px-8">
          {children}
        </main>
      </div>
      <div className="contents print:hidden">
        <ConsoleFooter />
      </div>
    </div>
  );
}
