import { createReadStream } from "node:fs";

/**
 * A streamed POSIX ustar archive of files already on disk, so a lead downloads an export folder — records, registry,
 * manifest and clips — in one piece from the browser and trains on it as unpacked. Only what the export writes is
 * needed: regular files, paths up to 255 bytes (ustar's 155-byte prefix + 100-byte name, split at a "/": CameraBench's
 * label files have long dotted names), sizes under 8 GiB (the header's 11 octal digits).
 */

export type TarEntry = { name: string; file: string; size: number };

const BLOCK = 512;
const MAX_SIZE = 8 ** 11 - 1;

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

/** The archive's length in bytes, known before a byte is read (the response's Content-Length). */
export const tarSize = (entries: readonly TarEntry[]) =>
  entries.reduce((n, e) => n + BLOCK + e.size + padding(e.size), 0) + 2 * BLOCK;

function field(header: Buffer, offset: number, length: number, value: string) {
  header.write(value, offset, Math.min(length, Buffer.byteLength(value)), "utf8");
}

const octal = (value: number, digits: number) => `${value.toString(8).padStart(digits, "0")}\0`;

/** ustar's name split: the last part that fits 100 bytes as the name, the folders before it as the prefix. */
export function splitName(name: string): { prefix: string; name: string } {
  if (Buffer.byteLength(name) <= 100) return { prefix: "", name };
  for (let at = name.indexOf("/"); at > 0; at = name.indexOf("/", at + 1)) {
    const prefix = name.slice(0, at);
    const rest = name.slice(at + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest) return { prefix, name: rest };
  }
  throw new Error(`tar: name too long: ${name}`);
}

export function tarHeader(entry: TarEntry, mtime: number): Buffer {
  const { prefix, name } = splitName(entry.name);
  if (entry.size > MAX_SIZE) throw new Error(`tar: ${entry.name} is larger than 8 GiB`);
  const h = Buffer.alloc(BLOCK);
  field(h, 0, 100, name);
  field(h, 100, 8, octal(0o644, 7));
  field(h, 108, 8, octal(0, 7));
  field(h, 116, 8, octal(0, 7));
  field(h, 124, 12, octal(entry.size, 11));
  field(h, 136, 12, octal(Math.floor(mtime), 11));
  field(h, 148, 8, "        ");
  field(h, 156, 1, "0");
  field(h, 257, 6, "ustar\0");
  field(h, 263, 2, "00");
  field(h, 345, 155, prefix);
  let sum = 0;
  for (const byte of h) sum += byte;
  field(h, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return h;
}

/** The archive, chunk by chunk; a file that changed size since it was listed fails the stream rather than lie. */
export async function* tarStream(entries: readonly TarEntry[], mtime: number): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    yield tarHeader(entry, mtime);
    let read = 0;
    for await (const chunk of createReadStream(entry.file)) {
      const buf = chunk as Buffer;
      read += buf.length;
      if (read > entry.size) throw new Error(`tar: ${entry.name} grew while being archived`);
      yield buf;
    }
    if (read !== entry.size) throw new Error(`tar: ${entry.name} shrank while being archived`);
    const pad = padding(entry.size);
    if (pad > 0) yield Buffer.alloc(pad);
  }
  yield Buffer.alloc(2 * BLOCK);
}
