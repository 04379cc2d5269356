import type { ConversationContext, Dialog, DialogStep, Incoming, Responder } from "~/lib/conversation";
import { t } from "~/lib/i18n";
import { formatTokyo } from "~/lib/japan-time";
import {
  cameraAction,
  cameraRollAction,
  locationAction,
  postbackAction,
  textMessage,
  type Message,
} from "~/lib/line-messages";
import { EMERGENCY_CATEGORY, insideBounds, isState, type Point } from "./categories";
import { discardPendingPhotos, storePhoto } from "./photo-store.server";
import { MAX_PHOTO_BYTES, processPhoto } from "./photos.server";
import { createReport, followReport, friendReports, nearbyOpenReports, reportSettingsOf } from "./reports.server";

/**
 * 通報 in LINE (issue 17): a dialog on the conversation engine (ADR 047).
 *
 *   category → photos (up to 3, or 「写真なし」) → place (location, or a landmark in words)
 *   → short description → (same place? follow instead) → confirm → 受付番号
 *
 * Photos are fetched, checked and re-encoded as they arrive and kept as pending rows (their ids in
 * the state), attached to the report on confirm and deleted on 「やめる」 or a follow.
 */
export const REPORT_DIALOG = "report";
const MAX_PHOTOS = 3;
const MAX_DESCRIPTION = 500;
const MAX_LANDMARK = 200;

type Step = "category" | "photo" | "place" | "description" | "confirm";
export type ReportState = {
  step: Step;
  category?: string;
  photoIds: string[];
  gps?: Point | null;
  point?: Point | null;
  landmark?: string | null;
  description?: string;
};

const P = "report=";
const data = (s: string) => `${P}${s}`;
const tr = (ctx: ConversationContext, key: string, vars?: Record<string, string | number>) =>
  t(ctx.lang, `reports:${key}`, vars);

async function categoryStep(ctx: ConversationContext, intro?: string): Promise<DialogStep<ReportState>> {
  const { categories } = await reportSettingsOf(ctx.tx, ctx.city.tenantId);
  // Quick replies hold 13 buttons: the first 13 categories (cities keep their lists short).
  const buttons = categories.slice(0, 13).map((c, i) => postbackAction(c, data(`cat:${i}`), c));
  const msgs = [textMessage(tr(ctx, "ask.category"), buttons)];
  return { messages: intro ? [textMessage(intro), ...msgs] : msgs, state: { step: "category", photoIds: [] } };
}

const photoButtons = (ctx: ConversationContext, some: boolean) => [
  cameraAction(tr(ctx, "button.camera")),
  cameraRollAction(tr(ctx, "button.cameraRoll")),
  postbackAction(
    some ? tr(ctx, "button.next") : tr(ctx, "button.noPhoto"),
    data("nophoto"),
    some ? tr(ctx, "button.next") : tr(ctx, "button.noPhoto"),
  ),
];

function placeStep(ctx: ConversationContext, state: ReportState, intro: Message[] = []): DialogStep<ReportState> {
  const buttons = [locationAction(tr(ctx, "button.location"))];
  if (state.gps) buttons.push(postbackAction(tr(ctx, "button.photoPlace"), data("gps"), tr(ctx, "button.photoPlace")));
  return { messages: [...intro, textMessage(tr(ctx, "ask.place"), buttons)], state: { ...state, step: "place" } };
}

function emergencyText(ctx: ConversationContext): string {
  const c = ctx.city.contact;
  const number = c?.disasterPhone ?? c?.phones[0]?.number ?? null;
  return number ? tr(ctx, "emergency.call", { number }) : tr(ctx, "emergency.noNumber");
}

