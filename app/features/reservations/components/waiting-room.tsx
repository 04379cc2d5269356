import { useEffect } from "react";
import { Form, useRevalidator } from "react-router";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { RubyText, useT } from "~/lib/i18n/react";
import { i18n } from "~/lib/i18n";

/**
 * Without JavaScript only: a meta refresh inside <noscript> (as raw HTML, so React neither hoists it
 * to <head> nor renders it when scripts run). A page-wide meta refresh is an axe "critical"
 * (WCAG 2.2.1); with JavaScript the page re-asks quietly instead and the status region is announced.
 */
export function NoScriptRefresh({ seconds }: { seconds: number }) {
  return (
    <noscript dangerouslySetInnerHTML={{ __html: `<meta http-equiv="refresh" content="${Math.trunc(seconds)}">` }} />
  );
}

/**
 * The waiting page of the booking flow's entry (ADR 025). It polls every few seconds (revalidating
 * the loader, or reloading without JavaScript) and 今すぐ確認 is a plain GET of the same page. When the
 * turn comes the same URL answers with the ticket page.
 */
export function WaitingRoom({
  position,
  channel,
  refreshSeconds,
}: {
  position: number;
  channel: "web" | "line";
  refreshSeconds: number;
}) {
  const ahead = position - 1;
  const { lang, t } = useT();
  const { revalidate } = useRevalidator();
  useEffect(() => {
    const t = setInterval(() => void revalidate(), refreshSeconds * 1000);
    return () => clearInterval(t);
  }, [revalidate, refreshSeconds]);
  // The number is set big inside the sentence, wherever each language puts it (count also picks
  // the plural form, so it cannot be a placeholder element: the sentence is cut at the number).
  const sentence = i18n.raw(lang, "waiting.ahead", { count: ahead });
  const at = Math.max(0, sentence.indexOf(String(ahead)));
  const before = sentence.slice(0, at);
  const after = sentence.slice(at + String(ahead).length);
  return (
    <>
      <NoScriptRefresh seconds={refreshSeconds} />
      <PageHeader title={t("waiting.title")} />
      <Notice variant="info" title={<RubyText text={i18n.raw(lang, "waiting.noticeTitle")} />} className="mb-6">
        <p>
          {ahead > 0 ? (
            <>
              <RubyText text={before} />
              <strong className="text-[1.5em]">{ahead.toLocaleString(i18n.info(lang).htmlLang)}</strong>
              <RubyText text={after} />
            </>
          ) : (
            t("waiting.soon")
          )}
        </p>
      </Notice>
      <p>{t("waiting.refresh", { seconds: refreshSeconds })}</p>
      <p className="mt-2">{t("waiting.stay")}</p>
      <Form method="get" className="mt-8">
        {channel === "line" ? <input type="hidden" name="channel" value="line" /> : null}
        <Button type="submit" variant="secondary" size="lg" fullWidth>
          {t("waiting.checkNow")}
        </Button>
      </Form>
    </>
  );
}
