import net from "node:net";
import postgres from "postgres";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { POSTGRES_OPTIONS } from "./index";

/**
 * A TCP proxy to the real server that resets each client connection the moment the server's first ReadyForQuery has
 * reached it: the connection is set up, and whatever the client sends next meets a reset, as in a database restart.
 */
function resettingProxy(upstream: URL): Promise<{ url: string; close(): Promise<void> }> {
  const server = net.createServer((client) => {
    const up = net.connect(Number(upstream.port || 5432), upstream.hostname);
    client.on("error", () => {});
    up.on("error", () => {});
    client.pipe(up);
    up.on("data", (chunk: Buffer) => {
      client.write(chunk);
      // ReadyForQuery: 'Z', length 5, status byte; the startup reply ends with it.
      if (chunk.length >= 6 && chunk[chunk.length - 6] === 0x5a && chunk.readUInt32BE(chunk.length - 5) === 5) {
        up.destroy();
        client.resetAndDestroy();
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      const url = new URL(upstream.href);
      url.hostname = "127.0.0.1";
      url.port = String(port);
      resolve({ url: url.href, close: () => new Promise<void>((r) => server.close(() => r())) });
    });
  });
}

const unhandled: unknown[] = [];
const record = (reason: unknown) => void unhandled.push(reason);
let proxy: Awaited<ReturnType<typeof resettingProxy>>;

beforeAll(async () => {
  process.on("unhandledRejection", record);
  proxy = await resettingProxy(new URL(inject("pgAdminUrl")));
});
afterAll(async () => {
  process.off("unhandledRejection", record);
  await proxy.close();
});

it("a connection reset right after it is set up fails the query in hand and nothing else (no unhandled rejection)", async () => {
  const client = postgres(proxy.url, { max: 1, connect_timeout: 5, ...POSTGRES_OPTIONS });
  try {
    await expect(client`select 1 as one`).rejects.toThrow();
    // Rejections surface on a later turn; give them several.
    await new Promise((r) => setTimeout(r, 200));
    expect(unhandled).toEqual([]);
  } finally {
    await client.end({ timeout: 1 });
  }
});
