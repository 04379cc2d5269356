import {
  badRequest,
  HttpError,
  isRecord,
  jsonObject,
  line,
  notFound,
  ok,
  validationError,
  type Ctx,
  type ErrorDetail,
  type Route,
} from "./http";
import { isUserId, newRichMenuId } from "./ids";
import type { Channel, RichMenu } from "./state";
import { validateAction } from "./validation";

/**
 * Rich menus: create/validate/list/get/delete, the image on api-data.line.me (one upload per menu, as
 * LINE allows), the default menu and per-user links. A menu without an image cannot be applied.
 */

const MAX_IMAGE_BYTES = 1024 * 1024;
const MAX_MENUS_PER_CHANNEL = 1000;
const NO_IMAGE = "must upload richmenu image before applying it to user";

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

/** The size rules LINE applies to both the rich menu object and its image. */
function sizeProblems(width: number, height: number, property: string): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  if (width < 800 || width > 2500)
    out.push({ message: "width must be between 800 and 2500", property: `${property}.width` });
  if (height < 250) out.push({ message: "height must be 250 or more", property: `${property}.height` });
  if (height > 0 && width / height < 1.45)
    out.push({ message: "aspect ratio (width / height) must be 1.45 or more", property });
  return out;
}

export function validateRichMenu(body: Record<string, unknown>): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const size = body.size;
  if (!isRecord(size) || !isInt(size.width) || !isInt(size.height)) {
    errors.push({ message: "must be specified (integer width and height)", property: "size" });
  } else {
    errors.push(...sizeProblems(size.width, size.height, "size"));
  }
  if (typeof body.selected !== "boolean") errors.push({ message: "must be specified", property: "selected" });
  for (const [key, max] of [
    ["name", 300],
    ["chatBarText", 14],
  ] as const) {
    const v = body[key];
    if (typeof v !== "string" || v.length === 0) errors.push({ message: "must be specified", property: key });
    else if (v.length > max) errors.push({ message: `Length must be between 0 and ${max}`, property: key });
  }
  if (!Array.isArray(body.areas)) {
    errors.push({ message: "must be specified", property: "areas" });
    return errors;
  }
  if (body.areas.length > 20) errors.push({ message: "Size must be between 0 and 20", property: "areas" });
  body.areas.forEach((area, i) => {
    const p = `areas[${i}]`;
    if (!isRecord(area)) return errors.push({ message: "must be specified", property: p });
    const b = area.bounds;
    if (
      !isRecord(b) ||
      !isInt(b.x) ||
      !isInt(b.y) ||
      !isInt(b.width) ||
      !isInt(b.height) ||
      b.x < 0 ||
      b.y < 0 ||
      b.width < 1 ||
      b.height < 1
    ) {
      errors.push({ message: "must be specified (integer x, y >= 0 and width, height >= 1)", property: `${p}.bounds` });
    } else if (
      isRecord(size) &&
      isInt(size.width) &&
      isInt(size.height) &&
      (b.x + b.width > size.width || b.y + b.height > size.height)
    ) {
      errors.push({ message: "bounds must be within the rich menu size", property: `${p}.bounds` });
    }
    validateAction(errors, area.action, `${p}.action`, { labelRequired: false });
  });
  return errors;
}

/** Width and height from a PNG IHDR or a JPEG SOF segment; undefined when the bytes are not one. */
export function imageSize(data: Buffer, contentType: string): { width: number; height: number } | undefined {
  if (contentType === "image/png") {
    const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    if (data.length < 24 || !data.subarray(0, 8).equals(sig) || data.toString("latin1", 12, 16) !== "IHDR")
      return undefined;
    return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  }
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 9 < data.length) {
    if (data[i] !== 0xff) return undefined;
    const marker = data[i + 1];
    const len = data.readUInt16BE(i + 2);
    // SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: data.readUInt16BE(i + 5), width: data.readUInt16BE(i + 7) };
    }
    i += 2 + len;
  }
  return undefined;
}

function menuOf(ctx: Ctx, channel: Channel, id = ctx.params.richMenuId): RichMenu {
  const menu = ctx.state.richMenus.get(id);
  if (!menu || menu.channelId !== channel.channelId) throw notFound();
  return menu;
}

export const richMenuView = (m: RichMenu) => ({ richMenuId: m.richMenuId, ...m.definition });

function create(ctx: Ctx, channel: Channel) {
  const body = jsonObject(ctx);
  const errors = validateRichMenu(body);
  if (errors.length) throw validationError(errors);
  const count = [...ctx.state.richMenus.values()].filter((m) => m.channelId === channel.channelId).length;
  if (count >= MAX_MENUS_PER_CHANNEL) throw badRequest("The number of rich menus has reached the upper limit");
  const { size, selected, name, chatBarText, areas } = body;
  const richMenuId = newRichMenuId();
  ctx.state.richMenus.set(richMenuId, {
    channelId: channel.channelId,
    richMenuId,
    definition: { size, selected, name, chatBarText, areas },
  });
  return ok({ richMenuId });
}

