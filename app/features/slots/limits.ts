/** Limits shared by the forms (shown in hints) and the use-cases (enforced); no dependencies, so pages may import them. */

/** A pattern spanning more than a year is almost certainly a typo in the year. */
export const MAX_PATTERN_DAYS = 366;
/** Upper bound for one generation, so one form cannot lock the slots table for long. */
export const MAX_PATTERN_SLOTS = 10_000;

/** Seats per quota of one slot. */
export const MAX_CAPACITY = 1_000;
/** Rows in one slot CSV. */
export const MAX_CSV_ROWS = 5_000;
/** Far more than 5,000 rows of slots need; refusing bigger files keeps a mistaken upload cheap. */
export const MAX_CSV_BYTES = 2 * 1024 * 1024;
/** Days shown at once on the slots page. */
export const WEEK_DAYS = 7;
/** Slots per page of that week: a busy venue's week is a few hundred; more pages only when it is far more. */
export const SLOTS_PAGE_SIZE = 100;
