// Client-safe: the pages compare a refusal with it to show the city's number beside it.
import { ja } from "~/lib/i18n/messages";

/**
 * The locked-out message, in one place (ADR 027): the owner's ways through that a stranger lacks.
 * The booking and lookup pages show the city's numbers (<CurrentCityContact>) right under it.
 */
export const IDENTITY_THROTTLED = ja("booking:errors.throttled");
