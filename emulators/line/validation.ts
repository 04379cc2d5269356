import { isRecord, type ErrorDetail } from "./http";

/**
 * Message-object validation with LINE's limits (messaging-api.yml plus the documented character
 * limits). It checks what the app could plausibly get wrong — counts, lengths, URL schemes, required
 * fields, action shapes — not every corner of Flex, whose full schema would dwarf the emulator.
 */

type Errors = ErrorDetail[];

const MESSAGE_TYPES = ["text", "sticker", "image", "video", "audio", "location", "imagemap", "template", "flex"];
const ACTION_TYPES = [
  "postback",
  "message",
  "uri",
  "datetimepicker",
  "camera",
  "cameraRoll",
  "location",
  "richmenuswitch",
  "clipboard",
];
const TEMPLATE_TYPES = ["buttons", "confirm", "carousel", "image_carousel"];

const mustBeSpecified = (errors: Errors, property: string): void => {
  errors.push({ message: "must be specified", property });
};

function checkString(errors: Errors, v: unknown, property: string, min: number, max: number, required = true): void {
  if (v === undefined || v === null) {
    if (required) mustBeSpecified(errors, property);
    return;
  }
  if (typeof v !== "string") errors.push({ message: "must be a string", property });
  // LINE counts UTF-16 code units, like String.length. Empty required strings read as "not specified".
  else if (v.length === 0 && min > 0) mustBeSpecified(errors, property);
  else if (v.length < min || v.length > max)
    errors.push({ message: `Length must be between ${min === 1 ? 0 : min} and ${max}`, property });
}

function checkHttpsUrl(errors: Errors, v: unknown, property: string, required = true, max = 2000): void {
  if (v === undefined || v === null) {
    if (required) mustBeSpecified(errors, property);
    return;
  }
  if (typeof v !== "string" || !/^https:\/\/[^\s]+$/.test(v))
    errors.push({ message: "must be a valid HTTPS URL", property });
  else if (v.length > max) errors.push({ message: `Length must be between 0 and ${max}`, property });
}

function checkArray(errors: Errors, v: unknown, property: string, min: number, max: number): v is unknown[] {
  if (v === undefined || v === null) {
    mustBeSpecified(errors, property);
    return false;
  }
  if (!Array.isArray(v)) {
    errors.push({ message: "must be an array", property });
    return false;
  }
  if (v.length < min || v.length > max) {
    errors.push({ message: `Size must be between ${min} and ${max}`, property });
    return false;
  }
  return true;
}

/** Action objects, shared by quick replies, templates, imagemaps and rich menus. */
export function validateAction(errors: Errors, action: unknown, path: string, opts: { labelRequired: boolean }): void {
  if (!isRecord(action)) {
    mustBeSpecified(errors, path);
    return;
  }
  if (typeof action.type !== "string" || !ACTION_TYPES.includes(action.type)) {
    errors.push({ message: "invalid action type", property: `${path}.type` });
    return;
  }
  checkString(errors, action.label, `${path}.label`, 1, 20, opts.labelRequired);
  switch (action.type) {
    case "postback":
      checkString(errors, action.data, `${path}.data`, 1, 300);
      checkString(errors, action.displayText, `${path}.displayText`, 1, 300, false);
      break;
    case "message":
      checkString(errors, action.text, `${path}.text`, 1, 300);
      break;
    case "uri":
      if (typeof action.uri !== "string" || !/^(https?|line|tel):[^\s]+$/.test(action.uri)) {
        errors.push({ message: "must be a valid URI (http, https, line or tel)", property: `${path}.uri` });
      } else if (action.uri.length > 1000) {
        errors.push({ message: "Length must be between 0 and 1000", property: `${path}.uri` });
      }
      break;
    case "datetimepicker":
      checkString(errors, action.data, `${path}.data`, 1, 300);
      if (!["date", "time", "datetime"].includes(String(action.mode))) {
        errors.push({ message: "must be one of [date, time, datetime]", property: `${path}.mode` });
      }
      break;
    case "richmenuswitch":
      checkString(errors, action.richMenuAliasId, `${path}.richMenuAliasId`, 1, 32);
      checkString(errors, action.data, `${path}.data`, 1, 300);
      break;
    case "clipboard":
      checkString(errors, action.clipboardText, `${path}.clipboardText`, 1, 1000);
      break;
  }
}

function validateQuickReply(errors: Errors, qr: unknown, path: string): void {
  if (qr === undefined) return;
  if (!isRecord(qr)) {
    errors.push({ message: "must be an object", property: path });
    return;
  }
  if (!checkArray(errors, qr.items, `${path}.items`, 1, 13)) return;
  qr.items.forEach((item, i) => {
    const p = `${path}.items[${i}]`;
    if (!isRecord(item)) return mustBeSpecified(errors, p);
    if (item.type !== "action") errors.push({ message: "must be 'action'", property: `${p}.type` });
    checkHttpsUrl(errors, item.imageUrl, `${p}.imageUrl`, false, 2000);
    validateAction(errors, item.action, `${p}.action`, { labelRequired: true });
  });
}

