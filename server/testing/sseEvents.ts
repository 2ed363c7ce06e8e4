/** A server-sent-event stream read in the background: the events so far, and close() to stop reading. */
export type SseCollector = { events: { event: string; data: string }[]; close: () => Promise<void> };

/** Collects a streaming answer's named events until close() (a cut stream just ends the collection). */
export function collectSse(res: Response): SseCollector {
  const events: SseCollector["events"] = [];
  const body = res.body;
  if (!body) throw new Error("the response has no body to stream");
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const done = (async () => {
    for (;;) {
      const { value, done: end } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (end) return;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        if (event) events.push({ event, data: /^data: (.*)$/m.exec(block)?.[1] ?? "" });
      }
    }
  })();
  return {
    events,
    close: async () => {
      await reader.cancel().catch(() => undefined);
      await done;
    },
  };
}
