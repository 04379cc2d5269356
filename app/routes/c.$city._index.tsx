import { Link } from "react-router";
import type { Route } from "./+types/c.$city._index";
import { CurrentCityContact } from "~/components/city-contact";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { tenantContext } from "~/tenants/context";

export function loader({ context }: Route.LoaderArgs) {
  const t = context.get(tenantContext);
  return { city: { slug: t.slug, name: t.name } };
}

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.city.name ?? ""} オンライン窓口` }];

// The services a resident can reach; each becomes a page as its slice lands.
const SERVICES: { title: string; body: string; to?: string; linkLabel?: string }[] = [
  {
    title: "ワクチン接種の予約",
    body: "接種券番号と生年月日で、会場と日時を選んで予約できます。",
    to: "reserve",
    linkLabel: "予約する",
  },
  {
    title: "予約の確認・変更・キャンセル",
    body: "予約した日時の確認や、変更・キャンセルができます。",
    to: "reservation",
    linkLabel: "予約を確認する",
  },
  {
    title: "お知らせの受け取り設定",
    body: "ごみ・子育て・イベント・防災など、受け取りたい情報だけを選べます（LINEの友だち向け）。",
    to: "line/settings",
    linkLabel: "受け取り設定へ",
  },
  { title: "道路・公園の不具合の通報", body: "写真と場所を送って、24時間いつでも通報できます。" },
  { title: "避難所をさがす", body: "近くの避難所と開設状況を確認できます。" },
];

export default function CityHome({ loaderData }: Route.ComponentProps) {
  const { city } = loaderData;
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <h1 className="text-3xl font-bold">{city.name} オンライン窓口</h1>
      <p className="mt-4 text-lg">市役所・役場の手続きやお知らせを、スマートフォンやパソコンからご利用いただけます。</p>
      <ul className="mt-6 grid gap-4 sm:grid-cols-2">
        {SERVICES.map((s) => (
          <li key={s.title} className="rounded-lg border border-solid-gray-300 p-4">
            <h2 className="text-xl font-bold">{s.title}</h2>
            <p className="mt-2">{s.body}</p>
            {s.to ? (
              <Link to={`/c/${city.slug}/${s.to}`} className="mt-3 inline-block min-h-tap text-lg font-bold underline">
                {s.linkLabel}
              </Link>
            ) : (
              <p className="mt-3 text-solid-gray-700">準備中です</p>
            )}
          </li>
        ))}
      </ul>
      <p className="mt-8">電話でのご予約・お問い合わせも受け付けています。</p>
      <CurrentCityContact className="mt-3" />
    </ResidentLayout>
  );
}
