import net from "node:net";
import path from "node:path";
import { z } from "zod";

/** One address or CIDR range: "10.0.0.1", "10.0.0.0/8", "::1", "fd00::/8". */
function isAddressOrRange(entry: string): boolean {
  const [address, bits, extra] = entry.split("/");
  if (extra !== undefined || !address) return false;
  const family = net.isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n <= (family === 4 ? 32 : 128);
}

const commaList = (raw: string | undefined): string[] =>
  (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default("./.data"),
  VIDEO_ROOT: z.string().optional(),
  REDIS_URL: z.string().optional(),
  MODEL_PROVIDER: z.enum(["rules", "openai", "gemini"]).default("rules"),
  MODEL: z.string().optional(),
  OPENAI_BASE_URL: z.string().url().default("https://api.openai.com/v1"),
  OPENAI_API_KEY: z.string().optional(),
  GEMINI_API_KEY: z.string().optional(),
  SESSION_SECRET: z.string().optional(),
  /** Public origin(s) allowed for state-changing requests, comma-separated; the request's own host is always allowed. */
  ALLOWED_ORIGINS: z.string().optional(),
  /**
   * Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed, comma-separated addresses or CIDR ranges;
   * default none (a client could otherwise claim any address or https).
   */
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .refine((v) => commaList(v).every(isAddressOrRange), "must be comma-separated IP addresses or CIDR ranges, e.g. 10.0.0.1,172.16.0.0/12"),
  DEMO: z.enum(["0", "1"]).default("1"),
  LOG_LEVEL: z.enum(["silent", "error", "info", "debug"]).default("info"),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  videoRoot: string | undefined;
  redisUrl: string | undefined;
  modelProvider: "rules" | "openai" | "gemini";
  model: string | undefined;
  openaiBaseUrl: string;
  openaiApiKey: string | undefined;
  geminiApiKey: string | undefined;
  sessionSecret: string | undefined;
  allowedOrigins: string[];
  /** Addresses/ranges of reverse proxies whose forwarded headers are trusted (server/http/proxy.ts). */
  trustedProxies: string[];
  demo: boolean;
  logLevel: "silent" | "error" | "info" | "debug";
};

/** Reads configuration from the environment; a bad value stops start-up with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== "")));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    videoRoot: e.VIDEO_ROOT ? path.resolve(e.VIDEO_ROOT) : undefined,
    redisUrl: e.REDIS_URL,
    modelProvider: e.MODEL_PROVIDER,
    model: e.MODEL,
    openaiBaseUrl: e.OPENAI_BASE_URL,
    openaiApiKey: e.OPENAI_API_KEY,
    geminiApiKey: e.GEMINI_API_KEY,
    sessionSecret: e.SESSION_SECRET,
    allowedOrigins: commaList(e.ALLOWED_ORIGINS),
    trustedProxies: commaList(e.TRUSTED_PROXIES),
    demo: e.DEMO === "1",
    logLevel: e.LOG_LEVEL,
  };
}
