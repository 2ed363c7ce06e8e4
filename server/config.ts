import net from "node:net";
import path from "node:path";
import { z } from "zod";
import { FRAME_INPUTS, OPENAI_SERVERS, type FrameInput, type OpenAiServer } from "./pipeline/providers/openai";

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
  /** Which OpenAI-compatible server OPENAI_BASE_URL is (decides what it is sent); inferred from the URL when unset. */
  OPENAI_SERVER: z.enum(OPENAI_SERVERS).optional(),
  /** How sampled frames reach the model: labelled images, or one video part where the server takes it (vLLM). */
  FRAME_INPUT: z.enum(FRAME_INPUTS).optional(),
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
  /** Background jobs (server/jobs): a worker silent this long loses its job to another process (pg-boss: at least 10). */
  JOB_HEARTBEAT_SECONDS: z.coerce.number().int().min(10).max(3600).default(30),
  /** How many times a job whose worker died is taken over before it is failed. */
  JOB_RETRY_LIMIT: z.coerce.number().int().min(0).max(100).default(5),
  /** How often an idle worker looks for jobs (a LISTEN/NOTIFY wake-up usually comes first). */
  JOB_POLL_SECONDS: z.coerce.number().min(0.5).max(600).default(2),
  /** How often a process checks for jobs whose worker went silent. */
  JOB_SUPERVISE_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
  /** json: one JSON object a line (for a log collector); pretty: short human lines, only when asked for. */
  LOG_FORMAT: z.enum(["json", "pretty"]).default("json"),
  /** Bearer token for GET /api/metrics (Prometheus); unset, the endpoint does not exist (404). */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** On SIGTERM: how long readiness says "draining" while requests are still served, before the listener closes. */
  SHUTDOWN_DRAIN_DELAY_MS: z.coerce.number().int().min(0).max(120_000).default(0),
  /** On SIGTERM: the bound on waiting for in-flight requests and the room write queue before closing anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
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
  openaiServer: OpenAiServer | undefined;
  frameInput: FrameInput | undefined;
  sessionSecret: string | undefined;
  allowedOrigins: string[];
  /** Addresses/ranges of reverse proxies whose forwarded headers are trusted (server/http/proxy.ts). */
  trustedProxies: string[];
  demo: boolean;
  logLevel: "silent" | "error" | "info" | "debug";
  /** Durable background jobs: how a dead worker is noticed and its job handed on (server/jobs). */
  jobs: JobsConfig;
  logFormat: "json" | "pretty";
  /** Bearer token of GET /api/metrics; undefined = no metrics endpoint. */
  metricsToken: string | undefined;
  /** Graceful shutdown (server/server.ts): readiness-draining period, then the bound on the drain itself. */
  shutdownDrainDelayMs: number;
  shutdownTimeoutMs: number;
};

export type JobsConfig = { heartbeatSeconds: number; retryLimit: number; pollSeconds: number; superviseSeconds: number };

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
    openaiServer: e.OPENAI_SERVER,
    frameInput: e.FRAME_INPUT,
    sessionSecret: e.SESSION_SECRET,
    allowedOrigins: commaList(e.ALLOWED_ORIGINS),
    trustedProxies: commaList(e.TRUSTED_PROXIES),
    demo: e.DEMO === "1",
    logLevel: e.LOG_LEVEL,
    jobs: {
      heartbeatSeconds: e.JOB_HEARTBEAT_SECONDS,
      retryLimit: e.JOB_RETRY_LIMIT,
      pollSeconds: e.JOB_POLL_SECONDS,
      superviseSeconds: e.JOB_SUPERVISE_SECONDS,
    },
    logFormat: e.LOG_FORMAT,
    metricsToken: e.METRICS_TOKEN,
    shutdownDrainDelayMs: e.SHUTDOWN_DRAIN_DELAY_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  };
}
