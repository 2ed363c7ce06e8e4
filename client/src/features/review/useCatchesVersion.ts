import { useEffect, useState } from "react";
import type * as Y from "yjs";
import { catchesMap } from "../../../../shared/room/catches";

/**
 * A counter that moves whenever the room document's catch summaries change (the server mirrors every catch and
 * verdict there). Pass it as CatchesPanel's `refreshKey` so the panel refetches at once instead of at its next poll.
 */
export function useCatchesVersion(doc: Y.Doc | null): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!doc) return;
    const map = catchesMap(doc);
    const bump = () => setVersion((v) => v + 1);
    map.observe(bump);
    return () => map.unobserve(bump);
  }, [doc]);
  return version;
}
