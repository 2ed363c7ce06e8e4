import path from "node:path";
import { z } from "zod";

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
    allowedOrigins: (e.ALLOWED_ORIGINS ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    demo: e.DEMO === "1",
    logLevel: e.LOG_LEVEL,
  };
}
