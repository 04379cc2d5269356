import { FILE_NAMES, MAX_FILE_BYTES, type FileName, type ImportInput } from "./import-5374.server";

/**
 * The staff upload: the city's 5374 files chosen together in one file input, recognised by name
 * (as the 5374 app names them). Anything else is refused by name, before any parsing.
 */
export const MAX_UPLOAD_BYTES = FILE_NAMES.length * MAX_FILE_BYTES + 64 * 1024;

export async function filesFromForm(
  form: FormData,
): Promise<{ ok: true; files: ImportInput } | { ok: false; error: string }> {
  const files: ImportInput = {};
  const unknown: string[] = [];
  for (const v of form.getAll("files")) {
    if (!(v instanceof File) || v.size === 0) continue;
    const name = v.name.split(/[\\/]/).pop()!.toLowerCase() as FileName;
    if (!FILE_NAMES.includes(name)) unknown.push(v.name);
    else files[name] = new Uint8Array(await v.arrayBuffer());
  }
  if (unknown.length)
    return {
      ok: false,
      error: `5374形式のファイル名ではありません: ${unknown.join("、")}（${FILE_NAMES.join("、")}）`,
    };
  if (!files["area_days.csv"]) return { ok: false, error: "area_days.csv を含めて選んでください。" };
  return { ok: true, files };
}
