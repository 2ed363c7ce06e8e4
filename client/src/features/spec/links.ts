/** The spec browser's address, optionally opened on one primitive. A query parameter rather than a path segment:
 *  primitive ids contain dots, which static servers and dev servers read as file extensions. */
export const SPEC_PATH = "/spec";

export function specHref(primitiveId?: string | null): string {
  return primitiveId ? `${SPEC_PATH}?p=${encodeURIComponent(primitiveId)}` : SPEC_PATH;
}

/** The primitive a spec-browser URL points at, or null. */
export function primitiveFromSearch(search: string): string | null {
  const id = new URLSearchParams(search).get("p");
  return id && id.length <= 200 ? id : null;
}
