import { randomUUID } from "node:crypto";
import { HTTPFetchError, messagingApi } from "@line/bot-sdk";
import { describe, expect, it, vi } from "vitest";
import {
  CHANNEL,
  client,
  control,
  emulator,
  newUser,
  sdkError,
  sent,
  text,
  startEmulatorHarness,
  userActs,
} from "./support";

/** The LINE emulator: sending (reply, push, multicast, retry keys, rate limits) and robustness against bad input. */
startEmulatorHarness();

describe("LINE emulator: sending", () => {
  it("push via the SDK returns sent message ids and is recorded with its request id and retry key", async () => {
    const user = await newUser();
    const retryKey = randomUUID();
    const { httpResponse, body } = await client.pushMessageWithHttpInfo(
      { to: user, messages: [text("こんにちは"), text("2通目")] },
      retryKey,
    );
    expect(body.sentMessages).toHaveLength(2);
    expect(body.sentMessages[0].id).toMatch(/^\d{18}$/);
    expect(body.sentMessages[0].quoteToken).toBeTruthy();
    const requestId = httpResponse.headers.get("x-line-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const records = await sent();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      kind: "push",
      to: [user],
      requestId,
      retryKey,
      messages: [text("こんにちは"), text("2通目")],
    });
  });

  it("multicast and broadcast: multicast reaches the listed users, broadcast only current followers", async () => {
    const [a, b, c] = [await newUser(), await newUser(), await newUser()];
    expect(await client.multicast({ to: [a, b, c], messages: [text("お知らせ")] })).toEqual({});
    await userActs(a, [{ type: "follow" }]);
    await userActs(b, [{ type: "follow" }, { type: "unfollow" }]);
    expect(await client.broadcast({ messages: [text("全員へ")] })).toEqual({});
    const records = await sent();
    expect(records.map((r) => r.kind)).toEqual(["multicast", "broadcast"]);
    expect(records[0].to).toEqual([a, b, c]);
    expect(records[1].to).toEqual([a]);
    expect((await sent(`&userId=${b}`)).map((r) => r.kind)).toEqual(["multicast"]);
    // LINE bills per recipient: 3 (multicast) + 1 (broadcast).
    expect(await client.getMessageQuotaConsumption()).toEqual({ totalUsage: 4 });
    expect(await client.getMessageQuota()).toEqual({ type: "none" });
  });

  it("reply tokens come with webhook events, work once, are free, and expire after 60 s", async () => {
    const user = await newUser();
    const delivery = await userActs(user, [{ type: "message", message: { type: "text", text: "予約したい" } }]);
    const replyToken = delivery.body.events[0].replyToken as string;
    const res = await client.replyMessage({ replyToken, messages: [text("承りました")] });
    expect(res.sentMessages).toHaveLength(1);
    const again = await sdkError(client.replyMessage({ replyToken, messages: [text("二回目")] }));
    expect(again).toMatchObject({ status: 400, body: { message: "Invalid reply token" } });
    expect(await sent()).toMatchObject([{ kind: "reply", to: [user], messages: [text("承りました")] }]);
    expect(await client.getMessageQuotaConsumption()).toEqual({ totalUsage: 0 });

    const later = await userActs(user, [{ type: "postback", postback: { data: "action=book" } }]);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 61_000);
    const expired = await sdkError(
      client.replyMessage({ replyToken: later.body.events[0].replyToken as string, messages: [text("遅い")] }),
    );
    expect(expired).toMatchObject({ status: 400, body: { message: "Invalid reply token" } });
  });

  it("validates like LINE: 6 messages, 5001-character text, 501 recipients, bad user id; nothing recorded", async () => {
    const user = await newUser();
    const six = await sdkError(client.pushMessage({ to: user, messages: Array.from({ length: 6 }, () => text("x")) }));
    expect(six).toEqual({
      status: 400,
      headers: expect.anything(),
      body: {
        message: "The request body has 1 error(s)",
        details: [{ message: "Size must be between 1 and 5", property: "messages" }],
      },
    });
    const long = await sdkError(client.pushMessage({ to: user, messages: [text("あ".repeat(5001))] }));
    expect(long.body).toEqual({
      message: "The request body has 1 error(s)",
      details: [{ message: "Length must be between 0 and 5000", property: "messages[0].text" }],
    });
    const recipients = Array.from({ length: 501 }, () => user);
    const many = await sdkError(client.multicast({ to: recipients, messages: [text("x")] }));
    expect(many.body).toMatchObject({ details: [{ message: "Size must be between 1 and 500", property: "to" }] });
    const badTo = await sdkError(client.pushMessage({ to: "someone", messages: [text("x")] }));
    expect(badTo.status).toBe(400);
    const image = await sdkError(
      client.pushMessage({
        to: user,
        messages: [
          { type: "image", originalContentUrl: "http://x.example/a.png", previewImageUrl: "https://x.example/p.png" },
        ],
      }),
    );
    expect(image.body).toMatchObject({ details: [{ property: "messages[0].originalContentUrl" }] });
    const items = Array.from({ length: 14 }, (_, i) => ({
      type: "action" as const,
      action: { type: "message" as const, label: `l${i}`, text: "t" },
    }));
    const quick = await sdkError(client.pushMessage({ to: user, messages: [{ ...text("q"), quickReply: { items } }] }));
    expect(quick.body).toMatchObject({
      details: [{ message: "Size must be between 1 and 13", property: "messages[0].quickReply.items" }],
    });
    const flex = await client.pushMessage({
      to: user,
      messages: [{ type: "flex", altText: "予約票", contents: { type: "bubble" } }],
    });
    expect(flex.sentMessages).toHaveLength(1);
    expect((await sent()).map((r) => r.kind)).toEqual(["push"]); // only the valid flex push
  });

  it("a repeated retry key answers 409 with the original request id and sends nothing twice", async () => {
    const user = await newUser();
    const key = randomUUID();
    const first = await client.pushMessageWithHttpInfo({ to: user, messages: [text("一度だけ")] }, key);
    const repeat = await sdkError(client.pushMessage({ to: user, messages: [text("一度だけ")] }, key));
    expect(repeat.status).toBe(409);
    expect(repeat.body).toEqual({
      message: "The retry key is already accepted",
      sentMessages: first.body.sentMessages,
    });
    expect(repeat.headers.get("x-line-accepted-request-id")).toBe(first.httpResponse.headers.get("x-line-request-id"));
    const mkey = randomUUID();
    await client.multicast({ to: [user], messages: [text("m")] }, mkey);
    expect((await sdkError(client.multicast({ to: [user], messages: [text("m")] }, mkey))).status).toBe(409);
    expect(await sent()).toHaveLength(2);
    const stats = await control<{ status409: number }>("GET", `/__emulator/stats?channelId=${CHANNEL.channelId}`);
    expect(stats.body.status409).toBe(2);
  });

  it("a failed request does not consume its retry key; a key that is not a UUID is rejected; keys expire after 24 h", async () => {
    const user = await newUser();
    const key = randomUUID();
    expect((await sdkError(client.pushMessage({ to: user, messages: [text("")] }, key))).status).toBe(400);
    await control("PUT", "/__emulator/rate-limits", { channelId: CHANNEL.channelId, push: 0 });
    expect((await sdkError(client.pushMessage({ to: user, messages: [text("x")] }, key))).status).toBe(429);
    await control("PUT", "/__emulator/rate-limits", { channelId: CHANNEL.channelId, push: 100 });
    expect((await client.pushMessage({ to: user, messages: [text("x")] }, key)).sentMessages).toHaveLength(1);
    const bad = await sdkError(client.pushMessage({ to: user, messages: [text("x")] }, "not-a-uuid"));
    expect(bad).toMatchObject({
      status: 400,
      body: { message: "The value for the 'X-Line-Retry-Key' header is invalid" },
    });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 25 * 3600_000);
    expect((await client.pushMessage({ to: user, messages: [text("x")] }, key)).sentMessages).toHaveLength(1);
    expect(await sent()).toHaveLength(2);
  });

  it("answers 429 over a configured per-channel limit and records nothing for it", async () => {
    const user = await newUser();
    const limits = await control<{ limits: { push: number } }>("PUT", "/__emulator/rate-limits", {
      channelId: CHANNEL.channelId,
      push: 3,
    });
    expect(limits.body.limits.push).toBe(3);
    // Five at once against 3/s: the bucket holds exactly three, so two are refused however fast we are.
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        client.pushMessage({ to: user, messages: [text("x")] }).then(
          () => null,
          (err: unknown) => err,
        ),
      ),
    );
    const refused = results.filter((r): r is HTTPFetchError => r instanceof HTTPFetchError);
    expect(results.filter((r) => r === null)).toHaveLength(3);
    expect(refused.map((e) => [e.status, JSON.parse(e.body)])).toEqual([
      [429, { message: "The API rate limit has been exceeded. Try again later." }],
      [429, { message: "The API rate limit has been exceeded. Try again later." }],
    ]);
    expect(await sent()).toHaveLength(3);
    // Other endpoint classes have their own budget.
    expect((await client.getBotInfo()).userId).toMatch(/^U[0-9a-f]{32}$/);
    const stats = await control<{ status429: number; recipients: number }>(
      "GET",
      `/__emulator/stats?channelId=${CHANNEL.channelId}`,
    );
    expect(stats.body).toMatchObject({ status429: 2, recipients: 3 });
  });

  it("rejects an unknown access token with 401 and answers bot info for a valid one", async () => {
    const stranger = new messagingApi.MessagingApiClient({
      channelAccessToken: "no-such-token",
      baseURL: emulator.url,
    });
    const denied = await sdkError(stranger.getBotInfo());
    expect(denied).toMatchObject({
      status: 401,
      body: { message: "Authentication failed. Confirm that the access token in the authorization header is valid." },
    });
    expect(denied.headers.get("x-line-request-id")).toBeTruthy();
    const info = await client.getBotInfo();
    expect(info).toMatchObject({
      chatMode: "bot",
      markAsReadMode: "auto",
      displayName: `Channel ${CHANNEL.channelId}`,
    });
    const listed = await control<{ channels: Record<string, unknown>[] }>("GET", "/__emulator/channels");
    expect(listed.body.channels[0]).toMatchObject({
      channelId: CHANNEL.channelId,
      botUserId: info.userId,
      liffId: CHANNEL.liffId,
    });
    expect(JSON.stringify(listed.body)).not.toContain(CHANNEL.channelSecret);
    expect(JSON.stringify(listed.body)).not.toContain(CHANNEL.channelAccessToken);
    expect(JSON.stringify(listed.body)).not.toContain(CHANNEL.loginChannelSecret);
  });
});