function validateTemplate(errors: Errors, t: unknown, path: string): void {
  if (!isRecord(t)) return mustBeSpecified(errors, path);
  if (typeof t.type !== "string" || !TEMPLATE_TYPES.includes(t.type)) {
    errors.push({ message: `must be one of [${TEMPLATE_TYPES.join(", ")}]`, property: `${path}.type` });
    return;
  }
  const actions = (v: unknown, p: string, min: number, max: number) => {
    if (checkArray(errors, v, p, min, max))
      v.forEach((a, i) => validateAction(errors, a, `${p}[${i}]`, { labelRequired: true }));
  };
  if (t.type === "buttons") {
    // 160 characters, or 60 when an image or title is shown (LINE's buttons template limits).
    checkString(errors, t.text, `${path}.text`, 1, t.thumbnailImageUrl || t.title ? 60 : 160);
    checkString(errors, t.title, `${path}.title`, 1, 40, false);
    checkHttpsUrl(errors, t.thumbnailImageUrl, `${path}.thumbnailImageUrl`, false);
    actions(t.actions, `${path}.actions`, 1, 4);
  } else if (t.type === "confirm") {
    checkString(errors, t.text, `${path}.text`, 1, 240);
    actions(t.actions, `${path}.actions`, 2, 2);
  } else if (checkArray(errors, t.columns, `${path}.columns`, 1, 10)) {
    t.columns.forEach((c, i) => {
      const p = `${path}.columns[${i}]`;
      if (!isRecord(c)) return mustBeSpecified(errors, p);
      if (t.type === "image_carousel") {
        checkHttpsUrl(errors, c.imageUrl, `${p}.imageUrl`);
        validateAction(errors, c.action, `${p}.action`, { labelRequired: false });
      } else {
        checkString(errors, c.text, `${p}.text`, 1, c.thumbnailImageUrl || c.title ? 60 : 120);
        checkHttpsUrl(errors, c.thumbnailImageUrl, `${p}.thumbnailImageUrl`, false);
        actions(c.actions, `${p}.actions`, 1, 3);
      }
    });
  }
}

function validateMessage(errors: Errors, m: unknown, path: string): void {
  if (!isRecord(m)) return mustBeSpecified(errors, path);
  if (typeof m.type !== "string" || !MESSAGE_TYPES.includes(m.type)) {
    errors.push({ message: `must be one of [${MESSAGE_TYPES.join(", ")}]`, property: `${path}.type` });
    return;
  }
  switch (m.type) {
    case "text":
      checkString(errors, m.text, `${path}.text`, 1, 5000);
      break;
    case "sticker":
      checkString(errors, m.packageId, `${path}.packageId`, 1, 100);
      checkString(errors, m.stickerId, `${path}.stickerId`, 1, 100);
      break;
    case "image":
    case "video":
      checkHttpsUrl(errors, m.originalContentUrl, `${path}.originalContentUrl`);
      checkHttpsUrl(errors, m.previewImageUrl, `${path}.previewImageUrl`);
      break;
    case "audio":
      checkHttpsUrl(errors, m.originalContentUrl, `${path}.originalContentUrl`);
      if (typeof m.duration !== "number" || m.duration <= 0)
        errors.push({ message: "must be a positive number", property: `${path}.duration` });
      break;
    case "location":
      checkString(errors, m.title, `${path}.title`, 1, 100);
      checkString(errors, m.address, `${path}.address`, 1, 100);
      for (const k of ["latitude", "longitude"] as const) {
        if (typeof m[k] !== "number" || !Number.isFinite(m[k]))
          errors.push({ message: "must be a number", property: `${path}.${k}` });
      }
      break;
    case "imagemap":
      checkHttpsUrl(errors, m.baseUrl, `${path}.baseUrl`);
      checkString(errors, m.altText, `${path}.altText`, 1, 1500);
      if (checkArray(errors, m.actions, `${path}.actions`, 1, 50)) {
        m.actions.forEach((a, i) => {
          if (!isRecord(a) || (a.type !== "uri" && a.type !== "message" && a.type !== "clipboard")) {
            errors.push({
              message: "must be one of [uri, message, clipboard]",
              property: `${path}.actions[${i}].type`,
            });
          }
        });
      }
      break;
    case "template":
      checkString(errors, m.altText, `${path}.altText`, 1, 400);
      validateTemplate(errors, m.template, `${path}.template`);
      break;
    case "flex":
      checkString(errors, m.altText, `${path}.altText`, 1, 1500);
      if (!isRecord(m.contents)) mustBeSpecified(errors, `${path}.contents`);
      else if (m.contents.type === "carousel")
        checkArray(errors, m.contents.contents, `${path}.contents.contents`, 1, 12);
      else if (m.contents.type !== "bubble")
        errors.push({ message: "must be one of [bubble, carousel]", property: `${path}.contents.type` });
      break;
  }
  validateQuickReply(errors, m.quickReply, `${path}.quickReply`);
  if (m.sender !== undefined) {
    if (!isRecord(m.sender)) errors.push({ message: "must be an object", property: `${path}.sender` });
    else {
      checkString(errors, m.sender.name, `${path}.sender.name`, 1, 20, false);
      checkHttpsUrl(errors, m.sender.iconUrl, `${path}.sender.iconUrl`, false, 2000);
    }
  }
}

/** Errors for a `messages` array (1..5 message objects); empty when it is acceptable. */
export function validateMessages(messages: unknown): Errors {
  const errors: Errors = [];
  if (checkArray(errors, messages, "messages", 1, 5))
    messages.forEach((m, i) => validateMessage(errors, m, `messages[${i}]`));
  return errors;
}

export function validateNotificationDisabled(errors: Errors, v: unknown): void {
  if (v !== undefined && typeof v !== "boolean")
    errors.push({ message: "must be a boolean", property: "notificationDisabled" });
}
