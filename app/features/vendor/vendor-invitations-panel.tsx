import { Form } from "react-router";
import { Button } from "~/components/ui/button";
import { DataTable } from "~/components/ui/data-table";
import { Notice } from "~/components/ui/notice";
import { TextField } from "~/components/ui/text-field";
import { formatDateTimeJa } from "~/lib/japan-time";
import type { FormFailure } from "~/lib/forms";

type Row = { id: string; email: string; displayName: string; expiresAt: string | Date; expired: boolean };

/** /vendor/staff's invitation part: the invite form and the open invitations with resend/cancel. */
export function VendorInvitationsPanel({
  invitations,
  failure,
  notice,
  busy,
}: {
  invitations: Row[];
  failure: FormFailure | null;
  notice: { ok: boolean; message: string } | null;
  busy: boolean;
}) {
  return (
    <section aria-labelledby="vendor-invite-heading" className="mt-10">
      <h2 id="vendor-invite-heading" className="text-2xl font-bold">
        運営スタッフを招待
      </h2>
      <p className="mt-2">
        招待メールのリンクは1回だけ、72時間有効です。招待された人はパスワードを設定したあと、2段階認証（認証アプリ）を登録します。
      </p>
      {notice ? (
        <Notice variant={notice.ok ? "success" : "error"} className="mt-4">
          {notice.message}
        </Notice>
      ) : null}
      <Form method="post" className="mt-4 space-y-6" noValidate>
        <input type="hidden" name="intent" value="invite" />
        <TextField
          label="メールアドレス"
          name="email"
          type="email"
          autoComplete="off"
          required
          defaultValue={failure?.values.email}
          error={failure?.errors.email}
        />
        <TextField
          label="表示名"
          name="displayName"
          autoComplete="off"
          required
          defaultValue={failure?.values.displayName}
          error={failure?.errors.displayName}
        />
        <Button type="submit" disabled={busy}>
          招待メールを送る
        </Button>
      </Form>
      <DataTable<Row>
        className="mt-6"
        caption={`招待中（${invitations.length}件）`}
        rows={invitations}
        rowKey={(r) => r.id}
        emptyMessage="招待中の運営スタッフはいません。"
        columns={[
          { header: "表示名", cell: (r) => r.displayName, rowHeader: true },
          { header: "メールアドレス", cell: (r) => <span className="break-all">{r.email}</span> },
          {
            header: "有効期限",
            cell: (r) =>
              r.expired
                ? `期限切れ（${formatDateTimeJa(new Date(r.expiresAt))}）`
                : `${formatDateTimeJa(new Date(r.expiresAt))}まで`,
          },
          {
            header: "操作",
            cell: (r) => (
              <div className="flex flex-wrap gap-2">
                <Form method="post">
                  <input type="hidden" name="intent" value="resend" />
                  <input type="hidden" name="invitationId" value={r.id} />
                  <Button
                    type="submit"
                    variant="secondary"
                    disabled={busy}
                    aria-label={`${r.displayName}さんに招待を再送`}
                  >
                    再送
                  </Button>
                </Form>
                <Form method="post">
                  <input type="hidden" name="intent" value="cancel" />
                  <input type="hidden" name="invitationId" value={r.id} />
                  <Button
                    type="submit"
                    variant="danger"
                    disabled={busy}
                    aria-label={`${r.displayName}さんへの招待を取り消す`}
                  >
                    取り消す
                  </Button>
                </Form>
              </div>
            ),
          },
        ]}
      />
    </section>
  );
}
