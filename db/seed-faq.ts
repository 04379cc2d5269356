import type { Db } from "./client.server";
import { faqEntries, faqUnanswered } from "./schema/index";
import { withTenant } from "./with-tenant.server";

/**
 * The demo cities' よくある質問 (issue 16): realistic entries in the categories residents ask most,
 * with variants the LINE matching uses, and a few 未回答 questions for staff to promote. Fictional
 * numbers and example.jp links only.
 */
type Seed = { category: string; question: string; answer: string; variants?: string[] };

export const DEMO_FAQ: Seed[] = [
  {
    category: "マイナンバーカード",
    question: "マイナンバーカードの受け取りに必要なものは？",
    answer:
      "交付通知書（はがき）、本人確認書類（運転免許証など）、通知カードまたは個人番号通知書をお持ちください。受け取りは予約制です。\nhttps://www.example.jp/mynumber/uketori",
    variants: ["マイナカード 受取", "マイナンバーカード 受け取り 持ち物", "マイナ 交付"],
  },
  {
    category: "マイナンバーカード",
    question: "マイナンバーカードの申請方法は？",
    answer:
      "スマートフォン、パソコン、郵送、証明写真機で申請できます。市民課の窓口でも申請のお手伝いをしています。\nhttps://www.example.jp/mynumber/shinsei",
    variants: ["マイナカード 作りたい", "マイナンバー 申請"],
  },
  {
    category: "マイナンバーカード",
    question: "マイナンバーカードの暗証番号を忘れました",
    answer:
      "本人確認書類とマイナンバーカードをお持ちのうえ、市民課の窓口で再設定してください。コンビニのキオスク端末で再設定できる場合もあります。",
    variants: ["マイナカード パスワード 忘れた", "暗証番号 ロック"],
  },
  {
    category: "マイナンバーカード",
    question: "マイナンバーカードをなくしました",
    answer:
      "まず個人番号カードコールセンター（0120-95-0178）で一時利用停止をしてください。その後、警察に遺失届を出し、市民課で再交付の手続きをしてください。",
    variants: ["マイナカード 紛失", "マイナンバーカード 落とした"],
  },
  {
    category: "住民票・証明書",
    question: "住民票の写しの取り方は？",
    answer:
      "市民課の窓口、各支所、マイナンバーカードがあればコンビニのマルチコピー機（6:30〜23:00）で取れます。手数料は1通300円（コンビニは200円）です。\nhttps://www.example.jp/juminhyo",
    variants: ["住民票 取得", "住民票 コンビニ", "住民票 欲しい"],
  },
  {
    category: "住民票・証明書",
    question: "印鑑登録証明書はどこで取れますか？",
    answer:
      "市民課の窓口と各支所で、印鑑登録証（カード）をお持ちください。マイナンバーカードがあればコンビニでも取れます。",
    variants: ["印鑑証明", "印鑑登録 証明書"],
  },
  {
    category: "住民票・証明書",
    question: "戸籍謄本を取りたい",
    answer:
      "本籍地が当市の方は市民課の窓口か郵送で請求できます。本籍地が他の市区町村でも、窓口で広域交付を請求できます（本人・配偶者・父母・子のみ）。",
    variants: ["戸籍 取り寄せ", "戸籍全部事項証明書"],
  },
  {
    category: "住民票・証明書",
    question: "代理人が住民票を取るときに必要なものは？",
    answer:
      "本人が書いた委任状と、代理人の本人確認書類が必要です。委任状の様式はホームページからダウンロードできます。\nhttps://www.example.jp/ininjo",
    variants: ["委任状 住民票", "家族の住民票"],
  },
  {
    category: "転入・転出",
    question: "引っ越してきたときの手続きは？",
    answer:
      "引っ越した日から14日以内に、市民課で転入届を出してください。前の市区町村の転出証明書（マイナンバーカードでの転出届ならカード）と本人確認書類が必要です。",
    variants: ["転入届", "引っ越し 手続き 転入", "引越してきた"],
  },
  {
    category: "転入・転出",
    question: "市外へ引っ越すときの手続きは？",
    answer:
      "引っ越す前（おおむね14日前から）に転出届を出してください。マイナンバーカードがあればマイナポータルからオンラインでも届け出できます。",
    variants: ["転出届", "引っ越し 市外", "引越し 出る"],
  },
  {
    category: "転入・転出",
    question: "市内で引っ越したときの手続きは？",
    answer:
      "引っ越した日から14日以内に、市民課で転居届を出してください。国民健康保険や児童手当なども住所変更が必要です。",
    variants: ["転居届", "市内 引っ越し"],
  },
  {
    category: "子育て",
    question: "児童手当の申請方法は？",
    answer:
      "お子さんが生まれた日や転入した日の翌日から15日以内に、子育て支援課へ認定請求書を出してください。マイナポータルからも申請できます。\nhttps://www.example.jp/jidouteate",
    variants: ["児童手当 手続き", "子ども手当"],
  },
  {
    category: "子育て",
    question: "児童手当はいつ振り込まれますか？",
    answer: "偶数月（2月・4月・6月・8月・10月・12月）の10日頃に、前月分までの2か月分を振り込みます。",
    variants: ["児童手当 支給日", "児童手当 振込日"],
  },
  {
    category: "子育て",
    question: "保育園の入園申込みはいつですか？",
    answer: "4月入園の一次申込みは前年の11月です。年度途中の入園は、入園希望月の前月10日までにお申し込みください。",
    variants: ["保育所 申し込み", "保育園 入りたい"],
  },
  {
    category: "子育て",
    question: "子どもの医療費助成について知りたい",
    answer:
      "18歳になった年度末までのお子さんの医療費（保険診療分）の自己負担を助成します。受給者証を医療機関で保険証と一緒に見せてください。",
    variants: ["子ども医療費", "乳幼児医療"],
  },
  {
    category: "ごみ",
    question: "粗大ごみの出し方は？",
    answer:
      "粗大ごみは予約制です。粗大ごみ受付センター（0736-00-5300、平日8:30〜17:00）に電話で申し込み、処理券を貼って指定の日に出してください。\nhttps://www.example.jp/sodaigomi",
    variants: ["大型ごみ", "粗大ゴミ 申し込み", "家具 捨てたい"],
  },
  {
    category: "ごみ",
    question: "ペットボトルの出し方は？",
    answer:
      "キャップとラベルを外し、中を軽くすすいでつぶしてから、資源ごみの日に透明または半透明の袋で出してください。キャップとラベルはプラスチック製容器包装へ。",
    variants: ["ペットボトル 捨て方"],
  },
  {
    category: "ごみ",
    question: "家電（テレビ・冷蔵庫など）を捨てたい",
    answer:
      "エアコン、テレビ、冷蔵庫・冷凍庫、洗濯機・衣類乾燥機は家電リサイクル法の対象で、市では収集しません。買い替えるお店か、指定引取場所へお持ちください。",
    variants: ["テレビ 捨てる", "冷蔵庫 処分", "家電リサイクル"],
  },
  {
    category: "ごみ",
    question: "ごみの分別がわからない",
    answer: "ごみ分別辞典で品目ごとの出し方を調べられます。\nhttps://www.example.jp/gomi/jiten",
    variants: ["分別 方法", "何ごみ"],
  },
  {
    category: "国民健康保険",
    question: "国民健康保険に加入するには？",
    answer:
      "会社の健康保険をやめた日から14日以内に、保険年金課で加入の手続きをしてください。健康保険の資格喪失証明書と本人確認書類が必要です。",
    variants: ["国保 加入", "国民健康保険 入る", "会社を辞めた 保険"],
  },
  {
    category: "国民健康保険",
    question: "国民健康保険をやめるには？",
    answer:
      "会社の健康保険に加入したら、14日以内に保険年金課で脱退の手続きをしてください。新しい保険の資格がわかるものが必要です。",
    variants: ["国保 脱退", "国民健康保険 やめる"],
  },
  {
    category: "国民健康保険",
    question: "国民健康保険税が払えないときは？",
    answer: "納期限までに納められない事情がある場合は、保険年金課へご相談ください。分割納付や減免の制度があります。",
    variants: ["国保税 払えない", "国保 減免"],
  },
  {
    category: "ワクチン・健康",
    question: "ワクチン接種の予約はどうすればいいですか？",
    answer: "LINEで「予約」と送るか、市のホームページの予約ページから予約できます。電話予約は予約専用ダイヤルへ。",
    variants: ["ワクチン 予約", "接種 予約方法"],
  },
  {
    category: "ワクチン・健康",
    question: "接種券をなくしました",
    answer: "健康推進課で再発行できます。本人確認書類をお持ちください。電話でも申請できます。",
    variants: ["接種券 紛失", "接種券 再発行"],
  },
  {
    category: "ワクチン・健康",
    question: "ワクチン接種の当日に持っていくものは？",
    answer:
      "接種券、予診票（記入したもの）、本人確認書類、お薬手帳（お持ちの方）です。肩を出しやすい服装でお越しください。",
    variants: ["接種 持ち物", "ワクチン 当日"],
  },
  {
    category: "ワクチン・健康",
    question: "健康診断（特定健診）を受けたい",
    answer:
      "40歳から74歳の国民健康保険の方は、毎年6月に届く受診券で市内の医療機関で受けられます。自己負担は500円です。",
    variants: ["特定健診", "健診 受けたい"],
  },
  {
    category: "税金",
    question: "住民税の納付書をなくしました",
    answer: "税務課で再発行できます。電話で依頼いただければ郵送します。",
    variants: ["納付書 再発行", "住民税 払い方"],
  },
  {
    category: "税金",
    question: "所得証明書（課税証明書）はどこで取れますか？",
    answer:
      "税務課の窓口と各支所で取れます。マイナンバーカードがあればコンビニでも取れます（その年度の1月1日に市内に住んでいた方）。",
    variants: ["課税証明", "所得証明"],
  },
  {
    category: "戸籍・届出",
    question: "婚姻届はどこに出せばいいですか？",
    answer: "市民課の窓口に出してください。夜間・休日は市役所の守衛室で受け付けます。証人2人の署名が必要です。",
    variants: ["結婚 届け出", "婚姻届 提出"],
  },
  {
    category: "戸籍・届出",
    question: "出生届の出し方は？",
    answer:
      "生まれた日を含めて14日以内に、市民課に出生届を出してください。出生証明書（病院で記入）と母子健康手帳が必要です。",
    variants: ["出生届", "赤ちゃん 届け出"],
  },
  {
    category: "戸籍・届出",
    question: "死亡届の手続きは？",
    answer:
      "亡くなったことを知った日から7日以内に、市民課に死亡届を出してください。多くの場合、葬儀社が代わりに届け出ます。その後の手続きはお悔やみ窓口でまとめてご案内します。",
    variants: ["死亡届", "お悔やみ 手続き"],
  },
  {
    category: "市役所",
    question: "市役所の開庁時間は？",
    answer: "平日8:30〜17:15です（土日祝日・年末年始は休み）。市民課は毎月第2・第4土曜日の9:00〜12:00も開いています。",
    variants: ["市役所 何時まで", "開いている時間", "土曜 開庁"],
  },
  {
    category: "市役所",
    question: "市役所の駐車場はありますか？",
    answer: "本庁舎の東側に来庁者用駐車場（120台、無料）があります。",
    variants: ["駐車場", "車で行く"],
  },
];

/** Questions residents asked that the FAQ could not answer, for the 未回答 page. */
export const DEMO_UNANSWERED: { text: string; count: number }[] = [
  { text: "犬の登録はどこでできますか", count: 7 },
  { text: "図書館の休館日", count: 4 },
  { text: "自転車の放置 撤去", count: 2 },
];

export async function seedDemoFaq(db: Db, tenantId: string): Promise<void> {
  await withTenant(db, tenantId, async (tx) => {
    await tx.insert(faqEntries).values(DEMO_FAQ.map((e) => ({ tenantId, ...e, variants: e.variants ?? [] })));
    await tx.insert(faqUnanswered).values(DEMO_UNANSWERED.map((u) => ({ tenantId, ...u })));
  });
}
