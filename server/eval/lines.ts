import fs from "node:fs/promises";

export const MAX_EVAL_FILE_BYTES = 512 * 1024 * 1024;

/** The lines of a text file, one sentence per line; the newline ending the last line does not add an empty one. */
export async function readLines(file: string): Promise<string[]> {
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile()) throw new Error(`${file}: not a file.`);
  if (stat.size > MAX_EVAL_FILE_BYTES) throw new Error(`${file}: larger than ${MAX_EVAL_FILE_BYTES >> 20} MB.`);
  const text = (await fs.readFile(file, "utf8")).replace(/\r\n/g, "\n");
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}
