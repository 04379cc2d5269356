import { createHmac } from "node:crypto";
import { channelAccessToken, messagingApi, validateSignature } from "@line/bot-sdk";
import { describe, expect, it } from "vitest";
import {
  CHANNEL,
  blob,
  client,
  closedPort,
  control,
  emulator,
  newUser,
  png,
  received,
  receiverUrl,
  sdkError,
  setReceiverStatus,
  startEmulatorHarness,
  userActs,
} from "./support";

/** The LINE emulator: signed webhook delivery and redelivery, rich menus, LINE Login tokens. */
startEmulatorHarness();

describe("LINE emulator: webhooks", () => {
  it("delivers signed events to the app, with ids, reply tokens and follow details", async () => {
    const user = await newUser();
    const info = await client.getBotInfo();
    const delivery = await userActs(user, [
      { type: "follow" },
      { type: "message", message: { type: "location", title: "市役所", latitude: 35.1, longitude: 136.9 } },
      { type: "postback", postback: { data: "survey=1&a=2" } },
    ]);
    expect(delivery.body.status).toBe(200);
    expect(received).toHaveLength(1);
    const [req] = received;
    const expected = createHmac("sha256", CHANNEL.channelSecret).update(req.raw).digest("base64");
    expect(req.headers["x-line-signature"]).toBe(expected);
    expect(validateSignature(req.raw, CHANNEL.channelSecret, req.headers["x-line-signature"] as string)).toBe(true);
    expect(req.headers["user-agent"]).toBe("LineBotWebhook/2.0");
    expect(req.headers["content-type"]).toMatch(/^application\/json/);
    expect(req.body.destination).toBe(info.userId);
    const [follow, message, postback] = req.body.events;
    for (const e of req.body.events) {
      expect(e).toMatchObject({
        mode: "active",
        source: { type: "user", userId: user },
        deliveryContext: { isRedelivery: false },
      });
      expect(e.webhookEventId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(typeof e.timestamp).toBe("number");
    }
    expect(new Set(req.body.events.map((e) => e.webhookEventId)).size).toBe(3);
    expect(follow).toMatchObject({ type: "follow", follow: { isUnblocked: false } });
    expect(message).toMatchObject({
      type: "message",
      message: { type: "location", title: "市役所", latitude: 35.1, longitude: 136.9 },
    });
    expect((message.message as { id: string }).id).toMatch(/^\d+$/);
    expect(postback).toMatchObject({ type: "postback", postback: { data: "survey=1&a=2" } });
    expect(delivery.body.events.map((e) => e.webhookEventId)).toEqual(req.body.events.map((e) => e.webhookEventId));
    expect(delivery.body.events.map((e) => e.replyToken)).toEqual(req.body.events.map((e) => e.replyToken));

    await userActs(user, [{ type: "unfollow" }, { type: "follow" }]);
    const [unfollow, refollow] = received[1].body.events;
    expect(unfollow.replyToken).toBeUndefined();
    expect(refollow).toMatchObject({ type: "follow", follow: { isUnblocked: true } });
  });

  it("redelivers the same events with the same ids, isRedelivery true, re-signed", async () => {
    const user = await newUser();
    setReceiverStatus(500);
    const first = await userActs(user, [{ type: "message", message: { type: "text", text: "もしもし" } }]);
    expect(first.body.status).toBe(500);
    setReceiverStatus(200);
    const again = await control<{ status: number }>(
      "POST",
      `/__emulator/deliveries/${first.body.deliveryId}/redeliver`,
    );
    expect(again.body.status).toBe(200);
    const [original, redelivered] = received;
    expect(redelivered.body.events[0]).toEqual({ ...original.body.events[0], deliveryContext: { isRedelivery: true } });
    expect(
      validateSignature(redelivered.raw, CHANNEL.channelSecret, redelivered.headers["x-line-signature"] as string),
    ).toBe(true);
  });

  it("posts raw bodies with a forged signature when asked, and reports an unreachable app as status 0", async () => {
    const raw = await control<{ status: number }>("POST", "/__emulator/webhooks/raw", {
      channelId: CHANNEL.channelId,
      body: '{"x":1}',
      signature: "forged",
    });
    expect(raw.body.status).toBe(200);
    expect(received[0]).toMatchObject({ raw: '{"x":1}', headers: { "x-line-signature": "forged" } });
    await control("POST", "/__emulator/channels", {
      ...CHANNEL,
      webhookUrl: `http://127.0.0.1:${await closedPort()}/x`,
    });
    const lost = await userActs(await newUser(), [{ type: "follow" }]);
    expect(lost.body.status).toBe(0);
  });

  it("sets, reads and tests the webhook endpoint through the SDK (success and COULD_NOT_CONNECT)", async () => {
    await client.setWebhookEndpoint({ endpoint: `${receiverUrl}?via=sdk` });
    expect(await client.getWebhookEndpoint()).toEqual({ endpoint: `${receiverUrl}?via=sdk`, active: true });
    const okTest = await client.testWebhookEndpoint({});
    expect(okTest).toMatchObject({ success: true, statusCode: 200, reason: "OK", detail: "200" });
    expect(Number.isNaN(Date.parse(String(okTest.timestamp)))).toBe(false);
    expect(received[0].body).toEqual({ destination: (await client.getBotInfo()).userId, events: [] });
    expect(
      validateSignature(received[0].raw, CHANNEL.channelSecret, received[0].headers["x-line-signature"] as string),
    ).toBe(true);
    const down = await client.testWebhookEndpoint({ endpoint: `http://127.0.0.1:${await closedPort()}/webhook` });
    expect(down).toMatchObject({ success: false, statusCode: 0, reason: "COULD_NOT_CONNECT" });
    const invalid = await sdkError(client.setWebhookEndpoint({ endpoint: "ftp://example.com/hook" }));
    expect(invalid.body).toMatchObject({ details: [{ property: "endpoint" }] });
  });
});

describe("LINE emulator: rich menus", () => {
  const menu = (overrides: Record<string, unknown> = {}): messagingApi.RichMenuRequest => ({
    size: { width: 2500, height: 843 },
    selected: true,
    name: "架空市メニュー",
    chatBarText: "メニュー",
    areas: [
      {
        bounds: { x: 0, y: 0, width: 1250, height: 843 },
        action: { type: "uri", uri: "https://liff.line.me/2000000002-abcdEFGH" },
      },
      { bounds: { x: 1250, y: 0, width: 1250, height: 843 }, action: { type: "postback", data: "menu=news" } },
    ],
    ...overrides,
  });

  it("creates, uploads the image once, sets it as default and serves it back", async () => {
    const image = png(2500, 843);
    const { richMenuId } = await client.createRichMenu(menu());
    expect(richMenuId).toMatch(/^richmenu-[0-9a-f]{32}$/);
    expect(await client.getRichMenu(richMenuId)).toMatchObject({
      richMenuId,
      name: "架空市メニュー",
      chatBarText: "メニュー",
    });
    expect((await client.getRichMenuList()).richmenus.map((m) => m.richMenuId)).toEqual([richMenuId]);
    const noImage = await sdkError(client.setDefaultRichMenu(richMenuId));
    expect(noImage).toMatchObject({
      status: 400,
      body: { message: "must upload richmenu image before applying it to user" },
    });
    expect((await sdkError(client.getDefaultRichMenuId())).status).toBe(404);

    await blob.setRichMenuImage(richMenuId, new Blob([new Uint8Array(image)], { type: "image/png" }));
    const second = await sdkError(
      blob.setRichMenuImage(richMenuId, new Blob([new Uint8Array(image)], { type: "image/png" })),
    );
    expect(second.status).toBe(400);
    await client.setDefaultRichMenu(richMenuId);
    expect(await client.getDefaultRichMenuId()).toEqual({ richMenuId });
    const chunks: Buffer[] = [];
    for await (const chunk of await blob.getRichMenuImage(richMenuId)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(image)).toBe(true);

    const user = await newUser();
    type View = { richMenuId: string | null; richMenu: { name: string } | null; imageUrl: string | null };
    const seen = await control<View>("GET", `/__emulator/users/${user}/richmenu?channelId=${CHANNEL.channelId}`);
    expect(seen.body).toMatchObject({
      richMenuId,
      richMenu: { name: "架空市メニュー" },
      imageUrl: `/__emulator/richmenus/${richMenuId}/image`,
    });
    const served = await fetch(`${emulator.url}${seen.body.imageUrl}`);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await served.arrayBuffer()).equals(image)).toBe(true);

    // A per-user link wins over the default; unlinking falls back to it; deleting the menu clears both.
    const { richMenuId: personal } = await client.createRichMenu(menu({ name: "個別" }));
    await blob.setRichMenuImage(personal, new Blob([new Uint8Array(image)], { type: "image/png" }));
    await client.linkRichMenuIdToUser(user, personal);
    expect(await client.getRichMenuIdOfUser(user)).toEqual({ richMenuId: personal });
    expect(
      (await control<View>("GET", `/__emulator/users/${user}/richmenu?channelId=${CHANNEL.channelId}`)).body.richMenuId,
    ).toBe(personal);
    await client.unlinkRichMenuIdFromUser(user);
    expect((await sdkError(client.getRichMenuIdOfUser(user))).status).toBe(404);
    await client.deleteRichMenu(richMenuId);
    expect(
      (await control<View>("GET", `/__emulator/users/${user}/richmenu?channelId=${CHANNEL.channelId}`)).body,
    ).toEqual({ richMenuId: null, richMenu: null, imageUrl: null });
  });

  it("validates rich menu objects and images", async () => {
    const wide = await sdkError(client.validateRichMenuObject(menu({ size: { width: 2600, height: 843 } })));
    expect(wide.body).toEqual({
      message: "The request body has 1 error(s)",
      details: [{ message: "width must be between 800 and 2500", property: "size.width" }],
    });
    const tall = await sdkError(client.createRichMenu(menu({ size: { width: 1200, height: 1000 }, areas: [] })));
    expect(tall.body).toMatchObject({
      details: [{ message: "aspect ratio (width / height) must be 1.45 or more", property: "size" }],
    });
    const outside = await sdkError(client.createRichMenu(menu({ size: { width: 2500, height: 400 } })));
    expect(outside.body).toMatchObject({ details: [{ property: "areas[0].bounds" }, { property: "areas[1].bounds" }] });
    const areas = Array.from({ length: 21 }, () => ({
      bounds: { x: 0, y: 0, width: 10, height: 10 },
      action: { type: "postback", data: "x" },
    }));
    expect((await sdkError(client.createRichMenu(menu({ areas })))).body).toMatchObject({
      details: [{ property: "areas" }],
    });
    const chatBar = await sdkError(client.createRichMenu(menu({ chatBarText: "十五文字のチャットバーテキストです" })));
    expect(chatBar.body).toMatchObject({
      details: [{ message: "Length must be between 0 and 14", property: "chatBarText" }],
    });
    const badAction = await sdkError(
      client.createRichMenu(
        menu({ areas: [{ bounds: { x: 0, y: 0, width: 10, height: 10 }, action: { type: "teleport" } }] }),
      ),
    );
    expect(badAction.body).toMatchObject({ details: [{ property: "areas[0].action.type" }] });
    await client.validateRichMenuObject(menu());
    const { richMenuId } = await client.createRichMenu(menu());
    const notPng = await sdkError(blob.setRichMenuImage(richMenuId, new Blob(["not an image"], { type: "image/png" })));
    expect(notPng.status).toBe(400);
    const huge = Buffer.concat([png(2500, 843), Buffer.alloc(1024 * 1024)]);
    expect(
      (await sdkError(blob.setRichMenuImage(richMenuId, new Blob([new Uint8Array(huge)], { type: "image/png" }))))
        .status,
    ).toBe(413);
    expect((await sdkError(client.getRichMenu("richmenu-00000000000000000000000000000000"))).status).toBe(404);
  });
});

