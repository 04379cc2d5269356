import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import { ACTION_TYPES, ACTION_VALUE_HINT, fieldName, ICONS, LABEL_MAX, TILE_COUNT, type ActionType } from "./tiles";

/**
 * The 6-tile editor: plain fields in one form, so it works without JavaScript. One "内容" field per
 * tile carries the path, text, data or URL — its meaning follows the chosen action, spelled out in
 * the hint — which keeps the form to five fields per tile instead of eight.
 */
export const TILE_POSITIONS = ["左上", "中央上", "右上", "左下", "中央下", "右下"] as const;

const iconOptions = Object.entries(ICONS).map(([value, label]) => ({ value, label }));
const actionOptions = Object.entries(ACTION_TYPES).map(([value, label]) => ({ value, label }));
const valueHint = (Object.keys(ACTION_TYPES) as ActionType[])
  .map((t) => `${ACTION_TYPES[t]}：${ACTION_VALUE_HINT[t]}`)
  .join("／");

export function TileEditor({
  values,
  errors,
  slug,
}: {
  values: Record<string, string>;
  errors: Record<string, string>;
  slug: string;
}) {
  return (
    <div className="grid gap-6 lg:grid-cols-2 2xl:grid-cols-3">
      {Array.from({ length: TILE_COUNT }, (_, i) => {
        const v = (f: Parameters<typeof fieldName>[1]) => values[fieldName(i, f)] ?? "";
        const e = (f: Parameters<typeof fieldName>[1]) => errors[fieldName(i, f)];
        return (
          <fieldset key={i} className="space-y-4 rounded-8 border border-solid-gray-420 p-4">
            <legend className="px-2 text-lg font-bold">
              ボタン{i + 1}（{TILE_POSITIONS[i]}）
            </legend>
            <TextField
              label="ボタンの文字"
              name={fieldName(i, "label")}
              required
              hint={`${LABEL_MAX}文字まで。空白を入れるとそこで改行します`}
              defaultValue={v("label")}
              error={e("label")}
            />
            <SelectField
              label="アイコン"
              name={fieldName(i, "icon")}
              required
              options={iconOptions}
              placeholder="選択してください"
              defaultValue={v("icon")}
              error={e("icon")}
            />
            <SelectField
              label="タップしたときの動作"
              name={fieldName(i, "actionType")}
              required
              options={actionOptions}
              placeholder="選択してください"
              defaultValue={v("actionType")}
              error={e("actionType")}
            />
            <TextField
              label="内容"
              name={fieldName(i, "value")}
              required
              hint={
                v("actionType") === "liff" || !v("actionType")
                  ? `例：/c/${slug}/reserve`
                  : ACTION_VALUE_HINT[v("actionType") as ActionType]
              }
              defaultValue={v("value")}
              error={e("value")}
            />
            <TextField
              label="表示テキスト（ポストバックのときだけ・任意）"
              name={fieldName(i, "displayText")}
              hint="タップしたときにトークに表示される文字"
              defaultValue={v("displayText")}
              error={e("displayText")}
            />
          </fieldset>
        );
      })}
      <p className="text-solid-gray-700 lg:col-span-2 2xl:col-span-3">「内容」に入れるもの：{valueHint}</p>
    </div>
  );
}
