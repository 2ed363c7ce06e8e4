import type { Config } from "../config";

/**
 * Whether a state-changing request may come from this Origin: the page's own host, or an origin configured in
 * ALLOWED_ORIGINS. A missing Origin is allowed: browsers always send it on cross-site POSTs, so its absence means
 * a non-browser client (curl, the CLI), which carries no ambient cookie risk.
 */
export function isAllowedOrigin(config: Config, origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined || origin === "") return true;
  if (origin === "null") return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (host && parsed.host.toLowerCase() === host.toLowerCase()) return true;
  return config.allowedOrigins.some((allowed) => sameOrigin(allowed, parsed));
}

function sameOrigin(allowed: string, origin: URL): boolean {
  try {
    return new URL(allowed).origin === origin.origin;
  } catch {
    return false;
  }
}
