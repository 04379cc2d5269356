import { Form } from "react-router";
import { Button } from "~/components/ui/button";
import { TextField } from "~/components/ui/text-field";
import type { Period } from "../figures";

/** The period picker: a plain GET form, so the period lives in the URL (bookmarkable, no script). */
export function PeriodForm({ period }: { period: Period }) {
  return (
    <Form method="get" className="flex flex-wrap items-end gap-4 print:hidden">
      <TextField label="開始日" name="from" type="date" defaultValue={period.from} className="max-w-48" />
      <TextField label="終了日" name="to" type="date" defaultValue={period.to} className="max-w-48" />
      <Button type="submit" variant="secondary">
        この期間で表示
      </Button>
    </Form>
  );
}
