import { z } from "zod";
import { CoachingNote, Spotlight, type CoachingEvent } from "../../shared/api/training";
import { LocalBus, type BusSubscription, type ClusterBus } from "../cluster/bus";
import { KeyedListeners } from "../events/keyedListeners";

type Listener = (event: CoachingEvent) => void;

/** The bus topic coaching events travel on. */
export const COACHING_TOPIC = "coaching";

/** A coaching event on the bus, checked on arrival like any input from outside the process. */
const Relayed = z.object({
  taskId: z.string().min(1),
  event: z.discriminatedUnion("type", [
    z.object({ type: z.literal("note"), note: CoachingNote }),
    z.object({ type: z.literal("spotlight"), spotlight: Spotlight }),
  ]),
});

/**
 * Coaching events, per task, to the streams open on every process: a note sent through one process reaches the
 * trainee whose stream is held by another. Publishing goes through the cluster bus (server/cluster/bus.ts: Redis
 * with REDIS_URL, this process alone without), which hands each event to every process's hub once, this one's
 * included. Only people already allowed to read a task's coaching stream subscribe (the route checks), so
 * publishing to a task reaches its trainer, trainee and leads and nobody else. One per process, built by
 * createServices (app.ts): the notes route and the stream route share it.
 */
export class CoachingHub {
  private readonly byTask = new KeyedListeners<Listener>();
  private readonly subscription: BusSubscription;

  constructor(
    private readonly bus: ClusterBus = new LocalBus(),
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    this.subscription = bus.subscribe(COACHING_TOPIC, (payload) => this.deliver(payload));
  }

  /** Settles once events published by other processes can arrive here. */
  get ready(): Promise<void> {
    return this.subscription.ready;
  }

  subscribe(taskId: string, listener: Listener): () => void {
    return this.byTask.subscribe(taskId, listener);
  }

  /** Sends the event to the task's streams on every process; returns how many are open on this one. */
  publish(taskId: string, event: CoachingEvent): number {
    this.bus.publish(COACHING_TOPIC, { taskId, event });
    return this.subscribers(taskId);
  }

  subscribers(taskId: string): number {
    return this.byTask.of(taskId)?.size ?? 0;
  }

  private deliver(payload: unknown): void {
    const parsed = Relayed.safeParse(payload);
    if (!parsed.success) {
      this.onError(new Error(`coaching: a relayed event was malformed: ${parsed.error.message.slice(0, 200)}`));
      return;
    }
    const set = this.byTask.of(parsed.data.taskId);
    if (!set) return;
    for (const l of [...set]) {
      try {
        l(parsed.data.event);
      } catch {
        // One broken stream must not stop delivery to the others.
      }
    }
  }
}
