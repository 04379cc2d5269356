/**
 * When a service reminds its residents (ADR reminders). Stored per service as a jsonb list on
 * `services.reminders`; the types live here, apart from the tables, so both schema files can use them.
 *
 * - `days-before`: on the calendar day `days` before the session (in Japan), at `at` ("10:00").
 * - `hours-before`: `hours` before the session starts.
 */
export type ReminderRule = { kind: "days-before"; days: number; at: string } | { kind: "hours-before"; hours: number };

/** The day before at 10:00 and 2 hours before: what most cities ask for, and every new service's start. */
export const DEFAULT_REMINDER_RULES: ReminderRule[] = [
  { kind: "days-before", days: 1, at: "10:00" },
  { kind: "hours-before", hours: 2 },
];
