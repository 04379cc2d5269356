import type { ConversationContext, Incoming, Reply, Responder } from "~/lib/conversation";
import { t } from "~/lib/i18n";
import { locationAction, postbackAction, textMessage, type Message } from "~/lib/line-messages";
import { linePageUrl } from "~/integrations/line/liff-url";
import { shelterCarousel } from "./carousel";
import { formatDistance } from "./distance";
import { NATIONAL_MAP_URL } from "./hazards";
import { activeHazard, countShelters, nearestAny, nearestOpen, openInArea } from "./shelters.server";
import { safetyResponder } from "./safety-answer.server";

/**
 * Shelters in LINE (issue 18): the 避難所 tile / keyword asks for a location (or the area, as
 * postbacks, for residents who will not share one); a location answers with the nearest open
 * shelters safe for the city's active hazard. Also routes the 安否確認 postbacks.
 */
export const AREA_POSTBACK = "shelters:area:";
/** Beyond this from every shelter of the city, the resident is somewhere else (a traveller, a relative). */
export const FAR_METRES = 20_000;

const isAsk = (s: string) => s === "避難所" || s.startsWith("避難所を") || /避難|災害|防災|shelter|evacuat/i.test(s);

function disasterContact(ctx: ConversationContext): string[] {
  const c = ctx.city.contact;
  const page = c?.disasterUrl ?? c?.webUrl ?? null;
  const phone = c?.disasterPhone ?? c?.phones[0]?.number ?? null;
  return [
    page
      ? t(ctx.lang, "conversation:disaster.page", { city: ctx.city.name, url: page })
      : t(ctx.lang, "conversation:disaster.noPage", { city: ctx.city.name }),
    ...(phone ? [t(ctx.lang, "conversation:disaster.phone", { phone })] : []),
    t(ctx.lang, "conversation:disaster.emergency"),
  ];
}

const pageUrl = (ctx: ConversationContext) =>
  linePageUrl(`/c/${ctx.city.slug}/shelters`, { slug: ctx.city.slug, liffId: null, appOrigin: ctx.appOrigin });

async function askLocation(ctx: ConversationContext): Promise<Reply> {
  if ((await countShelters(ctx.tx, ctx.city.tenantId)) === 0)
    return {
      messages: [
        textMessage([t(ctx.lang, "shelters:noData", { city: ctx.city.name }), ...disasterContact(ctx)].join("\n")),
      ],
    };
  const areas = ctx.city.areas.slice(0, 12).map((a) => postbackAction(a, `${AREA_POSTBACK}${a}`.slice(0, 300), a));
  return {
    messages: [
      textMessage(t(ctx.lang, "shelters:askLocation"), [
        locationAction(t(ctx.lang, "shelters:sendLocation")),
        ...areas,
      ]),
    ],
  };
}

export async function answerLocation(
  ctx: ConversationContext,
  at: { latitude: number; longitude: number },
): Promise<Message[]> {
  const { tx } = ctx;
  const tenantId = ctx.city.tenantId;
  const nearest = await nearestAny(tx, tenantId, at);
  if (!nearest)
    return [textMessage([t(ctx.lang, "shelters:noData", { city: ctx.city.name }), ...disasterContact(ctx)].join("\n"))];
  const hazard = await activeHazard(tx, tenantId);
  if (nearest.meters > FAR_METRES)
    return [
      textMessage(
        [
          t(ctx.lang, "shelters:far", {
            city: ctx.city.name,
            name: nearest.name,
            distance: formatDistance(nearest.meters),
          }),
          t(ctx.lang, "shelters:national", { url: NATIONAL_MAP_URL }),
        ].join("\n\n"),
      ),
    ];
  const open = await nearestOpen(tx, tenantId, at, hazard, 3);
  if (open.length === 0) return [textMessage([t(ctx.lang, "shelters:none"), ...disasterContact(ctx)].join("\n"))];
  const intro = hazard
    ? t(ctx.lang, "shelters:introHazard", { hazard: t(ctx.lang, `shelters:hazard.${hazard}`) })
    : t(ctx.lang, "shelters:intro");
  return [
    textMessage(`${intro}\n${t(ctx.lang, "shelters:page", { url: pageUrl(ctx) })}`),
    shelterCarousel(ctx.lang, t(ctx.lang, "shelters:carouselAlt", { count: open.length }), open),
  ];
}

async function answerArea(ctx: ConversationContext, area: string): Promise<Message[]> {
  if (!ctx.city.areas.includes(area)) return (await askLocation(ctx)).messages;
  const hazard = await activeHazard(ctx.tx, ctx.city.tenantId);
  const open = await openInArea(ctx.tx, ctx.city.tenantId, area, hazard);
  if (open.length === 0)
    return [textMessage([t(ctx.lang, "shelters:noneArea", { area }), ...disasterContact(ctx)].join("\n"))];
  return [shelterCarousel(ctx.lang, t(ctx.lang, "shelters:areaAlt", { area, count: open.length }), open)];
}

export const shelterResponder: Responder = {
  name: "shelters",
  async respond(input: Incoming, ctx: ConversationContext): Promise<Reply | null> {
    if (input.kind === "location") return { messages: await answerLocation(ctx, input) };
    if (input.kind === "postback") {
      if (input.data.startsWith(AREA_POSTBACK))
        return { messages: await answerArea(ctx, input.data.slice(AREA_POSTBACK.length)) };
      return safetyResponder.respond(input, ctx);
    }
    if (input.kind === "text" && isAsk(input.normalised)) return askLocation(ctx);
    return null;
  },
};