async function takePhoto(
  input: Extract<Incoming, { kind: "image" }>,
  state: ReportState,
  ctx: ConversationContext,
): Promise<DialogStep<ReportState>> {
  const again = (key: string) => ({
    messages: [textMessage(tr(ctx, key), photoButtons(ctx, state.photoIds.length > 0))],
    state,
  });
  if (!ctx.fetchContent) return again("photo.unavailable");
  const content = await ctx.fetchContent(input.messageId, MAX_PHOTO_BYTES);
  if (!content) return again("photo.unavailable");
  if (content.tooLarge) return again("photo.tooLarge");
  const result = await processPhoto(content.bytes);
  if (!result.ok) return again(result.problem === "not-image" ? "photo.notImage" : "photo.unreadable");
  const stored = await storePhoto(ctx.tx, ctx.city.tenantId, result.photo, { lineUserId: ctx.lineUserId });
  const next: ReportState = {
    ...state,
    photoIds: [...state.photoIds, stored.id],
    gps: state.gps ?? result.photo.gps,
  };
  if (next.photoIds.length >= MAX_PHOTOS)
    return placeStep(ctx, next, [textMessage(tr(ctx, "photo.full", { max: MAX_PHOTOS }))]);
  return {
    messages: [
      textMessage(tr(ctx, "photo.received", { n: next.photoIds.length, max: MAX_PHOTOS }), photoButtons(ctx, true)),
    ],
    state: { ...next, step: "photo" },
  };
}

async function setPoint(point: Point, state: ReportState, ctx: ConversationContext): Promise<DialogStep<ReportState>> {
  const { bounds } = await reportSettingsOf(ctx.tx, ctx.city.tenantId);
  if (!insideBounds(point, bounds))
    return placeStep(ctx, state, [textMessage(tr(ctx, "place.outside", { city: ctx.city.name }))]);
  return askDescription(ctx, { ...state, point, landmark: state.landmark ?? null });
}

function askDescription(ctx: ConversationContext, state: ReportState): DialogStep<ReportState> {
  const skip = tr(ctx, "button.noDescription");
  return {
    messages: [textMessage(tr(ctx, "ask.description"), [postbackAction(skip, data("nodesc"), skip)])],
    state: { ...state, step: "description" },
  };
}

async function confirmStep(ctx: ConversationContext, state: ReportState): Promise<DialogStep<ReportState>> {
  const messages: Message[] = [];
  if (state.point && state.category) {
    const near = await nearbyOpenReports(ctx.tx, ctx.city.tenantId, state.category, state.point);
    if (near.length) {
      const lines = near.map((r) =>
        tr(ctx, "nearby.item", {
          number: r.number,
          state: isState(r.state) ? tr(ctx, `state.${r.state}`) : r.state,
          date: formatTokyo(r.createdAt, "yyyy/MM/dd"),
        }),
      );
      messages.push(
        textMessage(
          `${tr(ctx, "nearby.found")}\n${lines.join("\n")}`,
          near.map((r) => postbackAction(tr(ctx, "button.follow"), data(`follow:${r.id}`), tr(ctx, "button.follow"))),
        ),
      );
    }
  }
  const place = state.point
    ? tr(ctx, "summary.point", { landmark: state.landmark ?? "" })
    : tr(ctx, "summary.landmark", { landmark: state.landmark ?? "" });
  const summary = tr(ctx, "summary.body", {
    category: state.category ?? "",
    photos: state.photoIds.length,
    place,
    description: state.description || tr(ctx, "summary.noDescription"),
  });
  messages.push(
    textMessage(summary, [
      postbackAction(tr(ctx, "button.send"), data("send"), tr(ctx, "button.send")),
      postbackAction(tr(ctx, "button.cancel"), data("cancel"), tr(ctx, "button.cancel")),
    ]),
  );
  return { messages, state: { ...state, step: "confirm" } };
}

async function finish(ctx: ConversationContext, state: ReportState): Promise<DialogStep<ReportState>> {
  const report = await createReport(ctx.tx, ctx.city.tenantId, {
    category: state.category!,
    point: state.point ?? null,
    area: ctx.area,
    landmark: state.landmark ?? null,
    description: state.description ?? "",
    source: "line",
    reporterLineUserId: ctx.lineUserId,
    photoIds: state.photoIds,
  });
  return { messages: [textMessage(tr(ctx, "done", { number: report.number }))], state: null };
}

