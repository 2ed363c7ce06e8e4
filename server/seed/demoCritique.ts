import type { Aspect } from "../../shared/domain";
import type { DemoCamera } from "./demoLabels";

/**
 * The demo annotator's critique of a rules draft. The rules provider writes from the labels and the facts alone,
 * so its drafts say only what the primitives say; the demo critique adds what each clip really shows (its manifest
 * description), each item anchored to a sentence of the draft with a quoted sentence to add after it, and strikes a
 * sentence that claims a camera move on a still camera. Every added sentence is plain, grammatical English — no
 * slot, brace or bracket — so revisions built from these items are too. Pure, so the seed is deterministic.
 */

export type PlannedItem = {
  /** The exact draft text the item is anchored to. */
  quote: string;
  errorType: "missing_information" | "hallucination" | "wrong_term";
  what: string;
  fix: string;
};

const hasCart = (camera: DemoCamera) => camera === "static" || camera === "speed_ramp";

/** How the picture moves on screen under each camera behaviour (manifest descriptions), when the camera moves. */
const IMAGE_MOTION: Record<DemoCamera, string | null> = {
  static: null,
  speed_ramp: null,
  zoom_in: "The posts and the backdrop grow at the same rate as the view narrows.",
  pan_left: "Everything in the frame slides right at the same speed.",
  truck_right: "The near posts slide left faster than the backdrop behind them.",
  pedestal_up: "The near posts sink out of the bottom of the frame.",
  roll_clockwise: "The whole picture turns counterclockwise on screen, then holds still.",
};

const CAMERA_DETAILS: Record<DemoCamera, string[]> = {
  static: [
    "The view of the picture never moves.",
    "Only the cart moves, which is subject motion, not camera motion.",
    "The camera neither zooms nor shakes.",
    "The framing stays the same from start to end.",
  ],
  speed_ramp: [
    "The playback runs at regular speed for 1.5 s, then ramps smoothly down to half speed.",
    "The cart and the wheel slow down together, which shows a change of playback speed.",
    "The camera itself does not move.",
    "The framing stays the same from start to end.",
  ],
  zoom_in: [
    "The magnification doubles over the four seconds.",
    "Near posts and far backdrop grow at the same rate, so there is no parallax.",
    "This is a change of focal length, not a dolly.",
    "The zoom keeps a fixed centre.",
  ],
  pan_left: [
    "The view turns left at a steady rate.",
    "Near posts and far backdrop move right at the same speed, so there is no parallax.",
    "This is a rotation of the camera, not a truck.",
    "The camera stays level throughout.",
  ],
  truck_right: [
    "The near posts move left three times as fast as the backdrop.",
    "This parallax shows that the camera itself moves sideways rather than panning.",
    "The camera moves at a steady pace.",
    "The camera stays level throughout.",
  ],
  pedestal_up: [
    "The near posts sink three times as fast as the backdrop and leave the bottom of the frame.",
    "This parallax shows that the camera rises without tilting.",
    "The camera ends at eye level.",
    "The camera stays level throughout.",
  ],
  roll_clockwise: [
    "The roll lasts three seconds and reaches about 14 degrees.",
    "The picture turns counterclockwise on screen, so the camera rolls clockwise.",
    "The frame holds the Dutch angle for the last second.",
    "The camera does not otherwise move.",
  ],
};

