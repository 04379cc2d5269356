import { describe, expect, it } from "vitest";
import { client, control, sdkError, startEmulatorHarness, userActs } from "./support";

/** The LINE emulator's profile API: friends only, and the language of the user's LINE app (issue 15). */
startEmulatorHarness();

describe("LINE emulator: GET /v2/bot/profile/{userId}", () => {
  it("returns the language set at user creation (default ja), only for friends", async () => {
    const en = (await control<{ userId: string }>("POST", "/__emulator/users", { language: "en" })).body.userId;
    const plain = (await control<{ userId: string }>("POST", "/__emulator/users", {})).body.userId;
    const none = (await control<{ userId: string }>("POST", "/__emulator/users", { language: "" })).body.userId;
    // Not a friend yet: 404, as LINE answers.
    expect((await sdkError(client.getProfile(en))).status).toBe(404);
    for (const u of [en, plain, none]) await userActs(u, [{ type: "follow" }]);
    expect(await client.getProfile(en)).toMatchObject({ userId: en, language: "en" });
    expect(await client.getProfile(plain)).toMatchObject({ language: "ja" });
    expect((await client.getProfile(none)).language).toBeUndefined();
    // A blocked friend has no profile for the channel either.
    await userActs(en, [{ type: "unfollow" }]);
    expect((await sdkError(client.getProfile(en))).status).toBe(404);
  });

  it("refuses a language that is not a language tag", async () => {
    expect((await control("POST", "/__emulator/users", { language: "<script>" })).status).toBe(400);
  });
});
