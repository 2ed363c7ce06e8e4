import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../context";

/**
 * The content security policy of pages and API answers. The built client is same-origin scripts and styles only
 * (vite emits no inline script); styles allow 'unsafe-inline' because the editor (tiptap) injects a <style> element
 * and the collaboration carets set style attributes. `'self'` in connect-src covers the same-origin WebSocket.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", "data:", "blob:"],
  mediaSrc: ["'self'", "blob:"],
  fontSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", "blob:"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

const HSTS = "max-age=15552000; includeSubDomains";

/**
 * Security headers on every answer (pages, assets, API, errors): CSP, no framing, no MIME sniffing, no referrer
 * to other sites. HSTS only when the request came over https (a plain-http intranet install must not be pinned).
 * Runs after clientMiddleware, which decides whether the request was https.
 */
export function securityHeaders() {
  const base = secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    xFrameOptions: "DENY",
    xContentTypeOptions: "nosniff",
    referrerPolicy: "same-origin",
    strictTransportSecurity: false,
  });
  return createMiddleware<AppEnv>(async (c, next) => {
    await base(c, next);
    if (c.get("client")?.https) c.res.headers.set("Strict-Transport-Security", HSTS);
  });
}
