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

/**
 * Keeps the known presence fields that match PRESENCE_FIELDS; the caller adds the stamped `user`. Every awareness
 * message passes here (a cursor moves several times a second per person), so the shapes are checked by the
 * predicates below rather than by zod, which allocates a result per parse; presence.test.ts holds them to the schemas.
 */
export function knownPresenceFields(state: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if ("cursor" in state && isCursor(state.cursor)) out.cursor = state.cursor;
  if ("playhead" in state && isPlayhead(state.playhead)) out.playhead = state.playhead;
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
/** No key outside `allowed` (a strict object); `allowed` keys may be absent. */
function onlyKeys(v: Record<string, unknown>, allowed: readonly string[]): boolean {
  for (const key in v) if (!allowed.includes(key)) return false;
  return true;
}
const isNonNegativeInt = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
const isYId = (v: unknown) => isRecord(v) && onlyKeys(v, ["client", "clock"]) && isNonNegativeInt(v.client) && isNonNegativeInt(v.clock);

function isRelativePosition(v: unknown): boolean {
  if (!isRecord(v) || !onlyKeys(v, ["type", "tname", "item", "assoc"])) return false;
  if (v.type !== undefined && !isYId(v.type)) return false;
  if (v.tname !== undefined && !(typeof v.tname === "string" && v.tname.length <= 100)) return false;
  if (v.item !== undefined && !isYId(v.item)) return false;
  return v.assoc === undefined || Number.isSafeInteger(v.assoc);
}

function isCursor(v: unknown): boolean {
  return v === null || (isRecord(v) && onlyKeys(v, ["anchor", "head"]) && isRelativePosition(v.anchor) && isRelativePosition(v.head));
}

function isPlayhead(v: unknown): boolean {
  if (v === null) return true;
  if (!isRecord(v) || !onlyKeys(v, ["time", "playing"]) || typeof v.playing !== "boolean") return false;
  return typeof v.time === "number" && Number.isFinite(v.time) && v.time >= 0 && v.time <= 24 * 3600;
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
