/** A share as a whole percentage ("83%"); "–" when there is nothing to divide. */
export const formatShare = (v: number | null) => (v === null ? "–" : `${Math.round(v * 100)}%`);
