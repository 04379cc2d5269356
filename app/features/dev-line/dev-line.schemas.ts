import { z } from "zod";
import { TEXT_MAX } from "./actions";

/** What the simulator's forms post (app/routes/dev.line.tsx). Every intent is one resident act. */
export const simulatorActSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("follow") }),
  z.object({ intent: z.literal("unfollow") }),
  z.object({
    intent: z.literal("text"),
    text: z
      .string()
      .trim()
      .min(1, "メッセージを入力してください。")
      .max(TEXT_MAX, `メッセージは${TEXT_MAX}文字以内で入力してください。`),
  }),
  z.object({ intent: z.literal("location"), place: z.string().min(1, "送る場所を選んでください。").max(50) }),
  // `value`: a datetime picker's answer (the chip's own input, named after its ref).
  z.object({ intent: z.literal("tap"), ref: z.string().min(1).max(60), value: z.string().max(20).optional() }),
  // The file itself is read from the form by the route (a File is not a zod string).
  z.object({ intent: z.literal("image") }),
  // `tap` is the point in rich-menu pixels: the area's centre, or where the pointer was (with JS).
  z.object({
    intent: z.literal("menu"),
    richMenuId: z.string().min(1).max(100),
    tap: z.string().regex(/^\d{1,5},\d{1,5}$/),
  }),
  z.object({ intent: z.literal("add-resident") }),
]);

export type SimulatorActInput = z.infer<typeof simulatorActSchema>;
