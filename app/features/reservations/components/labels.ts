/** Times with fewer free seats than this show "残りわずか". */
export const FEW_SEATS_LABEL_LIMIT = 5;
