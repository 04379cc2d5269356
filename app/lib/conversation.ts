import type { Tx } from "#db/client.server";
import type { LineMessage } from "~/integrations/line/client.server";
import type { CityContact } from "~/lib/city-contact";

/**
 * The contract between the conversation engine (app/features/conversation, issue 16) and the slices
 * that answer residents in LINE (FAQ, garbage, and later reports, shelters, status lookup). It lives
 * below the slices so each of them can implement it without importing the engine; the engine imports
 * their public entries and puts them in its one ordered router:
 *
 *   active dialog for this friend → fixed keywords (予約, 受信設定 first) → responders in order → fallback
 *
 * A responder answers in one step or starts a dialog; a dialog is a multi-step flow whose state the
 * engine keeps per friend in PostgreSQL (step, data, expiry; 「やめる」 cancels at any step).
 */

/** What a resident sent, as the engine hands it to responders and dialogs. */
export type Incoming =
  /** `normalised`: NFKC, trimmed, never logged (residents' messages are personal data). */
  | { kind: "text"; text: string; normalised: string }
  /** A postback action's data (and its datetime picker params, if any). */
  | { kind: "postback"; data: string; params?: Record<string, string> }
  | { kind: "location"; latitude: number; longitude: number; title?: string; address?: string }
  /** An image message: the content is fetched by id from LINE's data API when needed. */
  | { kind: "image"; messageId: string };

export type ConversationCity = {
  tenantId: string;
  slug: string;
  name: string;
  areas: readonly string[];
  topics: readonly string[];
  contact: CityContact | null;
  /** LIFF id for links that open inside LINE; null = plain web links. */
  liffId: string | null;
};

export type ConversationContext = {
  tx: Tx;
  city: ConversationCity;
  lineUserId: string;
  /** The friend's language (a shipped code: ja, ja-x-easy, en, …): every reply is in it. */
  lang: string;
  /** The friend's area from the survey (one of city.areas), or null if not answered. */
  area: string | null;
  appOrigin: string;
  now: Date;
  /**
   * Reads the content of an image the friend sent (LINE's data API), at most `maxBytes`; null when
   * LINE no longer has it. Supplied by the worker's processor (it holds the channel's credentials);
   * absent where no LINE channel is at hand, and then images cannot be taken.
   */
  fetchContent?: ContentFetcher;
};

export type ContentFetcher = (
  messageId: string,
  maxBytes: number,
) => Promise<{ bytes: Uint8Array; tooLarge: boolean } | null>;

/** A dialog to start after (or instead of) the reply: the engine stores it and calls its `start`. */
export type StartDialog = { dialog: string; data?: Record<string, unknown> };

export type Reply = {
  messages: LineMessage[];
  startDialog?: StartDialog;
  /**
   * A guess, not an answer (the FAQ offering several entries to choose from): the router asks the
   * responders after this one first, and the first definite reply of theirs wins; with none, this
   * one is sent. Absent = definite.
   */
  tentative?: boolean;
};

/** Answers a class of messages in one step. Null: not mine, the router tries the next one. */
export type Responder = {
  name: string;
  respond(input: Incoming, ctx: ConversationContext): Promise<Reply | null>;
};

/** One step's outcome: the messages to send and the next state (null ends the dialog). */
export type DialogStep<S> = { messages: LineMessage[]; state: S | null };

/**
 * A multi-step flow. `name` is stored with the state, so renaming a dialog ends the conversations in it.
 * State must be JSON; the engine drops it after `ttlSeconds` without a step (an expired dialog answers
 * from the start) and on 「やめる」.
 */
export type Dialog<S extends Record<string, unknown> = Record<string, unknown>> = {
  name: string;
  ttlSeconds: number;
  start(ctx: ConversationContext, data?: Record<string, unknown>): Promise<DialogStep<S>>;
  step(input: Incoming, state: S, ctx: ConversationContext): Promise<DialogStep<S>>;
};
