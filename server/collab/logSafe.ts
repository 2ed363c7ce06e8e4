/**
 * An error in words for the log, without what it carried: query errors of the database driver repeat their
 * parameters (a whole batch of document updates, hex-encoded) in the message, and room content must never reach
 * the logs. Keeps each error's name, code and the first line of its message, down the cause chain, bounded.
 */
export function describeError(err: unknown, maxChars = 300): string {
  const parts: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; cur !== undefined && cur !== null && depth < 4; depth++) {
    if (cur instanceof Error) {
      const code = (cur as { code?: unknown }).code;
      const firstLine = cur.message.split("\n", 1)[0] ?? "";
      parts.push(`${cur.name}${typeof code === "string" ? ` [${code}]` : ""}: ${firstLine.slice(0, 160)}`);
      cur = cur.cause;
    } else {
      parts.push(String(cur).split("\n", 1)[0]!.slice(0, 160));
      break;
    }
  }
  const text = parts.join(" <- ");
  return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}
