import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * An exclusive lock on an embedded (PGlite) data folder. PGlite does not lock its folder itself: a second process
 * that opens it writes into its own copy of the pages, and whichever process closes last silently discards the
 * other's writes. So every opener takes this lock first; the loser gets DataDirLockedError and writes nothing.
 *
 * The lock is a file beside the folder (`<folder>.lock`, never inside it: PGlite owns its folder's content), created
 * with O_EXCL so only one process wins, holding who owns it. It is released on close, on process exit, and on a
 * signal that would otherwise kill the process; a lock whose process is gone (crash, kill -9) is taken over.
 */

export type LockHolder = {
  role: "server" | "cli";
  /** For a server: where it answers, once it listens. */
  url?: string;
  /** For a CLI run: the command line, e.g. "users add". */
  command?: string;
};

export type LockInfo = LockHolder & { pid: number; hostname: string; startedAt: string };

export type DataDirLock = {
  readonly file: string;
  /** Adds to what the lock file says about its holder (the server's URL is known only once it listens). */
  update(patch: Partial<LockHolder>): void;
  release(): void;
};

/** The folder is held by another live process; `info` says which. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly info: LockInfo,
  ) {
    super(lockedMessage(dataDir, info, "server"));
    this.name = "DataDirLockedError";
  }
}

export const lockFileOf = (dataDir: string): string => `${path.resolve(dataDir)}.lock`;

/** Who holds the folder, in words: "the CHAI Studio server (pid 1234, http://localhost:3000)". */
export function describeHolder(info: LockInfo): string {
  const where = [`pid ${info.pid}`];
  if (info.hostname !== os.hostname()) where.push(`on host ${info.hostname}`);
  if (info.role === "server") return `The CHAI Studio server (${[...where, ...(info.url ? [info.url] : [])].join(", ")})`;
  return `A CHAI Studio command${info.command ? ` ("${info.command}")` : ""} (${where.join(", ")})`;
}

/** The message for an opener that was refused; `opener` decides what it is told to do. */
export function lockedMessage(dataDir: string, info: LockInfo, opener: "server" | "cli"): string {
  const shown = displayPath(dataDir);
  const stop = info.role === "server" ? "Stop that server first" : "Wait for it to finish";
  const alternatives =
    opener === "server"
      ? `, or give this server another DATA_DIR, or run on PostgreSQL (DATABASE_URL), where several servers and the CLI can work at once.`
      : `, or run the server and the CLI on PostgreSQL (DATABASE_URL) — then both can write at once.`;
  const stale = ` If pid ${info.pid} is not CHAI Studio, delete ${displayPath(lockFileOf(dataDir))}.`;
  const done = opener === "cli" ? " Nothing was changed." : "";
  return `${describeHolder(info)} is using the embedded database in ${shown}. ${stop}${alternatives}${stale}${done}`;
}

function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? `./${rel}` : p;
}

/** Whether `pid` is a live process on this host (EPERM: alive, only not ours to signal). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readInfo(file: string): LockInfo | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<LockInfo>;
    if (typeof parsed.pid !== "number" || typeof parsed.hostname !== "string") return undefined;
    return { ...parsed, role: parsed.role === "server" ? "server" : "cli", startedAt: String(parsed.startedAt ?? "") } as LockInfo;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    // Unreadable or half-written (a crash between create and write): treated as stale below.
    return { role: "cli", pid: -1, hostname: os.hostname(), startedAt: "" };
  }
}

/** A lock is stale when its process is gone: only decidable for a process on this host. */
const isStale = (info: LockInfo): boolean => info.hostname === os.hostname() && (info.pid <= 0 || !alive(info.pid));

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Takes the lock on `dataDir` for this process, or throws DataDirLockedError naming the live holder. A stale lock
 * is taken over, with a line through `log`.
 */
export function acquireDataDirLock(dataDir: string, holder: LockHolder, log: (line: string) => void = console.warn): DataDirLock {
  const file = lockFileOf(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let info: LockInfo = { ...holder, pid: process.pid, hostname: os.hostname(), startedAt: new Date().toISOString() };

  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(info), { flag: "wx" });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const held = readInfo(file);
    if (!held) continue; // released between our create and our read: try again
    if (!isStale(held) || attempt >= 3) throw new DataDirLockedError(dataDir, held);
    takeOver(file, held, log);
  }

  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    for (const s of SIGNALS) process.off(s, onSignal);
    // Only our own lock: never remove one another process took over after us.
    if (readInfo(file)?.pid === process.pid) fs.rmSync(file, { force: true });
  };
  // A signal nobody else handles would kill the process without running "exit" handlers: release, then die of it as
  // before. When the process handles the signal itself (the server closes gracefully), its close releases the lock.
  function onSignal(signal: NodeJS.Signals) {
    if (process.listenerCount(signal) > 1) return;
    release();
    process.kill(process.pid, signal);
  }
  process.on("exit", release);
  for (const s of SIGNALS) process.on(s, onSignal);

  return {
    file,
    update(patch) {
      if (released) return;
      info = { ...info, ...patch };
      fs.writeFileSync(file, JSON.stringify(info));
    },
    release,
  };
}

/**
 * Moves a stale lock aside atomically (rename), so two processes taking over at once cannot both win: the one whose
 * rename finds the file gone, or finds a different holder than it judged stale, puts it back and tries again.
 */
function takeOver(file: string, stale: LockInfo, log: (line: string) => void): void {
  const aside = `${file}.stale-${process.pid}`;
  try {
    fs.renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  const moved = readInfo(aside);
  if (moved && (moved.pid !== stale.pid || moved.startedAt !== stale.startedAt)) {
    fs.renameSync(aside, file); // someone else's fresh lock: restore it
    return;
  }
  fs.rmSync(aside, { force: true });
  const who = stale.pid > 0 ? `pid ${stale.pid}, started ${stale.startedAt || "at an unknown time"}` : "unreadable";
  log(`[db] took over a stale lock on ${file.replace(/\.lock$/, "")} (${who}; that process is gone).`);
}
