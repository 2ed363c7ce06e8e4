import { z } from "zod";
import { Role } from "../domain";
import { TaskRelation } from "../api/tasks";

/** The identity the server stamps into every awareness state as its `user` field; clients cannot set it. */
export const PresenceUser = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  relation: TaskRelation,
  colour: z.string().regex(/^#[0-9a-f]{6}$/),
});
export type PresenceUser = z.infer<typeof PresenceUser>;

/** An awareness state as a client may send it: a JSON object (or null = gone). */
export function isClientAwarenessState(value: unknown): value is Record<string, unknown> | null {
  return value === null || (typeof value === "object" && !Array.isArray(value));
}
export const ClientAwarenessState = z.custom<Record<string, unknown> | null>(isClientAwarenessState, "an awareness state is a JSON object or null");

/** A Yjs relative position as JSON (Y.relativePositionToJSON), as the editor's caret binding publishes it. */
const RelativePositionJson = z.strictObject({
  type: z.strictObject({ client: z.number().int().min(0), clock: z.number().int().min(0) }).optional(),
  tname: z.string().max(100).optional(),
  item: z.strictObject({ client: z.number().int().min(0), clock: z.number().int().min(0) }).optional(),
  assoc: z.number().int().optional(),
});

/**
 * The fields of an awareness state the server passes on, besides `user` (which it stamps): the editor's caret
 * (y-tiptap's `cursor`) and the player's playhead. Anything else, or a field of the wrong shape, is dropped.
 */
export const PRESENCE_FIELDS = {
  cursor: z.strictObject({ anchor: RelativePositionJson, head: RelativePositionJson }).nullable(),
  playhead: z.strictObject({ time: z.number().finite().min(0).max(24 * 3600), playing: z.boolean() }).nullable(),
} as const;

/** Keeps the known presence fields that parse; the caller adds the stamped `user`. */
export function knownPresenceFields(state: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(PRESENCE_FIELDS)) {
    if (!(name in state)) continue;
    const parsed = schema.safeParse(state[name]);
    if (parsed.success) out[name] = parsed.data;
  }
  return out;
}

/** A stable, readable colour per user: hue from a hash of the id, fixed saturation/lightness. */
export function colourForUser(userId: string): string {
  let h = 2166136261;
  for (let i = 0; i < userId.length; i++) {
    h ^= userId.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  const hue = (h >>> 0) % 360;
  return hslToHex(hue, 0.65, 0.45);
}

function hslToHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const c = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255)
      .toString(16)
      .padStart(2, "0");
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}
