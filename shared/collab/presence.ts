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
export const ClientAwarenessState = z.record(z.string(), z.unknown()).nullable();

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
