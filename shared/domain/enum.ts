import { z } from "zod";

/**
 * An enum written once, as its display labels: the values are the keys in the order written (string keys keep
 * their insertion order), so the list, its zod schema and its labels cannot drift apart.
 */
export function labelledEnum<const T extends Record<string, string>>(labels: T) {
  type Value = Extract<keyof T, string>;
  const values = Object.keys(labels) as [Value, ...Value[]];
  return { values: values as Readonly<typeof values>, schema: z.enum(values), labels: labels as Record<Value, string> };
}
