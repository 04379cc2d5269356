import { createHmac } from "node:crypto";
import { expect, test } from "@playwright/test";
import { DEMO_LINE_CHANNELS } from "../../db/seed";
import { BASE_URL } from "./support";

// Against the running demo stack (production build): each city's webhook URL accepts only its own
// channel's signature. The tenant ids come from the emulator, which the demo registered with each
// city's webhook URL.
const LINE_EMULATOR = `http://127.0.0.1:${process.env.E2E_LINE_PORT ?? "3311"}`;

async function webhookUrlOf(channelId: string) {
  const res = await fetch(`${LINE_EMULATOR}/__emulator/channels`);
  const list = (await res.json()) as
    { channels?: { channelId: string; webhookUrl?: string }[] } | { channelId: string; webhookUrl?: string }[];
  const channels = Array.isArray(list) ? list : (list.channels ?? []);
  const url = channels.find((c) => c.channelId === channelId)?.webhookUrl;
  if (!url) throw new Error(`no webhook URL registered for channel ${channelId}`);
  return new URL(url).pathname;
}

const sign = (secret: string, body: string) => createHmac("sha256", secret).update(body).digest("base64");

test("a city's webhook accepts its own signature and refuses another city's", async ({ request }) => {
  const kinokawa = DEMO_LINE_CHANNELS["kinokawa-demo"];
  const minato = DEMO_LINE_CHANNELS["minato-demo"];
  const minatoPath = await webhookUrlOf(minato.channelId);
  const body = JSON.stringify({ destination: minato.botUserId, events: [] });

  const foreign = await request.post(`${BASE_URL}${minatoPath}`, {
    headers: { "content-type": "application/json", "x-line-signature": sign(kinokawa.channelSecret, body) },
    data: body,
  });
  expect(foreign.status()).toBe(401);

  const own = await request.post(`${BASE_URL}${minatoPath}`, {
    headers: { "content-type": "application/json", "x-line-signature": sign(minato.channelSecret, body) },
    data: body,
  });
  expect(own.status()).toBe(200);

  const unsigned = await request.post(`${BASE_URL}${minatoPath}`, {
    headers: { "content-type": "application/json" },
    data: body,
  });
  expect(unsigned.status()).toBe(401);
});
