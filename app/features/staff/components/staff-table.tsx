import { Form } from "react-router";
import { roleLabel } from "~/components/layouts/role-label";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { formatDateTimeJa } from "~/lib/japan-time";
import { ROLES } from "../staff.schemas";

type Member = { membershipId: string; staffUserId: string; displayName: string; email: string; role: string };

/**
 * The city's staff with, for each colleague, a role change and 「この自治体から外す」. The acting admin's
 * own row has no controls (ADR: nobody changes or removes themselves). Removal asks once more on the
 * page itself (`confirming`), so it works without JavaScript.
 */
export function StaffTable({
  members,
  me,
  confirming,
  busy,
}: {
  members: Member[];
  me: string;
  confirming: string | null;
  busy: boolean;
}) {
  return (
    <table className="mt-4 w-full text-left">
      <caption className="sr-only">職員一覧</caption>
      <thead>
        <tr>
          <th scope="col">氏名</th>
          <th scope="col">メールアドレス</th>
          <th scope="col">権限</th>
          <th scope="col">操作</th>
        </tr>
      </thead>
      <tbody>
        {members.map((m) => (
          <tr key={m.membershipId} className="border-t border-gray-300 align-top">
            <td className="py-2">{m.displayName}</td>
            <td className="py-2">{m.email}</td>
            <td className="py-2">{roleLabel(m.role)}</td>
            <td className="py-2">
              {m.staffUserId === me ? (
                <span>（ご自身）</span>
              ) : (
                <div className="space-y-2">
                  <Form method="post" className="flex flex-wrap items-center gap-2">
                    <input type="hidden" name="intent" value="role" />
                    <input type="hidden" name="membershipId" value={m.membershipId} />
                    <label htmlFor={`role-${m.membershipId}`} className="sr-only">
                      {m.displayName}さんの権限
                    </label>
                    <select
                      id={`role-${m.membershipId}`}
                      name="role"
                      defaultValue={m.role}
                      className="rounded border border-gray-600 px-2 py-1"
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {roleLabel(r)}
                        </option>
                      ))}
                    </select>
                    <Button
                      type="submit"
                      variant="secondary"
                      disabled={busy}
                      aria-label={`${m.displayName}さんの権限を変更`}
                    >
                      権限を変更
                    </Button>
                  </Form>
                  {confirming === m.membershipId ? (
                    <Notice variant="warning" title={`${m.displayName}さんをこの自治体の職員から外しますか`}>
                      <p>
                        この自治体の管理画面を使えなくなり、ログイン中の端末からもログアウトされます。元に戻すには改めて招待してください。
                      </p>
                      <div className="mt-2 flex gap-2">
                        <Form method="post">
                          <input type="hidden" name="intent" value="remove" />
                          <input type="hidden" name="membershipId" value={m.membershipId} />
                          <input type="hidden" name="confirmed" value="1" />
                          <Button type="submit" variant="danger" disabled={busy}>
                            外す
                          </Button>
                        </Form>
                        <a href="?" className="underline">
                          やめる
                        </a>
                      </div>
                    </Notice>
                  ) : (
                    <Form method="post">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="membershipId" value={m.membershipId} />
                      <Button
                        type="submit"
                        variant="danger"
                        disabled={busy}
                        aria-label={`${m.displayName}さんをこの自治体から外す`}
                      >
                        この自治体から外す
                      </Button>
                    </Form>
                  )}
                </div>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Pending = { id: string; email: string; role: string; expiresAt: string | Date };

export function PendingInvitations({ pending, busy }: { pending: Pending[]; busy: boolean }) {
  if (!pending.length) return null;
  return (
    <>
      <h2 className="mt-10 text-2xl font-bold">招待中</h2>
      <ul className="mt-2 space-y-2">
        {pending.map((p) => (
          <li key={p.id} className="flex flex-wrap items-center gap-3">
            <span>
              {p.email}（{roleLabel(p.role)}、{formatDateTimeJa(new Date(p.expiresAt))}まで有効）
            </span>
            <Form method="post">
              <input type="hidden" name="intent" value="revoke" />
              <input type="hidden" name="invitationId" value={p.id} />
              <Button type="submit" variant="secondary" disabled={busy} aria-label={`${p.email} への招待を取り消す`}>
                招待を取り消す
              </Button>
            </Form>
          </li>
        ))}
      </ul>
    </>
  );
}
