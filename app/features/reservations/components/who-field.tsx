import { useT } from "~/lib/i18n/react";
import { ChoiceRadios } from "./choice-radios";

/**
 * 「家族の代わりに予約する」 (issue 15) on the booking entry: the ticket and birth date below are then
 * the family member's, and the next page asks for the proxy's own name, relation and contact.
 */
export function WhoField({ defaultValue }: { defaultValue: "self" | "family" }) {
  const { t } = useT();
  return (
    <ChoiceRadios
      legend={t("booking:who.legend")}
      name="who"
      stacked
      defaultValue={defaultValue}
      hint={t("booking:who.proxyHint")}
      choices={[
        { value: "self", label: t("booking:who.self") },
        { value: "family", label: t("booking:who.proxy") },
      ]}
    />
  );
}
