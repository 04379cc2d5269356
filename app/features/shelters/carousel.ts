import type { messagingApi } from "@line/bot-sdk";
import { t } from "~/lib/i18n";
import { formatTokyo } from "~/lib/japan-time";
import { fit, flexMessage, type Message } from "~/lib/line-messages";
import { formatDistance, mapUrl, walkingMinutes } from "./distance";
import { isShelterStatus } from "./hazards";

/**
 * The LINE answer with shelters: one Flex bubble each (name, status, distance and walking minutes,
 * the time of the last status change, a map link) and the data's attribution. Pure.
 */
export type CardShelter = {
  name: string;
  address: string;
  latitude: number;
  longitude: number;
  status: string;
  welfare: boolean;
  meters?: number;
  statusChangedAt?: Date | null;
};

const STATUS_COLOUR: Record<string, string> = {
  open: "#197A4B",
  crowded: "#8A5300",
  full: "#CE0000",
  unopened: "#626264",
  closed: "#626264",
};

function bubble(lang: string, s: CardShelter): messagingApi.FlexBubble {
  const status = isShelterStatus(s.status) ? t(lang, `shelters:status.${s.status}`) : s.status;
  const lines: messagingApi.FlexComponent[] = [
    { type: "text", text: fit(s.name, 60), weight: "bold", size: "lg", wrap: true },
    { type: "text", text: status, weight: "bold", color: STATUS_COLOUR[s.status] ?? "#1A1A1C", size: "md" },
  ];
  if (s.meters !== undefined)
    lines.push({
      type: "text",
      text: t(lang, "shelters:distance", { distance: formatDistance(s.meters), minutes: walkingMinutes(s.meters) }),
      size: "sm",
      wrap: true,
    });
  if (s.address) lines.push({ type: "text", text: fit(s.address, 100), size: "sm", color: "#626264", wrap: true });
  if (s.welfare) lines.push({ type: "text", text: t(lang, "shelters:welfare"), size: "xs", color: "#626264" });
  if (s.statusChangedAt)
    lines.push({
      type: "text",
      text: t(lang, "shelters:updated", { time: formatTokyo(s.statusChangedAt, "M/d HH:mm") }),
      size: "xs",
      color: "#626264",
    });
  lines.push({ type: "text", text: t(lang, "shelters:attribution"), size: "xxs", color: "#626264", wrap: true });
  return {
    type: "bubble",
    size: "kilo",
    body: { type: "box", layout: "vertical", spacing: "sm", contents: lines },
    footer: {
      type: "box",
      layout: "vertical",
      contents: [
        {
          type: "button",
          style: "primary",
          color: "#0031D8",
          action: { type: "uri", label: fit(t(lang, "shelters:map"), 20), uri: mapUrl(s) },
        },
      ],
    },
  };
}

export function shelterCarousel(lang: string, altText: string, shelters: readonly CardShelter[]): Message {
  return flexMessage(
    altText,
    shelters.slice(0, 12).map((s) => bubble(lang, s)),
  );
}
