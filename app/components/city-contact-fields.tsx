import { TextField } from "~/components/ui/text-field";
import { MAX_PHONES, PHONE_ROWS } from "~/lib/city-contact";

/**
 * The 問い合わせ窓口 fields (ADR 031), shared by the onboarding wizard's city step and the city
 * admin's page: up to three numbers (label, number, hours), the web page, the disaster page and
 * number. Plain inputs, so the form works without JavaScript; an empty row is simply skipped.
 */
export function CityContactFields({
  values,
  errors,
}: {
  values: Record<string, string | undefined>;
  errors: Record<string, string | undefined>;
}) {
  return (
    <div className="flex flex-col gap-8">
      {PHONE_ROWS.map((i) => (
        <fieldset key={i} className="flex flex-col gap-4 rounded-8 border border-solid-gray-300 p-4">
          <legend className="px-1 font-bold">
            電話番号 {i}
            {i === 1 ? "" : "（任意）"}
          </legend>
          <TextField
            label="名前"
            name={`phone${i}Label`}
            hint={i === 1 ? "例：予約専用ダイヤル" : "例：市役所 代表"}
            defaultValue={values[`phone${i}Label`]}
            error={errors[`phone${i}Label`]}
          />
          <TextField
            label="電話番号"
            name={`phone${i}Number`}
            type="tel"
            inputMode="tel"
            autoComplete="off"
            hint="例：073-600-1234（数字とハイフン）"
            defaultValue={values[`phone${i}Number`]}
            error={errors[`phone${i}Number`]}
            className="max-w-[20em]"
          />
          <TextField
            label="受付時間"
            name={`phone${i}Hours`}
            hint="例：平日 8:30〜17:15"
            defaultValue={values[`phone${i}Hours`]}
            error={errors[`phone${i}Hours`]}
          />
        </fieldset>
      ))}
      <p className="text-solid-gray-700">
        電話番号は{MAX_PHONES}件まで登録できます。使わない欄は空欄のままにしてください。
      </p>
      <TextField
        label="ホームページのURL（任意）"
        name="webUrl"
        type="url"
        hint="例：https://www.city.example.lg.jp/"
        defaultValue={values.webUrl}
        error={errors.webUrl}
      />
      <TextField
        label="防災情報のページのURL（任意）"
        name="disasterUrl"
        type="url"
        hint="LINEの「避難所」ボタンや位置情報を送った方にご案内します。"
        defaultValue={values.disasterUrl}
        error={errors.disasterUrl}
      />
      <TextField
        label="防災の問い合わせ電話番号（任意）"
        name="disasterPhone"
        type="tel"
        inputMode="tel"
        hint="例：073-600-1199（防災担当課など）"
        defaultValue={values.disasterPhone}
        error={errors.disasterPhone}
        className="max-w-[20em]"
      />
    </div>
  );
}
