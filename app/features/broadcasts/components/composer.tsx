import { useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import { Form, useFetcher, useNavigation } from "react-router";
import { CheckboxField, TextAreaField } from "~/components/ui/fields";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { Notice } from "~/components/ui/notice";
import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import type { TenantTopic } from "#db/schema/index";
import { AGE_OPTIONS, GENDER_OPTIONS } from "~/features/line/survey-messages";
import { BUTTON_LABEL_MAX, CARD_BODY_MAX, CARD_TITLE_MAX, TEXT_MAX, TITLE_MAX, type ComposeErrors } from "../compose";
import { WEEKDAY_JA } from "../recurrence";
import { MessagePreview, type PreviewContent } from "./message-preview";

/**
 * The broadcast composer: message (text, image or card) with a live LINE-like preview, the segment
 * with a live recipient count (a resource route; below 10 it says only 「10人未満」), and when to
 * send. A plain multipart form: without JavaScript everything still submits and is checked on the
 * server; the count and preview are what JavaScript adds.
 */
export type ComposerValues = Record<string, string[]>;
type City = { slug: string; name: string; topics: TenantTopic[]; areas: string[] };

const SEGMENT_FIELDS = ["topics", "topicsMatch", "genders", "ageBands", "areas", "match"];
const WEEK_OPTIONS = [1, 2, 3, 4, 5, -1];
const noSubscribe = () => () => {};

function Fieldset({
  legend,
  error,
  errorId,
  children,
  hint,
}: {
  legend: string;
  error?: string;
  errorId?: string;
  hint?: string;
  children: ReactNode;
}) {
  return (
    <fieldset className="space-y-2" aria-describedby={error ? errorId : undefined}>
      <legend className="font-bold">{legend}</legend>
      {hint ? <p className="text-[0.9375em] text-solid-gray-700">{hint}</p> : null}
      {children}
      {error ? (
        <p id={errorId} className="font-bold text-error-2">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

function Radio({
  name,
  value,
  label,
  checked,
  onChange,
}: {
  name: string;
  value: string;
  label: string;
  checked: boolean;
  onChange?: (v: string) => void;
}) {
  return (
    <label className="flex min-h-tap cursor-pointer items-center gap-3 font-bold">
      <input
        type="radio"
        name={name}
        value={value}
        defaultChecked={checked}
        onChange={() => onChange?.(value)}
        className="size-6 accent-blue-900"
      />
      <span>{label}</span>
    </label>
  );
}

export function Composer({ city, errors, values }: { city: City; errors: ComposeErrors; values: ComposerValues }) {
  const v = (k: string, d = "") => values[k]?.[0] ?? d;
  const has = (k: string, val: string) => values[k]?.includes(val) ?? false;
  const formRef = useRef<HTMLFormElement>(null);
  const counter = useFetcher<{ label: string; none: boolean }>();
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
  const [text, setText] = useState(v("text"));
  const [card, setCard] = useState({ title: v("cardTitle"), body: v("cardBody"), buttonLabel: v("buttonLabel") });
  const [imageSrc, setImageSrc] = useState<string | null>(null);
  const countUrl = `/c/${city.slug}/admin/broadcasts/count`;

  const refreshCount = () => {
    if (!formRef.current) return;
    const data = new FormData(formRef.current);
    const params = new URLSearchParams();
    for (const [k, val] of data.entries())
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
  const preview: PreviewContent =
    kind === "image"
      ? { kind: "image", src: imageSrc }
      : kind === "flex"
        ? { kind: "flex", ...card, imageSrc }
        : { kind: "text", text };
  const submitLabel =
    schedule === "now" ? "今すぐ配信する" : schedule === "once" ? "配信を予約する" : "繰り返し配信を予約する";
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
              <div className="flex flex-wrap gap-x-6">
                <Radio name="kind" value="text" label="テキスト" checked={kind === "text"} onChange={setKind} />
                <Radio name="kind" value="image" label="画像" checked={kind === "image"} onChange={setKind} />
                <Radio
                  name="kind"
                  value="flex"
                  label="カード（見出し・本文・ボタン）"
                  checked={kind === "flex"}
                  onChange={setKind}
                />
              </div>
            </Fieldset>
            <div hidden={hide(kind === "text")}>
              <TextAreaField
                label="メッセージ"
                name="text"
                rows={6}
                hint={`${TEXT_MAX.toLocaleString("ja-JP")}文字まで（いま${text.length.toLocaleString("ja-JP")}文字）`}
                defaultValue={v("text")}
                onChange={(e) => setText(e.target.value)}
                error={errors.text}
              />
            </div>
            <div hidden={hide(kind === "image")}>
              <TextField
                label="画像"
                name="image"
                type="file"
                accept="image/png,image/jpeg"
                hint="PNGまたはJPEG、1MBまで"
                onChange={onImage}
                error={errors.image}
              />
            </div>
            <div hidden={hide(kind === "flex")} className="space-y-4">
              <TextField
                label="見出し"
                name="cardTitle"
                hint={`${CARD_TITLE_MAX}文字まで`}
                defaultValue={v("cardTitle")}
                onChange={(e) => setCard({ ...card, title: e.target.value })}
                error={errors.cardTitle}
              />
              <TextAreaField
                label="本文"
                name="cardBody"
                rows={4}
                hint={`${CARD_BODY_MAX.toLocaleString("ja-JP")}文字まで`}
                defaultValue={v("cardBody")}
                onChange={(e) => setCard({ ...card, body: e.target.value })}
                error={errors.cardBody}
              />
              <TextField
                label="ボタンの文字（任意）"
                name="buttonLabel"
                hint={`${BUTTON_LABEL_MAX}文字まで。例：詳しくはこちら`}
                defaultValue={v("buttonLabel")}
                onChange={(e) => setCard({ ...card, buttonLabel: e.target.value })}
                error={errors.buttonLabel}
              />
              <TextField
                label="ボタンのリンク先（任意）"
                name="buttonUrl"
                type="url"
                hint="https:// で始まるURL"
                defaultValue={v("buttonUrl")}
                error={errors.buttonUrl}
              />
              <TextField
                label="カードの画像（任意）"
                name="cardImage"
                type="file"
                accept="image/png,image/jpeg"
                hint="PNGまたはJPEG、1MBまで"
                onChange={onImage}
                error={errors.cardImage}
              />
            </div>
          </div>
        </Card>
        <Card title="プレビュー">
          <MessagePreview content={preview} cityName={city.name} />
        </Card>
      </div>

      <Card title="配信先">
        <div className="space-y-6">
          <p className="text-solid-gray-700">
            条件を選ばなければ、友だち全員に配信します。同じ項目の中で複数選ぶと「いずれか」に当てはまる人が対象です。
          </p>
          {city.topics.length ? (
            <Fieldset legend="受け取りたいお知らせ">
              <div className="flex flex-wrap gap-x-6">
                {city.topics.map((t) => (
                  <CheckboxField
                    key={t.key}
                    label={t.label}
                    name="topics"
                    value={t.key}
                    defaultChecked={has("topics", t.key)}
                  />
                ))}
              </div>
              <div className="flex flex-wrap gap-x-6">
                <Radio
                  name="topicsMatch"
                  value="any"
                  label="いずれかを選んだ人"
                  checked={v("topicsMatch", "any") === "any"}
                />
                <Radio name="topicsMatch" value="all" label="すべてを選んだ人" checked={v("topicsMatch") === "all"} />
              </div>
            </Fieldset>
          ) : null}
          <Fieldset legend="性別">
            <div className="flex flex-wrap gap-x-6">
              {GENDER_OPTIONS.map((o) => (
                <CheckboxField
                  key={o.value}
                  label={o.label}
                  name="genders"
                  value={o.value}
                  defaultChecked={has("genders", o.value)}
                />
              ))}
            </div>
          </Fieldset>
          <Fieldset legend="年代">
            <div className="flex flex-wrap gap-x-6">
              {AGE_OPTIONS.map((o) => (
                <CheckboxField
                  key={o.value}
                  label={o.label}
                  name="ageBands"
                  value={o.value}
                  defaultChecked={has("ageBands", o.value)}
                />
              ))}
            </div>
          </Fieldset>
          {city.areas.length ? (
            <Fieldset legend="地区">
              <div className="flex flex-wrap gap-x-6">
                {city.areas.map((a) => (
                  <CheckboxField key={a} label={a} name="areas" value={a} defaultChecked={has("areas", a)} />
                ))}
              </div>
            </Fieldset>
          ) : null}
          <Fieldset legend="条件の組み合わせ" error={errors.segment} errorId="segment-error">
            <div className="flex flex-wrap gap-x-6">
              <Radio
                name="match"
                value="all"
                label="すべての条件に当てはまる人（かつ）"
                checked={v("match", "all") === "all"}
              />
              <Radio
                name="match"
                value="any"
                label="いずれかの条件に当てはまる人（または）"
                checked={v("match") === "any"}
              />
            </div>
          </Fieldset>
          <p role="status" aria-live="polite" className="text-xl font-bold">
            {counter.data
              ? `配信対象：${counter.data.label}`
              : hydrated
                ? "配信対象を数えています…"
                : "配信対象の人数は、配信の前に確認されます。"}
          </p>
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
            <div className="flex flex-wrap gap-x-6">
              <Radio name="schedule" value="now" label="今すぐ" checked={schedule === "now"} onChange={setSchedule} />
              <Radio
                name="schedule"
                value="once"
                label="日時を指定"
                checked={schedule === "once"}
                onChange={setSchedule}
              />
              <Radio
                name="schedule"
                value="recur"
                label="繰り返し"
                checked={schedule === "recur"}
                onChange={setSchedule}
              />
            </div>
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
              <div className="flex flex-wrap gap-x-6">
                <Radio name="freq" value="weekly" label="毎週" checked={freq === "weekly"} onChange={setFreq} />
                <Radio
                  name="freq"
                  value="monthly-day"
                  label="毎月（日付）"
                  checked={freq === "monthly-day"}
                  onChange={setFreq}
                />
                <Radio
                  name="freq"
                  value="monthly-nth"
                  label="毎月（第◯曜日）"
                  checked={freq === "monthly-nth"}
                  onChange={setFreq}
                />
              </div>
            </Fieldset>
            <div hidden={hide(freq === "weekly")}>
              <Fieldset legend="曜日" error={errors.weekdays} errorId="weekdays-error">
                <div className="flex flex-wrap gap-x-6">
                  {WEEKDAY_JA.map((w, i) => (
                    <CheckboxField
                      key={w}
                      label={`${w}曜`}
                      name="weekdays"
                      value={String(i)}
                      defaultChecked={has("weekdays", String(i))}
                    />
                  ))}
                </div>
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
                <div className="flex flex-wrap gap-x-6">
                  {WEEK_OPTIONS.map((w) => (
                    <CheckboxField
                      key={w}
                      label={w === -1 ? "最終" : `第${w}`}
                      name="weeks"
                      value={String(w)}
                      defaultChecked={has("weeks", String(w))}
                    />
                  ))}
                </div>
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
        {busy ? "送信しています…" : submitLabel}
      </Button>
    </Form>
  );
}
