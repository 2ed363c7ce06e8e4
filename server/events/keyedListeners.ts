/**
 * Listeners grouped by a key (a task, an export job): subscribing returns the unsubscribe, and a group is dropped
 * when its last listener leaves, so long-running processes do not keep empty sets. How listeners are called (and
 * whether one failure stops the others) is the owner's choice.
 */
export class KeyedListeners<Listener> {
  private readonly byKey = new Map<string, Set<Listener>>();

  subscribe(key: string, listener: Listener): () => void {
    let set = this.byKey.get(key);
    if (!set) this.byKey.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.byKey.delete(key);
    };
  }

  /** The key's listeners now: the live set, so copy it before calling listeners that may unsubscribe. */
  of(key: string): ReadonlySet<Listener> | undefined {
    return this.byKey.get(key);
  }

  drop(key: string): void {
    this.byKey.delete(key);
  }
}
