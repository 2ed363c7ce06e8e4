import type { CatchAnchor } from "../../../../shared/api/review";

/** What the room knows that a catch can be anchored to: the draft selection and/or a time range. */
export type CatchTarget = { anchor?: CatchAnchor; quote?: string; timeStart?: number; timeEnd?: number };
