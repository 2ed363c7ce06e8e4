import type { CoachingEvent } from "../../shared/api/training";
import { KeyedListeners } from "../events/keyedListeners";

type Listener = (event: CoachingEvent) => void;

/**
 * In-process pub/sub for coaching events, per task. Only people already allowed to read a task's coaching stream
 * subscribe (the route checks), so publishing to a task reaches its trainer, trainee and leads and nobody else.
 * One per process, built by createServices (app.ts): the notes route and the stream route share it.
 * Across several server processes the same events would travel over the Redis relay the rooms use; today a
 * subscriber receives events published by its own process.
 */
export class CoachingHub {
  private readonly byTask = new KeyedListeners<Listener>();

  subscribe(taskId: string, listener: Listener): () => void {
    return this.byTask.subscribe(taskId, listener);
  }

  publish(taskId: string, event: CoachingEvent): number {
    const set = this.byTask.of(taskId);
    if (!set) return 0;
    for (const l of [...set]) {
      try {
        l(event);
      } catch {
        // One broken stream must not stop delivery to the others.
      }
    }
    return set.size;
  }

  subscribers(taskId: string): number {
    return this.byTask.of(taskId)?.size ?? 0;
  }
}