function upload(ctx: Ctx, channel: Channel) {
  const menu = menuOf(ctx, channel);
  const contentType = String(ctx.req.headers["content-type"] ?? "")
    .split(";")[0]
    .trim()
    .toLowerCase();
  if (contentType !== "image/png" && contentType !== "image/jpeg") {
    throw new HttpError(415, { message: "Content-Type must be image/png or image/jpeg" });
  }
  if (ctx.body.length > MAX_IMAGE_BYTES) throw new HttpError(413, { message: "The image must be 1 MB or smaller" });
  if (menu.image) throw badRequest("An image has already been uploaded to the richmenu");
  const dims = imageSize(ctx.body, contentType);
  if (!dims) throw badRequest(`The body is not a valid ${contentType === "image/png" ? "PNG" : "JPEG"} image`);
  const problems = sizeProblems(dims.width, dims.height, "image");
  if (problems.length) throw badRequest(`Invalid image size ${dims.width}x${dims.height}: ${problems[0].message}`);
  menu.image = { contentType, data: Buffer.from(ctx.body) };
  return ok({});
}

function download(ctx: Ctx, channel: Channel) {
  const menu = menuOf(ctx, channel);
  if (!menu.image) throw notFound();
  return { status: 200, raw: menu.image.data, contentType: menu.image.contentType };
}

function remove(ctx: Ctx, channel: Channel) {
  const menu = menuOf(ctx, channel);
  const { state } = ctx;
  state.richMenus.delete(menu.richMenuId);
  // Deleting a menu also detaches it everywhere it was applied, as on LINE.
  if (state.defaultRichMenu.get(channel.channelId) === menu.richMenuId) state.defaultRichMenu.delete(channel.channelId);
  for (const [k, v] of state.userRichMenu) if (v === menu.richMenuId) state.userRichMenu.delete(k);
  return ok({});
}

function userIdParam(ctx: Ctx): string {
  if (!isUserId(ctx.params.userId)) throw badRequest("The value for the 'userId' parameter is invalid");
  return ctx.params.userId;
}

export const richMenuRoutes: Route[] = [
  line("POST", "/v2/bot/richmenu", "other", create),
  line("POST", "/v2/bot/richmenu/validate", "other", (ctx) => {
    const errors = validateRichMenu(jsonObject(ctx));
    if (errors.length) throw validationError(errors);
    return ok({});
  }),
  line("GET", "/v2/bot/richmenu/list", "other", (ctx, channel) =>
    ok({
      richmenus: [...ctx.state.richMenus.values()].filter((m) => m.channelId === channel.channelId).map(richMenuView),
    }),
  ),
  line("GET", "/v2/bot/richmenu/:richMenuId", "other", (ctx, channel) => ok(richMenuView(menuOf(ctx, channel)))),
  line("DELETE", "/v2/bot/richmenu/:richMenuId", "other", remove),
  line("POST", "/v2/bot/richmenu/:richMenuId/content", "other", upload),
  line("GET", "/v2/bot/richmenu/:richMenuId/content", "other", download),
  line("POST", "/v2/bot/user/all/richmenu/:richMenuId", "other", (ctx, channel) => {
    const menu = menuOf(ctx, channel);
    if (!menu.image) throw badRequest(NO_IMAGE);
    ctx.state.defaultRichMenu.set(channel.channelId, menu.richMenuId);
    return ok({});
  }),
  line("GET", "/v2/bot/user/all/richmenu", "other", (ctx, channel) => {
    const id = ctx.state.defaultRichMenu.get(channel.channelId);
    if (!id) throw notFound("no default richmenu");
    return ok({ richMenuId: id });
  }),
  line("DELETE", "/v2/bot/user/all/richmenu", "other", (ctx, channel) => {
    ctx.state.defaultRichMenu.delete(channel.channelId);
    return ok({});
  }),
  line("POST", "/v2/bot/user/:userId/richmenu/:richMenuId", "other", (ctx, channel) => {
    const userId = userIdParam(ctx);
    const menu = menuOf(ctx, channel);
    if (!menu.image) throw badRequest(NO_IMAGE);
    ctx.state.userRichMenu.set(`${channel.channelId}\n${userId}`, menu.richMenuId);
    return ok({});
  }),
  line("GET", "/v2/bot/user/:userId/richmenu", "other", (ctx, channel) => {
    const id = ctx.state.userRichMenu.get(`${channel.channelId}\n${userIdParam(ctx)}`);
    if (!id) throw notFound("the user has no richmenu");
    return ok({ richMenuId: id });
  }),
  line("DELETE", "/v2/bot/user/:userId/richmenu", "other", (ctx, channel) => {
    ctx.state.userRichMenu.delete(`${channel.channelId}\n${userIdParam(ctx)}`);
    return ok({});
  }),
];
