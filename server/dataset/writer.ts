import { createHash } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";

/**
 * A JSON Lines file written with backpressure (the export never holds more than the stream's buffer), counting
 * records and bytes and hashing what it writes, so the manifest's SHA-256 costs no second read.
 */
export class JsonlWriter {
  private readonly stream: WriteStream;
  private readonly hash = createHash("sha256");
  records = 0;
  bytes = 0;

  constructor(readonly file: string) {
    this.stream = createWriteStream(file, { flags: "w" });
  }

  async write(record: unknown): Promise<void> {
    const line = Buffer.from(`${JSON.stringify(record)}\n`, "utf8");
    this.hash.update(line);
    this.records++;
    this.bytes += line.length;
    if (!this.stream.write(line)) await once(this.stream, "drain");
  }

  /** Closes the file; returns its hex SHA-256. */
  async close(): Promise<string> {
    this.stream.end();
    await once(this.stream, "finish");
    return this.hash.digest("hex");
  }

  /** Abandons the file after an error. */
  destroy(): void {
    this.stream.destroy();
  }
}
