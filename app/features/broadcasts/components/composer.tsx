import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { Form, useFetcher, useNavigation } from "react-router";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { Notice } from "~/components/ui/notice";
import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import type { TenantTopic } from "#db/schema/index";
import { AGE_OPTIONS, GENDER_OPTIONS } from "~/features/line/survey-messages";
import { TITLE_MAX, type ComposeErrors, type LanguageCount } from "../compose";
import { WEEKDAY_JA } from "../recurrence";
import { VERSION_LANGUAGES, versionField } from "../versions";
import { CheckboxRow, Fieldset, RadioRow } from "./form-parts";
import { MessageFields, previewFor, type MessageTexts } from "./message-fields";
import { MessagePreview } from "./message-preview";

/**
 * The broadcast composer: message (text, image or card) with optional versions per language and a
 * live LINE-like preview of each, the segment with a live recipient count in total and per language
 * (a resource route; below 10 it says only 「10人未満」), and when to send. A plain multipart form:
 * without JavaScript everything still submits and is checked on the server; the counts and previews
 * are what JavaScript adds.
 */
export type ComposerValues = Record<string, string[]>;
type City = { slug: string; name: string; topics: TenantTopic[]; areas: string[] };
type Count = { label: string; none: boolean; languages: LanguageCount[] };

const SEGMENT_FIELDS = ["topics", "topicsMatch", "genders", "ageBands", "areas", "match"];
const TEXT_FIELDS = ["text", "cardTitle", "cardBody", "buttonLabel"];
const KINDS = [
  { value: "text", label: "テキスト" },
  { value: "image", label: "画像" },
  { value: "flex", label: "カード（見出し・本文・ボタン）" },
];
const SCHEDULES = [
  { value: "now", label: "今すぐ" },
  { value: "once", label: "日時を指定" },
  { value: "recur", label: "繰り返し" },
];
const FREQS = [
  { value: "weekly", label: "毎週" },
  { value: "monthly-day", label: "毎月（日付）" },
  { value: "monthly-nth", label: "毎月（第◯曜日）" },
];
const WEEKS = [1, 2, 3, 4, 5, -1].map((w) => ({ value: String(w), label: w === -1 ? "最終" : `第${w}` }));
const WEEKDAYS = WEEKDAY_JA.map((w, i) => ({ value: String(i), label: `${w}曜` }));
const SUBMIT = { now: "今すぐ配信する", once: "配信を予約する", recur: "繰り返し配信を予約する" } as const;
const noSubscribe = () => () => {};

