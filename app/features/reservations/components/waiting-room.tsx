import { useEffect } from "react";
import { Form, useRevalidator } from "react-router";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";

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
  const { revalidate } = useRevalidator();
  useEffect(() => {
    const t = setInterval(() => void revalidate(), refreshSeconds * 1000);
    return () => clearInterval(t);
  }, [revalidate, refreshSeconds]);
  return (
    <>
      <NoScriptRefresh seconds={refreshSeconds} />
      <PageHeader title="順番待ち" />
      <Notice variant="info" title="ただいま混み合っています。順番にご案内しています" className="mb-6">
        <p>
          {ahead > 0 ? (
            <>
              あなたの前に約<strong className="text-[1.5em]">{ahead.toLocaleString("ja-JP")}</strong>人
            </>
          ) : (
            "まもなくご案内します。"
          )}
        </p>
      </Notice>
      <p>このページは{refreshSeconds}秒ごとに自動で更新され、順番が来ると本人確認の画面に進みます。</p>
      <p className="mt-2">
        ページを閉じたり、別のページへ移動したりすると順番が後ろになることがあります。そのままお待ちください。
      </p>
      <Form method="get" className="mt-8">
        {channel === "line" ? <input type="hidden" name="channel" value="line" /> : null}
        <Button type="submit" variant="secondary" size="lg" fullWidth>
          今すぐ確認
        </Button>
      </Form>
    </>
  );
}
