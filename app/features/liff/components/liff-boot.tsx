import { useEffect } from "react";
import { useRevalidator } from "react-router";
import { bootLiff } from "../liff-client";

/**
 * Mounted by the resident layout: inside LINE (or the dev simulator) it hands LIFF's ID token to the
 * server, then re-runs the page's loaders so the page can offer what a verified LINE identity allows
 * (linking the reservation, "my reservation" without the ticket number). Renders nothing; without
 * JavaScript or outside LINE it does nothing at all.
 */
export function LiffBoot({ citySlug }: { citySlug: string }) {
  const { revalidate } = useRevalidator();
  useEffect(() => {
    let live = true;
    void bootLiff(citySlug).then((identified) => {
      if (identified && live) void revalidate();
    });
    return () => {
      live = false;
    };
  }, [citySlug, revalidate]);
  return null;
}
