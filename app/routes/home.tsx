import { Link } from "react-router";
import type { Route } from "./+types/home";
import { PublicLayout } from "~/components/layouts/public-layout";
import { Card } from "~/components/ui/card";

export const meta: Route.MetaFunction = () => [
  { title: "窓口 Madoguchi — 自治体の予約とお問い合わせ" },
  {
    name: "description",
    content: "窓口は、自治体の予約受付やお問い合わせをLINE・ウェブ・電話でまとめて受け付けるサービスです。",
  },
];

// The top page deliberately lists no cities: which cities use the service is each city's own
// announcement to make, and residents arrive through their city's LINE account or web site.
export default function Home() {
  return (
    <PublicLayout>
      <div className="flex flex-col gap-10">
        <div className="flex flex-col gap-4">
          <h1 className="text-[2em] leading-[1.4]">窓口 Madoguchi</h1>
          <p className="text-[1.125em]">
            窓口は、自治体の予約受付やお問い合わせを、LINE・ウェブ・電話のどれからでも同じように受け付けるためのサービスです。ワクチン接種などの予約、よくある質問への回答、道路や公園の不具合の通報など、ご利用いただける内容は市区町村によって異なります。
          </p>
        </div>

        <div className="grid gap-6 md:grid-cols-3">
          <Card title="住民の方">
            <div className="flex flex-col gap-3">
              <p>
                お住まいの市区町村のLINE公式アカウント、または市区町村のホームページにある案内からご利用ください。LINEでもウェブでも、同じページで予約の申し込み・変更・取り消しができます。
              </p>
              <p>
                スマートフォンの操作が不安な方は、市区町村の窓口へお電話ください。職員が代わりに予約をお取りします。
              </p>
              <p>このサービスでは、予約に必要な情報のみをお預かりします。</p>
            </div>
          </Card>

          <Card title="自治体職員の方">
            <div className="flex flex-col gap-3">
              <p>会場・日程・定員の設定、電話予約の代行、お知らせの配信、集計などを管理画面から行えます。</p>
              <p>
                管理画面のアドレスは、担当の方にお送りした招待メールに記載しています。ご不明な点は、運営事業者の担当者までお問い合わせください。
              </p>
            </div>
          </Card>

          <Card title="運営事業者">
            <div className="flex flex-col gap-3">
              <p>自治体の新規登録、LINE公式アカウントの設定、契約と請求の管理はベンダーコンソールで行います。</p>
              <p>
                <Link to="/vendor/login" className="inline-flex min-h-tap items-center font-bold">
                  ベンダーコンソールにログイン
                </Link>
              </p>
            </div>
          </Card>
        </div>
      </div>
    </PublicLayout>
  );
}
