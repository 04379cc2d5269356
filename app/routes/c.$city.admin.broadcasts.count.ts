import type { Route } from "./+types/c.$city.admin.broadcasts.count";
import { requireRole } from "~/auth/guards.server";
import { getDb } from "#db/client.server";
import { countRecipientsByLanguage } from "~/features/broadcasts/broadcasts.server";
import { languageCountLabels, readSegment, recipientCountLabel } from "~/features/broadcasts/compose";
import { tenantContext } from "~/tenants/context";

/**
 * The composer's live recipient count (resource route), in total and per language (ADR 046). Only
 * labels leave the server, so an exact number below 10 never reaches a browser, not even in the
 * network panel.
 */
export async function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const segment = readSegment(new URL(request.url).searchParams, tenant);
  const { total, byLanguage } = await countRecipientsByLanguage(getDb(), tenant.id, segment);
  return Response.json(
    { label: recipientCountLabel(total), none: total === 0, languages: languageCountLabels(byLanguage) },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}
