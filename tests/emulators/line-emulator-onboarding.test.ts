import { channelAccessToken, liff, validateSignature } from "@line/bot-sdk";
import { describe, expect, it } from "vitest";
import {
  CHANNEL,
  client,
  control,
  emulator,
  received,
  receiverUrl,
  sdkError,
  setReceiverStatus,
  startEmulatorHarness,
} from "./support";

/**
 * What the vendor's onboarding wizard asks of LINE: set and test the webhook endpoint (the test is a
 * real signed request to the app, and its failures are reported as LINE reports them), read the
 * "Use webhook" switch, and find the city's LIFF app with its endpoint URL.
 */
startEmulatorHarness();

const liffClient = (token: string) => new liff.LiffClient({ channelAccessToken: token, baseURL: emulator.url });
const tokenClient = () => new channelAccessToken.ChannelAccessTokenClient({ baseURL: emulator.url });
/** A stateless token of the LINE Login channel, as LINE's LIFF server API requires. */
const loginToken = async () =>
  (await tokenClient().issueStatelessChannelTokenByClientSecret(CHANNEL.loginChannelId, CHANNEL.loginChannelSecret))
    .access_token;

describe("LINE emulator: webhook test as the onboarding wizard uses it", () => {
  it("signs the test request with the channel secret, with no events, and reports the app's refusal as ERROR_STATUS_CODE", async () => {
    await client.setWebhookEndpoint({ endpoint: receiverUrl });
    setReceiverStatus(401);
    const refused = await client.testWebhookEndpoint({});
    expect(refused).toMatchObject({
      success: false,
      statusCode: 401,
      reason: "ERROR_STATUS_CODE",
      detail: "401 Unauthorized",
    });
    expect(received).toHaveLength(1);
    expect(received[0].body.events).toEqual([]);
    expect(received[0].headers["user-agent"]).toBe("LineBotWebhook/2.0");
    expect(
      validateSignature(received[0].raw, CHANNEL.channelSecret, received[0].headers["x-line-signature"] as string),
    ).toBe(true);
    // A signature made with another secret does not validate: the app can tell a wrong secret.
    expect(
      validateSignature(received[0].raw, "another-secret", received[0].headers["x-line-signature"] as string),
    ).toBe(false);

    // Only 200 counts as success, as on LINE (a 204 is an error status too).
    setReceiverStatus(204);
    expect(await client.testWebhookEndpoint({})).toMatchObject({
      success: false,
      statusCode: 204,
      reason: "ERROR_STATUS_CODE",
    });
    setReceiverStatus(200);
    expect(await client.testWebhookEndpoint({})).toMatchObject({ success: true, statusCode: 200, reason: "OK" });
  });

  it("refuses a test without any endpoint, and reports the Use-webhook switch", async () => {
    await control("POST", "/__emulator/channels", { ...CHANNEL, webhookUrl: null });
    const none = await sdkError(client.testWebhookEndpoint({}));
    expect(none.status).toBe(400);
    expect(await client.getWebhookEndpoint()).toEqual({ endpoint: "", active: false });

    await control("POST", "/__emulator/channels", { ...CHANNEL, webhookActive: false });
    await client.setWebhookEndpoint({ endpoint: receiverUrl });
    expect(await client.getWebhookEndpoint()).toEqual({ endpoint: receiverUrl, active: false });
    const bad = await control<{ message: string }>("POST", "/__emulator/channels", {
      ...CHANNEL,
      webhookActive: "yes",
    });
    expect(bad.status).toBe(400);
    await control("POST", "/__emulator/channels", { ...CHANNEL, webhookActive: true });
    expect(await client.getWebhookEndpoint()).toEqual({ endpoint: receiverUrl, active: true });
  });

  it("answers 401 to the webhook calls with an unknown token", async () => {
    const other = new (await import("@line/bot-sdk")).messagingApi.MessagingApiClient({
      channelAccessToken: "not-a-token",
      baseURL: emulator.url,
    });
    const e = await sdkError(other.testWebhookEndpoint({}));
    expect(e.status).toBe(401);
  });
});

describe("LINE emulator: LIFF server API", () => {
  it("issues a 15-minute token to the LINE Login channel with its id and secret, and refuses a wrong secret or id as LINE does", async () => {
    const issued = await tokenClient().issueStatelessChannelTokenByClientSecret(
      CHANNEL.loginChannelId,
      CHANNEL.loginChannelSecret,
    );
    expect(issued).toMatchObject({ token_type: "Bearer", expires_in: 899 });
    expect(issued.access_token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const wrongSecret = await sdkError(
      tokenClient().issueStatelessChannelTokenByClientSecret(CHANNEL.loginChannelId, "wrong-secret"),
    );
    expect(wrongSecret.status).toBe(400);
    expect(wrongSecret.body).toEqual({ error: "invalid_client", error_description: "invalid client_secret" });
    // The Messaging API channel's secret is not the login channel's.
    expect(
      (
        await sdkError(
          tokenClient().issueStatelessChannelTokenByClientSecret(CHANNEL.loginChannelId, CHANNEL.channelSecret),
        )
      ).status,
    ).toBe(400);
    const unknown = await sdkError(
      tokenClient().issueStatelessChannelTokenByClientSecret("1999999999", CHANNEL.loginChannelSecret),
    );
    expect(unknown.body).toMatchObject({ error: "invalid_client" });
    const noGrant = await fetch(`${emulator.url}/oauth2/v3/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "client_id=1&client_secret=2",
    });
    expect(noGrant.status).toBe(400);
  });

  it("lists the channel's LIFF app with its endpoint URL, for a login channel token only", async () => {
    await control("POST", "/__emulator/channels", {
      ...CHANNEL,
      liffEndpointUrl: "https://madoguchi.example.jp/c/kasou",
    });
    // On LINE the Messaging API channel's token is refused: the LIFF app belongs to the login channel.
    expect((await sdkError(liffClient(CHANNEL.channelAccessToken).getAllLIFFApps())).status).toBe(401);
    const { apps } = await liffClient(await loginToken()).getAllLIFFApps();
    expect(apps).toHaveLength(1);
    expect(apps![0]).toMatchObject({
      liffId: CHANNEL.liffId,
      view: { type: "full", url: "https://madoguchi.example.jp/c/kasou" },
      permanentLinkPattern: "concat",
    });
  });

  it("answers 404 when the channel has no LIFF app, 401 for an unknown token, and refuses a bad endpoint URL", async () => {
    await control("POST", "/__emulator/reset");
    const { liffId: _l, ...withoutLiff } = CHANNEL;
    await control("POST", "/__emulator/channels", withoutLiff);
    expect((await sdkError(liffClient(await loginToken()).getAllLIFFApps())).status).toBe(404);
    expect((await sdkError(liffClient("nobody").getAllLIFFApps())).status).toBe(401);
    const bad = await control("POST", "/__emulator/channels", { ...CHANNEL, liffEndpointUrl: "javascript:alert(1)" });
    expect(bad.status).toBe(400);
  });
});
