import { useT } from "~/lib/i18n/react";

/** The form field name the link checkbox posts; the value itself is never trusted as an identity. */
export const LINK_LINE_FIELD = "linkLine";

/**
 * 「このLINEアカウントに予約を連携する」: shown only when the server has a verified LINE identity
 * for this visit. Ticked by default inside LINE (issue 13.2: the notices then reach the resident
 * where they booked), explained in one sentence; unticking stays the resident's choice. A 24px box
 * with the whole label as the click target.
 */
export function LineLinkField({ defaultChecked = true }: { defaultChecked?: boolean }) {
  const { t } = useT();
  return (
    <div className="flex flex-col gap-1 rounded-8 border border-solid-gray-420 bg-solid-gray-50 p-4">
      <label htmlFor="link-line" className="flex min-h-tap cursor-pointer items-center gap-3 font-bold">
        <input
          id="link-line"
          type="checkbox"
          name={LINK_LINE_FIELD}
          value="1"
          defaultChecked={defaultChecked}
          aria-describedby="link-line-hint"
          className="size-6 shrink-0 accent-blue-900"
        />
        <span>{t("booking:line.link")}</span>
      </label>
      <p id="link-line-hint" className="pl-9 text-[0.9375em] text-solid-gray-700">
        {t("booking:line.linkHint")}
      </p>
    </div>
  );
}

/** True when the submitted form ticked the box. */
export const wantsLineLink = (form: FormData) => form.get(LINK_LINE_FIELD) === "1";
