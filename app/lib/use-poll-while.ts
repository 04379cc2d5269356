import { useEffect } from "react";
import { useRevalidator } from "react-router";

/**
 * Re-runs the page's loaders every `everyMs` while `active` (an import or a send in progress), so
 * the status moves without a reload. Without JavaScript the page offers a plain refresh link instead.
 */
export function usePollWhile(active: boolean, everyMs = 2000) {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!active || revalidator.state !== "idle") return;
    const timer = setTimeout(() => void revalidator.revalidate(), everyMs);
    return () => clearTimeout(timer);
  }, [active, everyMs, revalidator]);
}
