import { expect, it } from "vitest";
import { createApp } from "../app";
import { describeEachDb } from "../testing/db";
import { testConfig } from "../testing/testConfig";

const EXPECTED = {
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
};

function expectSecurityHeaders(res: Response) {
  for (const [name, value] of Object.entries(EXPECTED)) expect(res.headers.get(name), name).toBe(value);
  const csp = res.headers.get("content-security-policy") ?? "";
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
}

describeEachDb("security headers", (db) => {
  /** The app as server.ts builds it: the client's pages are added after the API, on the same app. */
  function appWithPages(overrides: Parameters<typeof testConfig>[0] = {}) {
    const app = createApp({ config: testConfig(overrides), database: db() });
    app.get("*", (c) => c.html("<!doctype html><title>CHAI Studio</title>"));
    return app;
  }

  it("are on pages, API answers and API errors", async () => {
    const app = appWithPages();
    for (const path of ["/", "/tasks/123", "/api/health", "/api/ready", "/api/me", "/api/nope"]) {
      const res = await app.request(path);
      expectSecurityHeaders(res);
    }
    const bad = await app.request("/api/auth/login", { method: "POST", body: "{nope" });
    expect(bad.status).toBe(400);
    expectSecurityHeaders(bad);
  });

  it("send HSTS only over https (a trusted proxy's word included), never over plain http", async () => {
    const plain = await appWithPages().request("/", {}, { incoming: { socket: { remoteAddress: "203.0.113.1" } } });
    expect(plain.headers.get("strict-transport-security")).toBeNull();
    const spoofed = await appWithPages().request("/", { headers: { "x-forwarded-proto": "https" } }, { incoming: { socket: { remoteAddress: "203.0.113.1" } } });
    expect(spoofed.headers.get("strict-transport-security")).toBeNull();
    const proxied = await appWithPages({ trustedProxies: ["10.1.2.3"] }).request(
      "/",
      { headers: { "x-forwarded-proto": "https" } },
      { incoming: { socket: { remoteAddress: "10.1.2.3" } } },
    );
    expect(proxied.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
  });
});
