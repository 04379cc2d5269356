/** k-anonymity of the safety-check counts (ADR 059): below K_MIN a count is shown as 「10人未満」. Pure. */
export const K_MIN = 10;

export const kAnonymous = (n: number) => (n >= K_MIN ? `${n}人` : `${K_MIN}人未満`);
