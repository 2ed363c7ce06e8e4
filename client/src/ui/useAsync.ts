import { useEffect, useState } from "react";
import { errorMessage, isAbort } from "../app/api";

export type AsyncState<T> =
  | { status: "loading"; data: T | null }
  | { status: "ready"; data: T }
  | { status: "error"; message: string; data: T | null };

/**
 * Runs `load` whenever `key` changes, aborting the previous request; keeps the last data while reloading so a
 * filtered table does not flash empty.
 */
export function useAsync<T>(key: string, load: (signal: AbortSignal) => Promise<T>, enabled = true): AsyncState<T> {
  const [state, setState] = useState<AsyncState<T>>({ status: "loading", data: null });
  useEffect(() => {
    if (!enabled) return;
    const ctl = new AbortController();
    setState((s) => ({ status: "loading", data: s.data }));
    load(ctl.signal).then(
      (data) => {
        if (!ctl.signal.aborted) setState({ status: "ready", data });
      },
      (err: unknown) => {
        if (!ctl.signal.aborted && !isAbort(err)) setState((s) => ({ status: "error", message: errorMessage(err), data: s.data }));
      },
    );
    return () => ctl.abort();
    // `load` is re-created on every render; `key` names everything it depends on.
  }, [key, enabled]);
  return state;
}
