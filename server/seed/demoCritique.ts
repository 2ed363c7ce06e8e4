import type { Aspect } from "../../shared/domain";
import type { DemoCamera } from "./demoLabels";

/**
 * The demo annotator's critique of a rules draft. The rules provider drafts from labels alone, so its drafts keep
 * placeholders (`<colour>`, `<subject>`, `<move>`) for what only the video shows; the demo critique fills them with
 * what each clip really shows (manifest descriptions) and, for a still camera, strikes the sentence that claims a
 * move. Pure, so the seed is deterministic.
 */

export type PlannedItem = {
  /** The exact draft text the item is anchored to. */
  quote: string;
  errorType: "missing_information" | "hallucination" | "wrong_term";
  what: string;
  fix: string;
};

const hasCart = (camera: DemoCamera) => camera === "static" || camera === "speed_ramp";

const MOVE_TEXT: Record<DemoCamera, string | null> = {
  static: null,
  speed_ramp: null,
  zoom_in: "zooms in",
  pan_left: "pans left",
  truck_right: "trucks right",
  pedestal_up: "rises on a pedestal",
  roll_clockwise: "rolls clockwise",
};

/** Placeholder → what the clip shows, and why. */
function fillsFor(camera: DemoCamera): [string, string, string][] {
  const cart = hasCart(camera);
  const move = MOVE_TEXT[camera];
  return [
    ...(move ? [["<move>", move, `the camera ${move}`] as [string, string, string]] : []),
    ["<subject>", cart ? "the green cart" : "the orange posts", cart ? "the subject is the green cart" : "the subject is the striped orange posts"],
    ["<colour>", cart ? "green" : "orange", cart ? "the cart is green" : "the posts are orange"],
    ["<car|truck|bus|bicycle|boat|...>", "cart", "the vehicle is a small cart"],
    ["<what moves>", "the cart", "only the cart (and its wheel) moves"],
    ["<walks|drives>", "rolls", "the cart rolls along the floor"],
    ["<direction>", "from left to right", "the cart crosses from left to right"],
    ["<place>", "front of a lettered backdrop", "the setting is a flat backdrop with lettered markers"],
    ["<scenery>", "a lettered backdrop behind striped orange posts", "the frame holds the backdrop and the posts"],
  ];
}

const STILL_MOVE = "The camera slowly <move>.";
/** The rules scene draft calls the background plain; the demo picture is a lettered backdrop. */
const PLAIN_BACKGROUND = "a plain background of solid <colour>";

/** Up to `max` items for a draft, in draft order, each quoting text that occurs in it. */
export function planCritique(draft: string, aspect: Aspect, camera: DemoCamera, max: number): PlannedItem[] {
  const planned: { at: number; item: PlannedItem }[] = [];
  const plainAt = aspect === "scene" ? draft.indexOf(PLAIN_BACKGROUND) : -1;
  if (plainAt >= 0) {
    planned.push({
      at: plainAt,
      item: {
        quote: PLAIN_BACKGROUND,
        errorType: "wrong_term",
        what: "The background is not plain: it is a flat picture with lettered markers and striped orange posts in front.",
        fix: 'Replace it with "a flat picture of a lettered backdrop with striped orange posts".',
      },
    });
  }
  const still = MOVE_TEXT[camera] === null;
  const stillAt = draft.indexOf(STILL_MOVE);
  if (still && stillAt >= 0) {
    planned.push({
      at: stillAt,
      item: {
        quote: STILL_MOVE,
        errorType: "hallucination",
        what: "The camera does not move in this clip: there is no move to describe.",
        fix: "Delete the sentence.",
      },
    });
  }
  for (const [placeholder, text, why] of fillsFor(camera)) {
    const at = draft.indexOf(placeholder);
    // A placeholder inside the struck sentence is covered by that item.
    const inside = (start: number, quote: string) => start >= 0 && at >= start && at < start + quote.length;
    if (at < 0 || (still && inside(stillAt, STILL_MOVE)) || inside(plainAt, PLAIN_BACKGROUND)) continue;
    planned.push({
      at,
      item: {
        quote: placeholder,
        errorType: "missing_information",
        what: `The draft leaves ${placeholder} unfilled: ${why}.`,
        fix: `Replace it with "${text}".`,
      },
    });
  }
  return planned
    .sort((a, b) => a.at - b.at)
    .slice(0, max)
    .map((p) => p.item);
}
