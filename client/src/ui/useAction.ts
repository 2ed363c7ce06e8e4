import { useCallback, useState } from "react";
import { errorMessage } from "../app/api";

/**
 * One user action at a time: `busy` while it runs, `error` (the server's message) when it failed. `run` resolves
 * to whether it succeeded, so the caller can reset its form.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (action: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (err) {
      setError(errorMessage(err));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
