/**
 * Stripe's request encoding: `application/x-www-form-urlencoded` with qs-style nested keys, as
 * stripe-node writes them (utils.stringifyRequestData): `items[0][price]=price_1`,
 * `metadata[tenantId]=…`, `expand[0]=latest_invoice`. Brackets may arrive raw or percent-encoded.
 * GET and DELETE carry the same encoding in the query string. Values stay strings; handlers coerce.
 */

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

/** `a[b][0][c]` → ["a", "b", "0", "c"]; null when the brackets do not balance. */
export function keySegments(key: string): string[] | null {
  const open = key.indexOf("[");
  if (open === -1) return key ? [key] : null;
  const head = key.slice(0, open);
  if (!head) return null;
  const segments = [head];
  const rest = key.slice(open);
  const re = /\[([^[\]]*)\]/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(rest))) {
    segments.push(m[1]!);
    consumed = re.lastIndex;
  }
  return consumed === rest.length ? segments : null;
}

export class FormError extends Error {}

/** Parses a form body or query string into nested objects; numeric-keyed objects become arrays. */
export function parseForm(text: string): FormObject {
  const root: FormObject = {};
  if (!text) return root;
  for (const part of text.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const rawKey = eq === -1 ? part : part.slice(0, eq);
    const rawValue = eq === -1 ? "" : part.slice(eq + 1);
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, " "));
      value = decodeURIComponent(rawValue.replace(/\+/g, " "));
    } catch {
      throw new FormError(`Invalid URL encoding in parameter ${rawKey}`);
    }
    const segments = keySegments(key);
    if (!segments) throw new FormError(`Invalid array or hash syntax in parameter ${key}`);
    // `a[]=x` (qs "brackets" style) appends, as Stripe's own parser does.
    let node: Record<string, unknown> = root;
    for (let i = 0; i < segments.length - 1; i++) {
      const seg = segments[i] === "" ? String(Object.keys(node).length) : segments[i]!;
      const next = node[seg];
      if (typeof next === "string") throw new FormError(`Parameter ${key} conflicts with a scalar value`);
      node = (next as Record<string, unknown>) ?? (node[seg] = {});
    }
    const last = segments[segments.length - 1]!;
    const leaf = last === "" ? String(Object.keys(node).length) : last;
    if (typeof node[leaf] === "object") throw new FormError(`Parameter ${key} conflicts with a nested value`);
    node[leaf] = value;
  }
  return toArrays(root) as FormObject;
}

function toArrays(v: unknown): FormValue {
  if (typeof v === "string") return v;
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj);
  const converted: Record<string, FormValue> = {};
  for (const k of keys) converted[k] = toArrays(obj[k]);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((i) => converted[String(i)]!);
  }
  return converted;
}

// Coercions with Stripe's error messages for the common mistakes.

export function str(params: FormObject, name: string): string | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new ParamError(name, `Invalid string: ${JSON.stringify(v)}`);
  return v;
}

export function int(params: FormObject, name: string): number | undefined {
  const v = str(params, name);
  if (v === undefined || v === "") return undefined;
  if (!/^-?\d+$/.test(v)) throw new ParamError(name, `Invalid integer: ${v}`);
  return Number(v);
}

export function bool(params: FormObject, name: string): boolean | undefined {
  const v = str(params, name);
  if (v === undefined || v === "") return undefined;
  if (v !== "true" && v !== "false") throw new ParamError(name, `Invalid boolean: ${v}`);
  return v === "true";
}

export function list(params: FormObject, name: string): FormValue[] {
  const v = params[name];
  if (v === undefined || v === "") return [];
  if (!Array.isArray(v)) throw new ParamError(name, `Invalid array`);
  return v;
}

/** Metadata: a hash of strings; an empty string value removes a key, `metadata=` clears it all. */
export function metadataUpdate(current: Record<string, string>, params: FormObject): Record<string, string> {
  const v = params.metadata;
  if (v === undefined) return current;
  if (v === "") return {};
  if (typeof v !== "object" || Array.isArray(v)) throw new ParamError("metadata", "Invalid hash");
  const next = { ...current };
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== "string") throw new ParamError(`metadata[${k}]`, "Invalid string");
    if (val === "") delete next[k];
    else next[k] = val;
  }
  return next;
}

export class ParamError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
  }
}