describe("LINE emulator: LINE Login tokens", () => {
  type Issued = { idToken: string; accessToken: string };
  const issue = async (extra: Record<string, unknown> = {}) =>
    (await control<Issued>("POST", "/__emulator/id-tokens", { channelId: CHANNEL.channelId, userId: USER, ...extra }))
      .body;
  const verify = async (idToken: string, clientId = CHANNEL.loginChannelId) => {
    const res = await fetch(`${emulator.url}/oauth2/v2.1/verify`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ id_token: idToken, client_id: clientId }).toString(),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const USER = "U0123456789abcdef0123456789abcdef";

  it("issues HS256 ID tokens that verify, and rejects expired, wrong-audience and garbage tokens", async () => {
    const { idToken } = await issue();
    const [header, payload, signature] = idToken.split(".");
    expect(JSON.parse(Buffer.from(header, "base64url").toString())).toEqual({ typ: "JWT", alg: "HS256" });
    const expectedSig = createHmac("sha256", CHANNEL.loginChannelSecret)
      .update(`${header}.${payload}`)
      .digest("base64url");
    expect(signature).toBe(expectedSig);
    const good = await verify(idToken);
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({
      iss: "https://access.line.me",
      sub: USER,
      aud: CHANNEL.loginChannelId,
      amr: ["linesso"],
    });
    expect(good.body.exp).toBe((good.body.iat as number) + 3600);

    const invalid = (d: string) => ({ status: 400, body: { error: "invalid_request", error_description: d } });
    expect(await verify((await issue({ expiresInSeconds: -60 })).idToken)).toEqual(invalid("IdToken expired."));
    expect(await verify((await issue({ audience: "1999999999" })).idToken)).toEqual(
      invalid("Invalid IdToken Audience."),
    );
    expect(await verify("garbage")).toEqual(invalid("Invalid IdToken."));
    expect(await verify(`${header}.${payload}.${Buffer.from("tampered").toString("base64url")}`)).toEqual(
      invalid("Invalid IdToken."),
    );
  });

  it("verifies channel and login access tokens at GET /oauth2/v2.1/verify", async () => {
    const oauth = new channelAccessToken.ChannelAccessTokenClient({ baseURL: emulator.url });
    expect(await oauth.verifyChannelTokenByJWT(CHANNEL.channelAccessToken)).toMatchObject({
      client_id: CHANNEL.channelId,
    });
    const { accessToken } = await issue();
    const login = await oauth.verifyChannelTokenByJWT(accessToken);
    expect(login).toMatchObject({ client_id: CHANNEL.loginChannelId, scope: "profile openid" });
    expect(login.expires_in).toBeGreaterThan(3500);
    const expired = await sdkError(oauth.verifyChannelTokenByJWT("unknown-token"));
    expect(expired).toEqual({
      status: 400,
      headers: expect.anything(),
      body: { error: "invalid_request", error_description: "The access token expired" },
    });
  });
});
