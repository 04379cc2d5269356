import { Form } from "react-router";
import { Button } from "~/components/ui/button";
import { IdentityFields } from "~/features/reservations/components/identity-fields";
import type { YearOption } from "~/lib/japan-time";

type Props = { years: YearOption[]; values?: Record<string, string>; errors?: Record<string, string>; busy: boolean };

/**
 * Step 1 on the phone: the caller reads out the ticket number and says their birth date. Years
 * carry the era (callers often say "昭和35年"), so staff need not convert in their head.
 */
export function LookupForm({ years, values = {}, errors = {}, busy }: Props) {
  return (
    <Form method="post" className="space-y-6" noValidate>
      <input type="hidden" name="intent" value="lookup" />
      <IdentityFields
        years={years}
        values={values}
        errors={errors}
        ticketHint="全角数字やハイフン入りのままでも検索できます。"
      />
      <Button type="submit" disabled={busy}>
        検索する
      </Button>
    </Form>
  );
}
