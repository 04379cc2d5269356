import type { messagingApi } from "@line/bot-sdk";
import type { BroadcastContent } from "#db/schema/index";

/**
 * The LINE message objects for a broadcast, built at send time from what the composer stored.
 * Images are served by us (media route) at `mediaUrl(id)`: LINE fetches them from there. Pure.
 */
export type MediaUrl = (mediaId: string) => string;

export function broadcastMessages(content: BroadcastContent, mediaUrl: MediaUrl): messagingApi.Message[] {
  switch (content.kind) {
    case "text":
      return [{ type: "text", text: content.text } as messagingApi.TextMessage];
    case "image": {
      const url = mediaUrl(content.mediaId);
      // The upload is at most 1 MB, LINE's limit for the preview, so one file serves both.
      return [{ type: "image", originalContentUrl: url, previewImageUrl: url } as messagingApi.ImageMessage];
    }
    case "flex":
      return [
        { type: "flex", altText: content.title, contents: flexCard(content, mediaUrl) } as messagingApi.FlexMessage,
      ];
  }
}

function flexCard(c: Extract<BroadcastContent, { kind: "flex" }>, mediaUrl: MediaUrl): messagingApi.FlexBubble {
  const bubble: messagingApi.FlexBubble = {
    type: "bubble",
    body: {
      type: "box",
      layout: "vertical",
      spacing: "md",
      contents: [
        { type: "text", text: c.title, weight: "bold", size: "lg", wrap: true } as messagingApi.FlexText,
        { type: "text", text: c.body, size: "md", wrap: true } as messagingApi.FlexText,
      ],
    },
  };
  if (c.mediaId)
    bubble.hero = {
      type: "image",
      url: mediaUrl(c.mediaId),
      size: "full",
      aspectMode: "cover",
      aspectRatio: "20:13",
    } as messagingApi.FlexImage;
  if (c.buttonLabel && c.buttonUrl) {
    bubble.footer = {
      type: "box",
      layout: "vertical",
      contents: [
        {
          type: "button",
          style: "primary",
          action: { type: "uri", label: c.buttonLabel, uri: c.buttonUrl },
        } as messagingApi.FlexButton,
      ],
    };
  }
  return bubble;
}
