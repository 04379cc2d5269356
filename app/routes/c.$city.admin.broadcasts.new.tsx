import { redirect } from "react-router";
import type { Route } from "./+types/c.$city.admin.broadcasts.new";
import { requireRole } from "~/auth/guards.server";
import { clientAddress } from "~/lib/client-address.server";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { createBroadcast, type Upload } from "~/features/broadcasts/broadcasts.server";
import { Composer, type ComposerValues } from "~/features/broadcasts/components/composer";
import { readComposeForm, type ComposeErrors } from "~/features/broadcasts/compose";
import { checkBroadcastImage, MEDIA_MAX_BYTES } from "~/features/broadcasts/media.server";
import { readCappedForm } from "~/features/line-richmenu/form-body.server";
import { env } from "~/lib/env.server";
import { tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "新しい配信 | 管理画面" }];

// A draft offered by another page (disaster mode's 防災 broadcast, issue 18): these fields from the query.
const PREFILL = ["title", "text", "topics", "areas"];

export function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const t = context.get(tenantContext);
  const prefill: ComposerValues = {};
  for (const [k, v] of new URL(request.url).searchParams)
    if (PREFILL.includes(k)) (prefill[k] ??= []).push(v.slice(0, 5000));
  return { city: { slug: t.slug, name: t.name, topics: t.topics, areas: t.areas }, prefill };
}

/** Every field as the admin typed it (repeated fields as lists), to fill the form again after a refusal. */
function echo(form: FormData): ComposerValues {
  const out: ComposerValues = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") (out[k] ??= []).push(v);
  return out;
}

export async function action({ context, request }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const form = await readCappedForm(request, MEDIA_MAX_BYTES + 128 * 1024);
  if (!form)
    return {
      errors: { image: "画像のファイルサイズは1MB以下にしてください。LINEの上限です。" } as ComposeErrors,
      values: {} as ComposerValues,
    };
  const kind = String(form.get("kind") ?? "");
  const file = form.get(kind === "flex" ? "cardImage" : "image");
  const errors: ComposeErrors = {};
  let upload: Upload | null = null;
  if ((kind === "image" || kind === "flex") && file instanceof File && file.size > 0) {
    const data = new Uint8Array(await file.arrayBuffer());
    const checked = checkBroadcastImage(data);
    if (checked.ok) upload = { data, checked };
    else errors[kind === "flex" ? "cardImage" : "image"] = checked.message;
  }
  // LINE fetches images from our media URL and accepts only https: refuse now rather than fail at send.
  if (upload && !env().APP_ORIGIN.startsWith("https://"))
    errors[kind === "flex" ? "cardImage" : "image"] =
      "画像の配信には、HTTPSで公開されたこのサービスのURLが必要です（APP_ORIGINがhttpsではありません）。画像なしで配信するか、管理者に設定を確認してください。";
  const parsed = readComposeForm(form, tenant, new Date(), { hasImage: upload !== null || !!errors.image });
  if (!parsed.ok || Object.keys(errors).length)
    return { errors: { ...(parsed.ok ? {} : parsed.errors), ...errors }, values: echo(form) };
  const created = await createBroadcast(getDb(), {
    tenantId: tenant.id,
    draft: parsed.draft,
    upload,
    actor: { staffUserId: staff.user.id, ip: clientAddress(context) },
    now: new Date(),
  });
  if (!created.ok) return { errors: created.errors, values: echo(form) };
  return redirect(`/c/${tenant.slug}/admin/broadcasts/${created.id}`);
}

export default function NewBroadcastPage({ loaderData, actionData }: Route.ComponentProps) {
  return (
    <>
      <PageHeader
        title="新しい配信"
        description="LINEの友だちに、お知らせを配信します。受け取る人を条件で絞り込み、今すぐ・日時を指定して・繰り返しのいずれかで配信できます。"
      />
      <Composer
        city={loaderData.city}
        errors={actionData?.errors ?? {}}
        values={actionData?.values ?? loaderData.prefill}
      />
    </>
  );
}
