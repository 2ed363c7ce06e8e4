import { Hono } from "hono";
import { requireUser } from "../../auth/middleware";
import type { AppDeps, AppEnv } from "../../context";
import { getLoadedSpec } from "../../captionSpec/index";
import type { LoadedSpec } from "../../../shared/captionSpec/loader";

/**
 * GET /api/spec → {spec, lexicon} (shared/captionSpec types). The spec version is the ETag: it changes with any edit of the
 * content, so clients revalidate cheaply and get a 304 while the spec is unchanged.
 */

export const SPEC_CACHE_CONTROL = "private, max-age=300";

/** The serialised body is built once per loaded spec: it is a few hundred kilobytes and never changes. */
const bodies = new WeakMap<LoadedSpec, string>();

function bodyOf(loaded: LoadedSpec): string {
  let body = bodies.get(loaded);
  if (body === undefined) {
    body = JSON.stringify({ spec: loaded.spec, lexicon: loaded.lexicon });
    bodies.set(loaded, body);
  }
  return body;
}

/** True when an If-None-Match header (a list of entity tags, weak or strong, or "*") names this tag. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(",")
    .map((t) => t.trim().replace(/^W\//, ""))
    .some((t) => t === "*" || t === etag);
}

export function specRoutes(_deps: AppDeps, options: { specDir?: string } = {}) {
  return new Hono<AppEnv>().get("/", requireUser, async (c) => {
    const loaded = await getLoadedSpec(options.specDir);
    const etag = `"${loaded.spec.version}"`;
    c.header("ETag", etag);
    c.header("Cache-Control", SPEC_CACHE_CONTROL);
    // Per-user content behind a session cookie: caches keyed by URL alone must not share it.
    c.header("Vary", "Cookie");
    if (matchesEtag(c.req.header("if-none-match"), etag)) return c.body(null, 304);
    c.header("Content-Type", "application/json; charset=utf-8");
    return c.body(bodyOf(loaded), 200);
  });
}
