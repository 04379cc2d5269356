import { Readable } from "node:stream";

import { describe, expect, it } from "vitest";
import {
  CHANNEL,
  blob,
  control,
  emulator,
  newUser,
  png,
  received,
  sdkError,
  startEmulatorHarness,
  userActs,
} from "./support";

/**
 * The LINE emulator's image messages (issue 16): a resident's image arrives as a message event that
 * carries only an id, and the bytes come from GET /v2/bot/message/{messageId}/content on the data
 * API, as on api-data.line.me: the right Content-Type, 404 for an unknown id or another channel's.
 */
startEmulatorHarness();

async function bytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

describe("LINE emulator: images", () => {
  it("delivers an image message event with an id, and serves its content with its type", async () => {
    const user = await newUser();
    const image = png(40, 30);
    const delivery = await userActs(user, [
      {
        type: "message",
        message: { type: "image", contentType: "image/png", contentBase64: image.toString("base64") },
      },
    ]);
    expect(delivery.body.status).toBe(200);
    const [event] = received[0]!.body.events;
    expect(event).toMatchObject({ type: "message", message: { type: "image", contentProvider: { type: "line" } } });
    const id = (event!.message as { id: string }).id;
    expect(id).toMatch(/^\d+$/);
    expect(typeof event!.replyToken).toBe("string");
    expect(JSON.stringify(event)).not.toContain(image.toString("base64"));

    expect(await bytes(await blob.getMessageContent(id))).toEqual(image);
    const res = await fetch(`${emulator.url}/v2/bot/message/${id}/content`, {
      headers: { authorization: `Bearer ${CHANNEL.channelAccessToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
  });

  it("answers 404 for an unknown id, 401 without the channel's token", async () => {
    expect((await sdkError(blob.getMessageContent("999999999999999"))).status).toBe(404);
    const res = await fetch(`${emulator.url}/v2/bot/message/1/content`);
    expect(res.status).toBe(401);
  });

  it("refuses an image event without content or of a type LINE does not send", async () => {
    const user = await newUser();
    const noContent = await control("POST", "/__emulator/events", {
      channelId: CHANNEL.channelId,
      userId: user,
      events: [{ type: "message", message: { type: "image", contentType: "image/png" } }],
    });
    expect(noContent.status).toBe(400);
    const pdf = await control("POST", "/__emulator/events", {
      channelId: CHANNEL.channelId,
      userId: user,
      events: [
        { type: "message", message: { type: "image", contentType: "application/pdf", contentBase64: "JVBERi0=" } },
      ],
    });
    expect(pdf.status).toBe(400);
  });

  it("postbacks carry datetime picker params as sent", async () => {
    const user = await newUser();
    await userActs(user, [{ type: "postback", postback: { data: "pick=1", params: { date: "2026-12-24" } } }]);
    expect(received[0]!.body.events[0]).toMatchObject({ postback: { data: "pick=1", params: { date: "2026-12-24" } } });
  });
});
