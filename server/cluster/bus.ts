import { randomUUID } from "node:crypto";
import { z } from "zod";
import { KeyedListeners } from "../events/keyedListeners";
import { newRedis, type Redis } from "./redisClient";

/** A message's handler: the payload as sent (JSON), to be validated by whoever reads it, and the sender's process id. */
export type BusHandler = (payload: unknown, from: string) => void;

export type BusSubscription = {
  /** Settles once messages of other processes can arrive (Redis acknowledged the subscription). */
  ready: Promise<void>;
  unsubscribe(): void;
};

/**
 * Messages between the processes of one deployment, by topic (coaching events, revision cancels). A message reaches
 * every subscriber of its topic in every process, the publishing one included, exactly once: the publisher's own
 * subscribers at once, the others through Redis. Fire-and-forget like Redis pub/sub itself: whatever must not be
 * lost is in PostgreSQL, the bus only makes it arrive now.
 */
export interface ClusterBus {
  readonly processId: string;
  /** True when other processes can hear it (Redis); false for the bus of a process alone. */
  readonly shared: boolean;
  publish(topic: string, payload: unknown): void;
  subscribe(topic: string, handler: BusHandler): BusSubscription;
  close(): Promise<void>;
}

/** Calls a topic's handlers, each on its own: one throwing must not keep the message from the others. */
function deliver(handlers: ReadonlySet<BusHandler> | undefined, payload: unknown, from: string, onError: (err: unknown) => void): void {
  if (!handlers) return;
  for (const handler of [...handlers]) {
    try {
      handler(payload, from);
    } catch (err) {
      onError(err);
    }
  }
}

/** The bus of a process alone (no REDIS_URL): subscribers of this process only, delivered on the next microtask. */
export class LocalBus implements ClusterBus {
  readonly processId = randomUUID();
  readonly shared = false;
  private readonly handlers = new KeyedListeners<BusHandler>();

  constructor(private readonly onError: (err: unknown) => void = () => {}) {}

  publish(topic: string, payload: unknown): void {
    // Never inside the publisher's own call: a handler that publishes or throws cannot re-enter it.
    queueMicrotask(() => deliver(this.handlers.of(topic), payload, this.processId, this.onError));
  }

  subscribe(topic: string, handler: BusHandler): BusSubscription {
    return { ready: Promise.resolve(), unsubscribe: this.handlers.subscribe(topic, handler) };
  }

  async close(): Promise<void> {}
}

/** What travels on a Redis channel: the sender (its own echo is skipped) and the payload. */
const Envelope = z.object({ from: z.string().min(1), payload: z.unknown() });

/** How long a subscription may take before the topic is served by this process alone (the join must not hang). */
const SUBSCRIBE_TIMEOUT_MS = 2_000;

/**
 * Redis pub/sub, one channel per topic (`<prefix><topic>`), JSON envelopes. Two connections, as Redis requires: one
 * subscribed, one publishing. The publisher's own subscribers get the message directly, so an unreachable Redis
 * still serves this process's own listeners.
 */
export class RedisBus implements ClusterBus {
  readonly processId = randomUUID();
  readonly shared = true;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly handlers = new KeyedListeners<BusHandler>();
  private readonly subscribed = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    url: string,
    private readonly onError: (err: unknown) => void,
    private readonly prefix = "chai:bus:",
  ) {
    this.pub = newRedis(url, { maxRetriesPerRequest: 2 });
    this.sub = newRedis(url);
    this.pub.on("error", onError);
    this.sub.on("error", onError);
    this.sub.on("message", (channel: string, message: string) => {
      if (!channel.startsWith(this.prefix)) return;
      let envelope: z.infer<typeof Envelope>;
      try {
        envelope = Envelope.parse(JSON.parse(message));
      } catch (err) {
        this.onError(err);
        return;
      }
      if (envelope.from === this.processId) return;
      deliver(this.handlers.of(channel.slice(this.prefix.length)), envelope.payload, envelope.from, this.onError);
    });
  }

  publish(topic: string, payload: unknown): void {
    queueMicrotask(() => deliver(this.handlers.of(topic), payload, this.processId, this.onError));
    // Closed (shutting down): this process's own listeners still hear it; the others no longer can.
    if (this.closed) return;
    const message = JSON.stringify({ from: this.processId, payload });
    this.pub.publish(this.prefix + topic, message).catch(this.onError);
  }

  subscribe(topic: string, handler: BusHandler): BusSubscription {
    const unsubscribe = this.handlers.subscribe(topic, handler);
    let ready = this.subscribed.get(topic);
    if (!ready) {
      ready = this.subscribeChannel(topic);
      this.subscribed.set(topic, ready);
    }
    return {
      ready,
      unsubscribe: () => {
        unsubscribe();
        // The channel stays subscribed: topics are few and long-lived (one per kind of event, not per task).
      },
    };
  }

  private async subscribeChannel(topic: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), SUBSCRIBE_TIMEOUT_MS)));
    const outcome = await Promise.race([this.sub.subscribe(this.prefix + topic).catch((err: unknown) => err), timeout]);
    clearTimeout(timer);
    if (outcome === "timeout") this.onError(new Error(`subscribing to ${topic} timed out; other processes' messages may be missed`));
    else if (outcome instanceof Error) {
      // The next subscriber of the topic tries again.
      this.subscribed.delete(topic);
      this.onError(outcome);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
  }
}
