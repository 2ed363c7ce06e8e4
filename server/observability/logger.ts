import { pino, type DestinationStream, type Logger } from "pino";
import type { Config } from "../config";

export type { Logger } from "pino";

/** Field values a log line may carry: ids, counts, codes, durations. Never room content or request bodies. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export type LoggerOptions = {
  level: Config["logLevel"];
  format?: Config["logFormat"];
  /** Where lines go (tests capture them here); stdout otherwise. */
  destination?: DestinationStream;
};

/**
 * The one structured logger of the server (pino): one JSON object a line on stdout with an ISO time and a level
 * name, ready for a log collector. LOG_FORMAT=pretty turns each line into a short human one instead (a tiny
 * formatter here rather than another dependency).
 */
export function createLogger(opts: LoggerOptions): Logger {
  const destination = opts.destination ?? (opts.format === "pretty" ? prettyStream(process.stdout) : pino.destination({ dest: 1, sync: true }));
  return pino(
    {
      level: opts.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

const byConfig = new Map<string, Logger>();

/**
 * The process's logger for a configuration (one per level and format, so the many apps a test run builds share a
 * handful of them rather than opening stdout again each time).
 */
export function loggerFor(config: Pick<Config, "logLevel" | "logFormat">): Logger {
  const key = `${config.logLevel}:${config.logFormat}`;
  let logger = byConfig.get(key);
  if (!logger) byConfig.set(key, (logger = createLogger({ level: config.logLevel, format: config.logFormat })));
  return logger;
}

const LEVEL_WIDTH = 5;
const HIDDEN = new Set(["level", "time", "msg", "pid", "hostname"]);

/** One JSON log line as "12:00:01.234 INFO  message key=value …". */
export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const time = typeof entry.time === "string" ? entry.time.slice(11, 23) : "";
  const level = String(entry.level ?? "").toUpperCase().padEnd(LEVEL_WIDTH);
  const rest = Object.entries(entry)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" ");
  return `${time} ${level} ${String(entry.msg ?? "")}${rest ? `  ${rest}` : ""}`;
}

function prettyStream(out: NodeJS.WritableStream): DestinationStream {
  return { write: (line: string) => void out.write(`${prettyLine(line)}\n`) };
}
