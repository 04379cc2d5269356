import type { ReactNode } from "react";
import { Link } from "react-router";
import { AccountBar, ConsoleFooter, NavMenu, SkipLink, type NavItem } from "./layout-parts";

const vendorNav: readonly NavItem[] = [
  { to: "/vendor", label: "自治体一覧" },
  { to: "/vendor/onboarding/new", label: "新しい自治体" },
  { to: "/vendor/billing", label: "請求の状況" },
  { to: "/vendor/usage", label: "利用状況" },
  { to: "/vendor/insights", label: "分析" },
  { to: "/vendor/audit", label: "操作記録" },
  { to: "/vendor/jobs", label: "失敗したジョブ" },
  { to: "/vendor/disaster", label: "災害モード" },
  { to: "/vendor/staff", label: "運営スタッフ" },
  { to: "/vendor/account", label: "アカウント" },
];

export type VendorLayoutProps = { staffName: string; children: ReactNode };

/** The vendor console. A dark badge, unlike the city consoles, so the two are not confused. */
export function VendorLayout({ staffName, children }: VendorLayoutProps) {
  return (
    <div className="flex min-h-dvh flex-col">
      <SkipLink />
      <header className="border-t-8 border-solid-gray-900 border-b border-b-solid-gray-200 bg-white">
        <div className="flex flex-wrap items-center justify-between gap-x-6 gap-y-2 px-4 py-3">
          <Link
            to="/vendor"
            className="flex min-h-tap flex-wrap items-center gap-x-3 text-solid-gray-900 no-underline hover:underline"
          >
            <span className="text-[1.25rem] font-bold">窓口</span>
            <span className="rounded-6 bg-solid-gray-900 px-2.5 py-0.5 font-bold text-white">ベンダーコンソール</span>
          </Link>
          <AccountBar staffName={staffName} logoutAction="/vendor/logout" />
        </div>
      </header>
      <div className="flex flex-1 flex-col lg:flex-row">
        <NavMenu label="ベンダーメニュー" items={vendorNav} rootPath="/vendor" />
        <main id="main" className="min-w-0 flex-1 px-4 py-8 lg:px-8">
          {children}
        </main>
      </div>
      <ConsoleFooter />
    </div>
  );
}