export function Composer({ city, errors, values }: { city: City; errors: ComposeErrors; values: ComposerValues }) {
  const v = (k: string, d = "") => values[k]?.[0] ?? d;
  const has = (k: string) => (val: string) => values[k]?.includes(val) ?? false;
  const formRef = useRef<HTMLFormElement>(null);
  const counter = useFetcher<Count>();
  const navigation = useNavigation();
  // false in the server render and true after hydration: without JavaScript every section stays visible.
  const hydrated = useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );
  const [kind, setKind] = useState(v("kind", "text"));
  const [schedule, setSchedule] = useState(v("schedule", "now"));
  const [freq, setFreq] = useState(v("freq", "weekly"));
  const [texts, setTexts] = useState<MessageTexts>(() => {
    const names = ["ja", ...VERSION_LANGUAGES.map((l) => l.code)].flatMap((lang) =>
      [...TEXT_FIELDS, "buttonUrl"].map((f) => versionField(f, lang)),
    );
    return Object.fromEntries(names.map((n) => [n, v(n)]));
  });
  const [imageSrc, setImageSrc] = useState<string | null>(null);
  const countUrl = `/c/${city.slug}/admin/broadcasts/count`;

  const refreshCount = () => {
    if (!formRef.current) return;
    const params = new URLSearchParams();
    for (const [k, val] of new FormData(formRef.current).entries())
      if (SEGMENT_FIELDS.includes(k) && typeof val === "string") params.append(k, val);
    counter.load(`${countUrl}?${params}`);
  };
  useEffect(() => {
    refreshCount();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on mount
  }, []);
  const hide = (show: boolean) => hydrated && !show;
  const onImage = (e: React.ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    setImageSrc(f ? URL.createObjectURL(f) : null);
  };
  const fieldProps = {
    kind,
    texts,
    errors,
    hide,
    onText: (name: string, value: string) => setTexts((t) => ({ ...t, [name]: value })),
  };
  // Each version that has any text gets its own preview; the Japanese one always.
  const versioned = VERSION_LANGUAGES.filter(
    ({ code }) => kind !== "image" && TEXT_FIELDS.some((f) => texts[versionField(f, code)]?.trim()),
  );
  const busy = navigation.state === "submitting";

  return (
    <Form
      ref={formRef}
      method="post"
      encType="multipart/form-data"
      noValidate
      className="space-y-8"
      onChange={(e) => SEGMENT_FIELDS.includes((e.target as unknown as HTMLInputElement).name) && refreshCount()}
    >
      {Object.keys(errors).length ? (
        <Notice variant="error">
          入力内容を確認してください。赤字の項目に問題があります（まだ何も配信していません）。
        </Notice>
      ) : null}
      <div className="grid gap-8 xl:grid-cols-[3fr_2fr]">
        <Card title="メッセージ">
          <div className="space-y-6">
            <TextField
              label="件名（管理用）"
              name="title"
              required
              maxLength={TITLE_MAX * 2}
              hint="一覧で見分けるための名前です。住民には表示されません。"
              defaultValue={v("title")}
              error={errors.title}
            />
            <Fieldset legend="種類" error={errors.kind} errorId="kind-error">
              <RadioRow name="kind" options={KINDS} value={kind} onChange={setKind} />
            </Fieldset>
            <MessageFields lang="ja" onImage={onImage} {...fieldProps} />
            <div hidden={hide(kind !== "image")} className="space-y-6">
              <Fieldset
                legend="ほかの言語の版（任意）"
                hint="友だちが選んだ言語の版があれば、その版を送ります。版がない言語の友だちには日本語を送ります。やさしい日本語では {漢字|かんじ} と書くと、LINEでは「漢字（かんじ）」と表示されます。"
              >
                {VERSION_LANGUAGES.map(({ code, name }) => (
                  <div key={code} className="space-y-4 border-l-4 border-solid-gray-200 pl-4">
                    <MessageFields lang={code} langName={name} {...fieldProps} />
                  </div>
                ))}
              </Fieldset>
            </div>
          </div>
        </Card>
        <Card title="プレビュー">
          <div className="space-y-4">
            <MessagePreview content={previewFor(kind, "ja", texts, imageSrc)} cityName={city.name} caption="日本語" />
            {versioned.map(({ code, name }) => (
              <MessagePreview
                key={code}
                content={previewFor(kind, code, texts, imageSrc)}
                cityName={city.name}
                caption={name}
                lang={code}
              />
            ))}
          </div>
        </Card>
      </div>

      <Card title="配信先">
        <div className="space-y-6">
          <p className="text-solid-gray-700">
            条件を選ばなければ、友だち全員に配信します。同じ項目の中で複数選ぶと「いずれか」に当てはまる人が対象です。
          </p>
          {city.topics.length ? (
            <Fieldset legend="受け取りたいお知らせ">
              <CheckboxRow
                name="topics"
                options={city.topics.map((t) => ({ value: t.key, label: t.label }))}
                checked={has("topics")}
              />
              <RadioRow
                name="topicsMatch"
                options={[
                  { value: "any", label: "いずれかを選んだ人" },
                  { value: "all", label: "すべてを選んだ人" },
                ]}
                value={v("topicsMatch", "any")}
              />
            </Fieldset>
          ) : null}
          <Fieldset legend="性別">
            <CheckboxRow name="genders" options={GENDER_OPTIONS} checked={has("genders")} />
          </Fieldset>
          <Fieldset legend="年代">
            <CheckboxRow name="ageBands" options={AGE_OPTIONS} checked={has("ageBands")} />
          </Fieldset>
          {city.areas.length ? (
            <Fieldset legend="地区">
              <CheckboxRow
                name="areas"
                options={city.areas.map((a) => ({ value: a, label: a }))}
                checked={has("areas")}
              />
            </Fieldset>
          ) : null}
          <Fieldset legend="条件の組み合わせ" error={errors.segment} errorId="segment-error">
            <RadioRow
              name="match"
              options={[
                { value: "all", label: "すべての条件に当てはまる人（かつ）" },
                { value: "any", label: "いずれかの条件に当てはまる人（または）" },
              ]}
              value={v("match", "all")}
            />
          </Fieldset>
          <div role="status" aria-live="polite">
            <p className="text-xl font-bold">
              {counter.data
                ? `配信対象：${counter.data.label}`
                : hydrated
                  ? "配信対象を数えています…"
                  : "配信対象の人数は、配信の前に確認されます。"}
            </p>
            {counter.data && !counter.data.none ? (
              <p className="mt-1 text-solid-gray-700">
                {`言語別：${counter.data.languages.map((l) => `${l.name} ${l.label}`).join("、")}`}
              </p>
            ) : null}
          </div>
          {counter.data?.none ? (
            <Notice variant="warning" role="none">
              この条件に当てはまる友だちがいません。条件を見直してください。
            </Notice>
          ) : null}
        </div>
      </Card>

      <Card title="配信のタイミング">
        <div className="space-y-6">
          <Fieldset legend="いつ配信しますか" error={errors.schedule} errorId="schedule-error">
            <RadioRow name="schedule" options={SCHEDULES} value={schedule} onChange={setSchedule} />
          </Fieldset>
          <div hidden={hide(schedule === "once")}>
            <TextField
              label="配信日時（日本時間）"
              name="sendAt"
              type="datetime-local"
              className="max-w-xs"
              defaultValue={v("sendAt")}
              error={errors.sendAt}
            />
          </div>
          <div hidden={hide(schedule === "recur")} className="space-y-4">
            <Fieldset legend="繰り返し方" error={errors.freq} errorId="freq-error">
              <RadioRow name="freq" options={FREQS} value={freq} onChange={setFreq} />
            </Fieldset>
            <div hidden={hide(freq === "weekly")}>
              <Fieldset legend="曜日" error={errors.weekdays} errorId="weekdays-error">
                <CheckboxRow name="weekdays" options={WEEKDAYS} checked={has("weekdays")} />
              </Fieldset>
            </div>
            <div hidden={hide(freq === "monthly-day")}>
              <SelectField
                label="日付"
                name="day"
                className="max-w-xs"
                options={Array.from({ length: 31 }, (_, i) => ({ value: i + 1, label: `${i + 1}日` }))}
                defaultValue={v("day", "1")}
                hint="その日がない月は月末に配信します"
              />
            </div>
            <div hidden={hide(freq === "monthly-nth")} className="space-y-4">
              <Fieldset legend="第何週" error={errors.weeks} errorId="weeks-error">
                <CheckboxRow name="weeks" options={WEEKS} checked={has("weeks")} />
              </Fieldset>
              <SelectField
                label="曜日"
                name="nthWeekday"
                className="max-w-xs"
                options={WEEKDAY_JA.map((w, i) => ({ value: i, label: `${w}曜日` }))}
                defaultValue={v("nthWeekday", "1")}
              />
            </div>
            <TextField
              label="配信時刻（日本時間）"
              name="time"
              type="time"
              className="max-w-xs"
              defaultValue={v("time", "08:00")}
              error={errors.time}
            />
          </div>
        </div>
      </Card>

      <Button type="submit" size="lg" disabled={busy}>
        {busy ? "送信しています…" : SUBMIT[schedule as keyof typeof SUBMIT]}
      </Button>
    </Form>
  );
}
