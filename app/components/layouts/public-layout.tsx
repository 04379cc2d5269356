import type { ReactNode } from "react";
import { SkipLink } from "./layout-parts";

/** Pages that belong to no city and need no login: the top page and the vendor login. */
export function PublicLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col text-[1.0625rem]">
      <SkipLink />
      <header className="border-t-8 border-blue-900 border-b border-b-solid-gray-200 bg-white">
        <div className="mx-auto flex max-w-4xl items-center px-4 py-3">
          <a
            href="/"
            className="flex min-h-tap items-baseline gap-x-2 text-solid-gray-900 no-underline hover:underline"
          >
            <span className="text-[1.5em] font-bold">窓口</span>
            <span className="text-solid-gray-700" lang="en">
              Madoguchi
            </span>
          </a>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-4xl flex-1 px-4 py-10">
        {children}
      </main>
      <footer className="border-t border-solid-gray-200 bg-solid-gray-50">
        <div className="mx-auto max-w-4xl px-4 py-6 text-[0.875em] text-solid-gray-700">
          <p>窓口 Madoguchi — 自治体の予約とお問い合わせの窓口</p>
        </div>
      </footer>
    </div>
  );
}