/** True sentences the draft leaves out, most telling first: what the demo annotator adds. */
function details(aspect: Aspect, camera: DemoCamera): string[] {
  const cart = hasCart(camera);
  const image = IMAGE_MOTION[camera];
  const slowing =
    camera === "speed_ramp" ? "The cart and the yellow wheel slow down together when the playback slows." : "The yellow wheel spins throughout the clip.";
  switch (aspect) {
    case "subject":
      return cart
        ? [
            "The yellow wheel spins while the cart crosses.",
            "The striped orange posts stand in front of a backdrop with lettered markers.",
            "Nothing else in the picture moves.",
            "The picture is flat and computer-drawn.",
          ]
        : [
            "The posts are striped in orange and stand in front of the backdrop.",
            "The backdrop carries lettered markers.",
            "Nothing in the picture moves on its own.",
            "The picture is flat and computer-drawn.",
          ];
    case "scene":
      return cart
        ? [
            "The backdrop carries lettered markers, with striped orange posts in front of it.",
            "The green cart slides along the floor from left to right.",
            "Apart from the cart and the spinning yellow wheel, the picture stays still.",
            "The picture is flat and computer-drawn.",
          ]
        : [
            "The backdrop carries lettered markers, with striped orange posts in front of it.",
            "Nothing in the picture moves on its own.",
            ...(image ? [image] : []),
            "The picture is flat and computer-drawn.",
          ];
    case "motion":
      return cart
        ? [
            "The green cart slides from left to right along the floor at a steady pace.",
            slowing,
            "The striped orange posts stay where they are.",
            "The backdrop stays still.",
          ]
        : [
            "The striped orange posts stay where they are; only the view of them changes.",
            ...(image ? [image] : []),
            "The backdrop does not move either.",
            "Any movement in the frame comes from the camera.",
          ];
    case "spatial":
      return cart
        ? [
            "The cart crosses the frame from left to right along the floor.",
            "The striped orange posts stand in front of the backdrop, nearer to the camera.",
            "The backdrop fills the frame behind the posts.",
            "The framing stays the same from start to end.",
          ]
        : [
            ...(image ? [image] : []),
            "The striped orange posts stand in front of the backdrop, nearer to the camera.",
            "The backdrop fills the frame behind the posts.",
            "No subject crosses the frame.",
          ];
    case "camera":
      return CAMERA_DETAILS[camera];
  }
}

/** The draft's sentences with where each starts; a full stop inside a number ("1.5 s") does not end one. */
function sentences(draft: string): { at: number; text: string }[] {
  const out: { at: number; text: string }[] = [];
  const re = /\S[\s\S]*?[.!?](?=\s|$)/g;
  for (let m = re.exec(draft); m; m = re.exec(draft)) out.push({ at: m.index, text: m[0] });
  return out;
}

/** A sentence saying the camera moves, on a clip whose camera does not. */
const CLAIMS_MOVE = /\bcamera\b[^.]*\b(?:slowly|quickly|steady pace|moves|pans|tilts|zooms|trucks|dollies|rolls|rises|cranes)\b/i;
const SAYS_STILL = /\b(?:static|still|does not move|not move|holds its position)\b/i;
const stillCamera = (camera: DemoCamera) => camera === "static" || camera === "speed_ramp";

/** Up to `max` items for a draft, in draft order, each quoting text that occurs in it. */
export function planCritique(draft: string, aspect: Aspect, camera: DemoCamera, max: number): PlannedItem[] {
  const all = sentences(draft);
  const planned: { at: number; order: number; item: PlannedItem }[] = [];
  const struck = new Set<number>();

  if (aspect === "camera" && stillCamera(camera)) {
    all.forEach((s, i) => {
      if (!CLAIMS_MOVE.test(s.text) || SAYS_STILL.test(s.text)) return;
      struck.add(i);
      const item: PlannedItem = {
        quote: s.text,
        errorType: "hallucination",
        what: "The camera does not move in this clip: there is no move to describe.",
        fix: "Delete the sentence.",
      };
      planned.push({ at: s.at, order: 0, item });
    });
  }

  // Each missing detail goes after its own sentence of the draft while there are sentences left, else after the last.
  const anchors = all.filter((_, i) => !struck.has(i));
  details(aspect, camera).forEach((sentence, k) => {
    const anchor = anchors[Math.min(k, anchors.length - 1)];
    if (!anchor) return;
    const item: PlannedItem = {
      quote: anchor.text,
      errorType: "missing_information",
      what: `The draft leaves out what the clip shows here: ${lowerFirst(sentence.replace(/\.$/, ""))}.`,
      fix: `Add "${sentence}"`,
    };
    planned.push({ at: anchor.at, order: 1 + k, item });
  });

  return planned
    .sort((a, b) => a.at - b.at || a.order - b.order)
    .slice(0, Math.max(0, max))
    .map((p) => p.item);
}

const lowerFirst = (s: string) => `${s[0]?.toLowerCase() ?? ""}${s.slice(1)}`;
