import { describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { proxyTrust, resolveClientAddress, resolveHttps } from "./proxy";

describe("forwarded headers", () => {
  const none = proxyTrust([]);
  const proxies = proxyTrust(["10.0.0.1", "172.16.0.0/12", "fd00::/8"]);

  it("trusts only configured addresses and ranges (IPv4-mapped IPv6 peers included)", () => {
    expect(none.trusts("10.0.0.1")).toBe(false);
    expect(proxies.trusts("10.0.0.1")).toBe(true);
    expect(proxies.trusts("::ffff:10.0.0.1")).toBe(true);
    expect(proxies.trusts("172.20.1.2")).toBe(true);
    expect(proxies.trusts("fd00::5")).toBe(true);
    expect(proxies.trusts("10.0.0.2")).toBe(false);
    expect(proxies.trusts(undefined)).toBe(false);
    expect(proxies.trusts("not an address")).toBe(false);
  });

  it("the client address: the socket peer unless it is a trusted proxy, then the right-most untrusted X-Forwarded-For hop", () => {
    expect(resolveClientAddress(none, "203.0.113.9", "1.2.3.4")).toBe("203.0.113.9");
    expect(resolveClientAddress(proxies, "203.0.113.9", "1.2.3.4")).toBe("203.0.113.9");
    expect(resolveClientAddress(proxies, "10.0.0.1", "1.2.3.4")).toBe("1.2.3.4");
    // The client wrote the left-most entry itself; the proxy appended the address it saw.
    expect(resolveClientAddress(proxies, "10.0.0.1", "6.6.6.6, 198.51.100.4")).toBe("198.51.100.4");
    // Two proxies in a row: skip the inner one.
    expect(resolveClientAddress(proxies, "10.0.0.1", "198.51.100.4, 172.16.0.9")).toBe("198.51.100.4");
    expect(resolveClientAddress(proxies, "10.0.0.1", "garbage")).toBe("10.0.0.1");
    expect(resolveClientAddress(proxies, undefined, "1.2.3.4")).toBe("unknown");
  });

  it("https: the URL's own scheme, or X-Forwarded-Proto from a trusted proxy only", () => {
    expect(resolveHttps(none, "203.0.113.9", "http://x/", "https")).toBe(false);
    expect(resolveHttps(proxies, "203.0.113.9", "http://x/", "https")).toBe(false);
    expect(resolveHttps(proxies, "10.0.0.1", "http://x/", "https")).toBe(true);
    expect(resolveHttps(proxies, "10.0.0.1", "http://x/", "https, http")).toBe(true);
    expect(resolveHttps(proxies, "10.0.0.1", "http://x/", "http")).toBe(false);
    expect(resolveHttps(none, undefined, "https://x/", undefined)).toBe(true);
  });

  it("TRUSTED_PROXIES is read from the environment, default none, and a bad entry stops start-up with its name", () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ TRUSTED_PROXIES: "10.0.0.1, 172.16.0.0/12,::1" }).trustedProxies).toEqual(["10.0.0.1", "172.16.0.0/12", "::1"]);
    expect(() => loadConfig({ TRUSTED_PROXIES: "10.0.0.1,proxy.local" })).toThrow(/TRUSTED_PROXIES/);
    expect(() => loadConfig({ TRUSTED_PROXIES: "10.0.0.0/33" })).toThrow(/TRUSTED_PROXIES/);
  });
});
