import { Link } from "react-router";
import { CurrentCityContact } from "~/components/city-contact";
import type { NoticePromise } from "../notice-promise.server";

/**
 * The done page's promise about notices and where to call (issue 13.1/13.2): names exactly the
 * channel the notice jobs will use for this booking, then the city's numbers. A separate block so
 * the done page's own layout can change without touching it.
 */
export function NoticeChannelBlock({ promise, citySlug }: { promise: NoticePromise; citySlug: string }) {
  return (
    <section aria-labelledby="notice-channel-heading" className="mt-8" data-testid="notice-channel">
      <h2 id="notice-channel-heading" className="text-[1.25em]">
        お知らせの届け先
      </h2>
      <p className="mt-2">
        {promise.channel === "line" ? (
          "予約の確認と、変更・中止などのお知らせは、このLINEアカウントにメッセージでお送りします。"
        ) : promise.channel === "email" ? (
          <>
            予約の確認と、変更・中止などのお知らせは、メール（
            <span className="font-mono">{promise.maskedEmail}</span>
            ）でお送りします。
          </>
        ) : (
          <>
            お知らせはお送りしません。予約の確認は、予約番号をお控えのうえ{" "}
            <Link to={`/c/${citySlug}/reservation`}>予約の確認・変更</Link> のページか、下の電話番号でお願いします。
          </>
        )}
      </p>
      <CurrentCityContact title="電話でのお問い合わせ" className="mt-4" />
    </section>
  );
}
