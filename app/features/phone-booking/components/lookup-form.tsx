import { Form } from "react-router";
import { Button } from "~/components/ui/button";
import { IdentityFields } from "~/features/reservations/components/identity-fields";

type Props = { values?: Record<string, string>; errors?: Record<string, string>; busy: boolean };

/**
 * Step 1 on the phone: the caller reads out the ticket number and says their birth date. The year
 * is typed as heard ("昭和35", "S35" or "1960"), so staff need not convert in their head.
 */
export function LookupForm({ values = {}, errors = {}, busy }: Props) {
  return (
    <Form method="post" className="space-y-6" noValidate>
      <input type="hidden" name="intent" value="lookup" />
      <IdentityFields values={values} errors={errors} ticketHint="全角数字やハイフン入りのままでも検索できます。" />
      <Button type="submit" disabled={busy}>
        検索する
      </Button>
    </Form>
  );
}
