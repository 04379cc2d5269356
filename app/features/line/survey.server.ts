import type { DbOrTx } from "#db/client.server";
import type { LineAgeBand, LineFriend, LineGender, TenantTopic } from "#db/schema/index";
import type { LineMessage } from "~/integrations/line/client.server";
import { i18n, resolveLanguage } from "~/lib/i18n";
import { ensureFriend, toggleTopic, updateFriend } from "./friends.server";
import {
  AGE_OPTIONS,
  AREA_NONE,
  GENDER_OPTIONS,
  ageQuestion,
  areaQuestion,
  genderQuestion,
  languageQuestion,
  parseSurveyPostback,
  thanksMessage,
  topicsQuestion,
} from "./survey-messages";

/**
 * The survey's state machine: language → gender → age band → area → topics → thanks. Each answer is
 * stored and the next question sent, in the friend's language; answers are plain "set" operations
 * (topics toggle atomically), so a tap processed twice changes nothing more. An unknown value
 * re-asks the same question.
 */
export type SurveyCity = { tenantId: string; name: string; areas: readonly string[]; topics: readonly TenantTopic[] };

const GENDERS = new Set<string>(GENDER_OPTIONS.map((o) => o.value));
const AGES = new Set<string>(AGE_OPTIONS.map((o) => o.value));

/** The language to write to a friend in: theirs when set and still shipped, else Japanese. */
export const friendLanguage = (friend: Pick<LineFriend, "language"> | null) => resolveLanguage(friend?.language);

/** The first question after a follow (the friend row has just been set to step "language"). */
export function firstQuestion(lang: string): LineMessage {
  return languageQuestion(lang);
}

async function askArea(
  tx: DbOrTx,
  city: SurveyCity,
  lineUserId: string,
  lang: string,
  page = 0,
): Promise<LineMessage[]> {
  // A city that has not listed its districts skips straight to the topics.
  if (city.areas.length === 0) return askTopics(tx, city, lineUserId);
  await updateFriend(tx, city.tenantId, lineUserId, [{ field: "surveyStep", value: "area" }]);
  return [areaQuestion(lang, city.areas, page)];
}

/** Also the keyword 「設定」「受信設定」: reopen just the topics question. */
export async function askTopics(tx: DbOrTx, city: SurveyCity, lineUserId: string): Promise<LineMessage[]> {
  const friend = await updateFriend(tx, city.tenantId, lineUserId, [{ field: "surveyStep", value: "topics" }]);
  return [topicsQuestion(friendLanguage(friend), city.topics, friend.topics)];
}

/** Answers a postback; null when the data is not a survey answer (other buttons, later issues). */
export async function handleSurveyPostback(
  tx: DbOrTx,
  city: SurveyCity,
  lineUserId: string,
  data: string,
): Promise<LineMessage[] | null> {
  const answer = parseSurveyPostback(data);
  if (!answer) return null;
  const lang = friendLanguage(await ensureFriend(tx, city.tenantId, lineUserId));
  const tenantId = city.tenantId;
  switch (answer.kind) {
    case "language": {
      const chosen = i18n.known(answer.value);
      if (!chosen) return [languageQuestion(lang)];
      await updateFriend(tx, tenantId, lineUserId, [
        { field: "language", value: chosen },
        { field: "surveyStep", value: "gender" },
      ]);
      return [genderQuestion(chosen)];
    }
    case "gender":
      if (!GENDERS.has(answer.value)) return [genderQuestion(lang)];
      await updateFriend(tx, tenantId, lineUserId, [
        { field: "gender", value: answer.value as LineGender },
        { field: "surveyStep", value: "age" },
      ]);
      return [ageQuestion(lang)];
    case "age":
      if (!AGES.has(answer.value)) return [ageQuestion(lang)];
      await updateFriend(tx, tenantId, lineUserId, [{ field: "ageBand", value: answer.value as LineAgeBand }]);
      return askArea(tx, city, lineUserId, lang);
    case "area-page":
      return askArea(tx, city, lineUserId, lang, answer.page);
    case "area":
      if (answer.value !== AREA_NONE && !city.areas.includes(answer.value)) return askArea(tx, city, lineUserId, lang);
      await updateFriend(tx, tenantId, lineUserId, [
        { field: "area", value: answer.value === AREA_NONE ? null : answer.value },
      ]);
      return askTopics(tx, city, lineUserId);
    case "topic": {
      if (!city.topics.some((t) => t.key === answer.value)) return askTopics(tx, city, lineUserId);
      const friend = await toggleTopic(tx, tenantId, lineUserId, answer.value);
      return [topicsQuestion(lang, city.topics, friend.topics)];
    }
    case "done": {
      const friend = await updateFriend(tx, tenantId, lineUserId, [{ field: "surveyStep", value: null }]);
      return [thanksMessage(lang, city.topics, friend.topics)];
    }
  }
}