describe("LINE emulator: robustness", () => {
  it("answers malformed JSON, unknown paths and oversized bodies without falling over", async () => {
    const auth = { authorization: `Bearer ${CHANNEL.channelAccessToken}`, "content-type": "application/json" };
    const malformed = await fetch(`${emulator.url}/v2/bot/message/push`, {
      method: "POST",
      headers: auth,
      body: '{"to":',
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { message: string }).message).toBe("The request body has 1 error(s)");
    const unknown = await fetch(`${emulator.url}/v2/bot/nothing-here`, { headers: auth });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: "Not found" });
    expect(unknown.headers.get("x-line-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const big = await fetch(`${emulator.url}/v2/bot/message/push`, {
      method: "POST",
      headers: auth,
      body: "x".repeat(2 * 1024 * 1024 + 1),
    });
    expect(big.status).toBe(413);
    const noAuth = await fetch(`${emulator.url}/v2/bot/info`);
    expect(noAuth.status).toBe(401);
    const cors = await fetch(`${emulator.url}/__emulator/health`, { method: "OPTIONS" });
    expect(cors.status).toBe(204);
    expect(cors.headers.get("access-control-allow-origin")).toBe("*");
    expect((await control<{ ok: boolean }>("GET", "/__emulator/health")).body).toEqual({ ok: true });
  });
});
