import { Form, Link, data, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/dev.mail";
import { clearDevMailbox, loadMailbox, type MailDetail } from "~/features/dev-mail/dev-mail.server";
import { env } from "~/lib/env.server";
import { readForm } from "~/lib/form-body.server";

// Development mailbox: what the app "sent" to the embedded SMTP capture server. 404 unless DEV_TOOLS=1,
// so the page cannot exist in production even if the route is deployed.

function mailboxDirOr404(): string {
  const { DEV_TOOLS, MAILBOX_DIR } = env();
  if (DEV_TOOLS !== "1") throw data(null, { status: 404 });
  return MAILBOX_DIR;
}

export function meta(): Route.MetaDescriptors {
  return [{ title: "開発用メールボックス | 窓口 Madoguchi" }, { name: "robots", content: "noindex" }];
}

export async function loader({ request }: Route.LoaderArgs) {
  const dir = mailboxDirOr404();
  const selectedId = new URL(request.url).searchParams.get("id");
  return loadMailbox({ dir }, { selectedId });
}

const actionSchema = z.object({ intent: z.literal("clear") });

export async function action({ request }: Route.ActionArgs) {
  const dir = mailboxDirOr404();
  const parsed = actionSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw data({ message: "不正な操作です。" }, { status: 400 });
  await clearDevMailbox({ dir });
  return redirect("/dev/mail");
}

export default function DevMailbox({ loaderData }: Route.ComponentProps) {
  const { mails, selected, notFound } = loaderData;
  return (
    <main id="main" className="mx-auto max-w-6xl p-4 sm:p-6">
      <h1 className="text-std-28B-150">開発用メールボックス</h1>
      <p className="mt-2">
        アプリが送信したメールは外部に配送されず、ここに保存されます。開発・テスト環境専用の画面です。
      </p>

      <Form method="post" className="mt-4">
        <input type="hidden" name="intent" value="clear" />
        <button
          type="submit"
          disabled={mails.length === 0}
          className="min-h-tap rounded-8 border border-error-1 px-4 text-error-1 disabled:opacity-50"
        >
          すべて削除
        </button>
      </Form>

      <section aria-labelledby="mail-list-heading" className="mt-6">
        <h2 id="mail-list-heading" className="text-std-20B-150">
          受信したメール（{mails.length}件）
        </h2>
        {mails.length === 0 ? (
          <p className="mt-2">メールはまだありません。</p>
        ) : (
          <div className="mt-2 overflow-x-auto">
            <table className="w-full border-collapse text-left">
              <caption className="sr-only">受信したメールの一覧（新しい順）</caption>
              <thead>
                <tr className="border-b border-solid-gray-420">
                  <th scope="col" className="p-2">
                    受信日時
                  </th>
                  <th scope="col" className="p-2">
                    宛先
                  </th>
                  <th scope="col" className="p-2">
                    件名
                  </th>
                </tr>
              </thead>
              <tbody>
                {mails.map((mail) => {
                  const current = selected?.id === mail.id;
                  return (
                    <tr key={mail.id} className={`border-b border-solid-gray-200 ${current ? "bg-blue-50" : ""}`}>
                      <td className="whitespace-nowrap p-2">
                        <time>{mail.receivedAtText}</time>
                      </td>
                      <td className="p-2">{mail.to.join(", ")}</td>
                      <td className="p-2">
                        <Link
                          to={`?id=${encodeURIComponent(mail.id)}`}
                          aria-current={current ? "true" : undefined}
                          className="text-blue-1000 underline"
                        >
                          {mail.subject || "（件名なし）"}
                        </Link>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {notFound ? (
        <p role="alert" className="mt-6">
          指定されたメールは見つかりません。削除された可能性があります。
        </p>
      ) : null}
      {selected ? <MailView mail={selected} /> : null}
    </main>
  );
}

function MailView({ mail }: { mail: MailDetail }) {
  return (
    <article aria-labelledby="mail-subject" className="mt-8">
      <h2 id="mail-subject" className="text-std-20B-150">
        {mail.subject || "（件名なし）"}
      </h2>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4">
        <dt className="font-bold">差出人</dt>
        <dd>{mail.from}</dd>
        <dt className="font-bold">宛先</dt>
        <dd>{mail.to.join(", ")}</dd>
        <dt className="font-bold">受信日時</dt>
        <dd>{mail.receivedAtText}</dd>
      </dl>

      <h3 className="mt-6 text-std-18B-160">テキスト本文</h3>
      <pre className="mt-2 whitespace-pre-wrap break-all rounded-8 border border-solid-gray-420 p-4 font-mono">
        {mail.textSegments.map((segment, i) =>
          segment.href ? (
            <a key={i} href={segment.href} className="text-blue-1000 underline">
              {segment.text}
            </a>
          ) : (
            <span key={i}>{segment.text}</span>
          ),
        )}
      </pre>

      <h3 className="mt-6 text-std-18B-160">HTML本文</h3>
      {mail.html ? (
        // sandbox="" : the mail's HTML may not run scripts, submit forms or reach this origin.
        <iframe
          sandbox=""
          srcDoc={mail.html}
          title={`HTML本文: ${mail.subject}`}
          className="mt-2 h-[40rem] w-full rounded-8 border border-solid-gray-420"
        />
      ) : (
        <p className="mt-2">このメールにはHTML本文がありません。</p>
      )}
    </article>
  );
}
