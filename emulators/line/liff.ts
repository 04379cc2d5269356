import { line, notFound, ok, type Route } from "./http";
import type { Channel } from "./state";

/**
 * LIFF server API, read side (liff.yml: GET /liff/v1/apps): what the vendor's onboarding wizard
 * calls to check that the LIFF id a city typed exists and opens the city's pages. The emulator knows
 * one LIFF app per channel (Channel.liffId, its endpoint URL Channel.liffEndpointUrl).
 *
 * Simplification: on LINE the token must belong to the LINE Login channel that owns the LIFF app;
 * the emulator accepts the Messaging API channel's token and lists the LIFF app registered with it.
 */
export function liffApp(c: Channel) {
  return {
    liffId: c.liffId,
    view: { type: "full", url: c.liffEndpointUrl ?? "https://example.invalid/", moduleMode: false },
    description: c.displayName.slice(0, 50),
    features: { ble: false, qrCode: false },
    permanentLinkPattern: "concat",
    scope: ["openid", "profile"],
    botPrompt: "normal",
  };
}

export const liffRoutes: Route[] = [
  // LINE answers 404 when the channel has no LIFF app at all.
  line("GET", "/liff/v1/apps", "other", (_ctx, channel) => {
    if (!channel.liffId) throw notFound("no LIFF app on this channel");
    return ok({ apps: [liffApp(channel)] });
  }),
];
