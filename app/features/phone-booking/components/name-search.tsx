import { Form, Link } from "react-router";
import { Button } from "~/components/ui/button";
import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import { STATUS_LABELS } from "~/lib/booking-labels";
import { formatDateJa, formatTimeJa } from "~/lib/japan-time";
import type { NameMatch } from "../name-search.server";
import { pageHref } from "./holder-panel";

const MONTHS = Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: `${i + 1}月` }));
const DAYS = Array.from({ length: 31 }, (_, i) => ({ value: i + 1, label: `${i + 1}日` }));

type Props = { values?: Record<string, string>; errors?: Record<string, string>; busy: boolean };

/**
 * Step 1 for a caller without the ticket at hand: the name they booked under and the birth date.
 * The year is typed as heard ("昭和15", "S15" or "1940"); spaces, full-width and katakana/hiragana
 * in the name do not matter.
 */
export function NameSearchForm({ values = {}, errors = {}, busy }: Props) {
  return (
    <Form method="post" className="space-y-6" noValidate>
      <input type="hidden" name="intent" value="search_name" />
      <TextField
        label="お名前（予約のときのお名前）"
        name="name"
        required
        autoComplete="off"
        className="max-w-md"
        hint="カタカナ・ひらがな、全角・半角、空白の有無は区別しません。"
        defaultValue={values.name}
        error={errors.name}
      />
      <TextField
        label="生まれた年"
        name="birthYear"
        required
        autoComplete="off"
        className="max-w-xs"
        hint="「昭和15」「S15」や西暦「1940」と入力してください。"
        defaultValue={values.birthYear}
        error={errors.birthYear ?? errors.birthDate}
      />
      <div className="grid max-w-md grid-cols-2 gap-4">
        <SelectField
          label="生まれた月"
          name="birthMonth"
          required
          placeholder="選択"
          options={MONTHS}
          defaultValue={values.birthMonth ?? ""}
          error={errors.birthMonth}
        />
        <SelectField
          label="生まれた日"
          name="birthDay"
          required
          placeholder="選択"
          options={DAYS}
          defaultValue={values.birthDay ?? ""}
          error={errors.birthDay}
        />
      </div>
      <Button type="submit" disabled={busy}>
        名前で検索する
      </Button>
    </Form>
  );
}

/** Who matched, with just enough to confirm by voice: the latest booking and last digits only. */
export function NameMatches({ matches }: { matches: NameMatch[] }) {
  return (
    <section aria-labelledby="matches-heading" className="mt-8">
      <h3 id="matches-heading" className="mb-2 text-xl font-bold">
        見つかった方（{matches.length}人）
      </h3>
      <p className="mb-4">お電話の方に、前回の予約の会場と日付、電話番号の下4桁を確かめてから選んでください。</p>
      <ul className="space-y-3">
        {matches.map((m) => (
          <li key={m.holderId} className="rounded-8 border border-solid-gray-600 px-4 py-3">
            <p className="font-bold">{m.contactName}</p>
            <p>
              前回の予約：{formatDateJa(m.startsAt)} {formatTimeJa(m.startsAt)} {m.venueName}（{STATUS_LABELS[m.status]}
              ）
            </p>
            <p className="tabular-nums">
              電話番号 下4桁 {m.phoneLast4 || "なし"} ・ 予約番号 下4桁 {m.codeLast4}
            </p>
            <Link to={pageHref({ holder: m.holderId })} className="mt-2 inline-block font-bold">
              この方を選ぶ
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