async function stepReport(input: Incoming, state: ReportState, ctx: ConversationContext) {
  const pb = input.kind === "postback" && input.data.startsWith(P) ? input.data.slice(P.length) : null;
  const text = input.kind === "text" ? input.normalised : null;
  if (pb === "cancel") {
    await discardPendingPhotos(ctx.tx, ctx.city.tenantId, state.photoIds, ctx.lineUserId);
    return { messages: [textMessage(tr(ctx, "cancelled"))], state: null };
  }
  switch (state.step) {
    case "category": {
      const { categories } = await reportSettingsOf(ctx.tx, ctx.city.tenantId);
      const chosen = pb?.startsWith("cat:") ? categories[Number(pb.slice(4))] : categories.find((c) => c === text);
      if (!chosen) return categoryStep(ctx, tr(ctx, "again.category"));
      const ask = textMessage(tr(ctx, "ask.photo", { max: MAX_PHOTOS }), photoButtons(ctx, false));
      const next: ReportState = { ...state, step: "photo", category: chosen };
      // 危険: the number first, at once; the report is still taken (staff see it at the top).
      if (chosen === EMERGENCY_CATEGORY) return { messages: [textMessage(emergencyText(ctx)), ask], state: next };
      return { messages: [ask], state: next };
    }
    case "photo":
      if (input.kind === "image") return takePhoto(input, state, ctx);
      if (pb === "nophoto") return placeStep(ctx, state);
      if (input.kind === "location") return setPoint(input, state, ctx);
      return {
        messages: [textMessage(tr(ctx, "again.photo"), photoButtons(ctx, state.photoIds.length > 0))],
        state,
      };
    case "place":
      if (input.kind === "location") return setPoint(input, { ...state, landmark: input.address ?? null }, ctx);
      if (pb === "gps" && state.gps) return setPoint(state.gps, state, ctx);
      if (text) return askDescription(ctx, { ...state, point: null, landmark: text.slice(0, MAX_LANDMARK) });
      return placeStep(ctx, state, [textMessage(tr(ctx, "again.place"))]);
    case "description":
      if (pb === "nodesc") return confirmStep(ctx, { ...state, description: "" });
      if (text) {
        if (text.length > MAX_DESCRIPTION) return askDescriptionAgain(ctx, state);
        return confirmStep(ctx, { ...state, description: text });
      }
      return askDescription(ctx, state);
    case "confirm":
      if (pb === "send") return finish(ctx, state);
      if (pb?.startsWith("follow:")) {
        const followed = await followReport(ctx.tx, ctx.city.tenantId, pb.slice(7), ctx.lineUserId);
        if (!followed) return confirmStep(ctx, state);
        await discardPendingPhotos(ctx.tx, ctx.city.tenantId, state.photoIds, ctx.lineUserId);
        return { messages: [textMessage(tr(ctx, "followed", { number: followed.number }))], state: null };
      }
      return confirmStep(ctx, state);
  }
}

function askDescriptionAgain(ctx: ConversationContext, state: ReportState): DialogStep<ReportState> {
  const step = askDescription(ctx, state);
  return { ...step, messages: [textMessage(tr(ctx, "again.description", { max: MAX_DESCRIPTION })), ...step.messages] };
}

export const reportDialog: Dialog<ReportState> = {
  name: REPORT_DIALOG,
  // Half an hour: long enough to walk up to the pothole, short enough that tomorrow starts afresh.
  ttlSeconds: 30 * 60,
  start: (ctx) => categoryStep(ctx),
  step: stepReport,
};

const isStart = (s: string) => s === "通報" || s === "通報する" || s === "report" || s === "Report";
const isStatus = (s: string) => s === "通報の状況" || s === "通報状況" || s === "report status";

async function statusReply(ctx: ConversationContext) {
  const rows = await friendReports(ctx.tx, ctx.city.tenantId, ctx.lineUserId);
  if (!rows.length) return { messages: [textMessage(tr(ctx, "status.none"))] };
  const lines = rows.map((r) =>
    tr(ctx, "status.item", {
      number: r.number,
      category: r.category,
      state: isState(r.state) ? tr(ctx, `state.${r.state}`) : r.state,
      date: formatTokyo(r.createdAt, "yyyy/MM/dd"),
    }),
  );
  return { messages: [textMessage(`${tr(ctx, "status.title")}\n\n${lines.join("\n")}`)] };
}

/** 「通報」 (text, or the rich menu's postback `report=start`) starts the dialog; 「通報の状況」 lists. */
export const reportResponder: Responder = {
  name: "reports",
  async respond(input, ctx) {
    const pb = input.kind === "postback" ? input.data : null;
    const text = input.kind === "text" ? input.normalised : null;
    if (pb === data("status") || (text && isStatus(text))) return statusReply(ctx);
    if (pb === data("start") || (text && isStart(text)))
      return { messages: [], startDialog: { dialog: REPORT_DIALOG } };
    return null;
  },
};
