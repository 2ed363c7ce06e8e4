import net from "node:net";

/**
 * Who the client is and whether it came over https, believing X-Forwarded-* only from configured proxies: any client
 * can send those headers, so from an untrusted peer they would let it pick its rate-limit address or the cookie's
 * Secure flag.
 */
export type ProxyTrust = {
  /** Whether this direct peer is a configured proxy. */
  trusts(address: string | undefined): boolean;
};

/** "::ffff:10.0.0.1" (an IPv4 peer on a dual-stack socket) is 10.0.0.1. */
function plain(address: string): string {
  return address.startsWith("::ffff:") && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
}

/** Builds the trust list from TRUSTED_PROXIES entries (validated by config.ts: addresses or CIDR ranges). */
export function proxyTrust(entries: readonly string[]): ProxyTrust {
  const list = new net.BlockList();
  for (const entry of entries) {
    const [address = "", bits] = entry.split("/");
    const type = net.isIPv6(address) ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return {
    trusts(address) {
      if (!address || entries.length === 0) return false;
      const ip = plain(address);
      const family = net.isIP(ip);
      if (family === 0) return false;
      return list.check(ip, family === 6 ? "ipv6" : "ipv4");
    },
  };
}

/**
 * The client's address: the socket's peer, or — when that peer is a trusted proxy — the right-most X-Forwarded-For
 * entry that is not itself a trusted proxy (entries left of it were written by the client and prove nothing).
 */
export function resolveClientAddress(trust: ProxyTrust, peer: string | undefined, forwardedFor: string | undefined): string {
  let address = peer ? plain(peer) : "unknown";
  if (!trust.trusts(peer) || !forwardedFor) return address;
  const hops = forwardedFor
    .split(",")
    .map((h) => h.trim())
    .filter((h) => net.isIP(plain(h)) !== 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    address = plain(hops[i] ?? address);
    if (!trust.trusts(address)) break;
  }
  return address;
}

/** Whether the request came over https: the URL's own scheme, or X-Forwarded-Proto from a trusted proxy. */
export function resolveHttps(trust: ProxyTrust, peer: string | undefined, url: string, forwardedProto: string | undefined): boolean {
  if (new URL(url).protocol === "https:") return true;
  if (!trust.trusts(peer) || !forwardedProto) return false;
  // A chain of proxies may list one scheme per hop: the first is what the client used.
  return forwardedProto.split(",")[0]?.trim().toLowerCase() === "https";
}
