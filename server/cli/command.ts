import { Command, CommanderError, InvalidArgumentError, type Help } from "commander";
import { loadConfig, type Config } from "../config";
import type { Db } from "../db";
import { DataDirLockedError, lockedMessage } from "../db/dataDirLock";
import { DomainError } from "../errors";

/** What every command shares: argument parsing (commander), output, exit codes and opening the database. */

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** The program name in every usage line. */
export const PROGRAM = "npm run chai --";

/**
 * What a command needs from the outside world. The real one reads the environment; tests pass their own
 * configuration and database so the command's argument handling and output are exercised for real.
 */
export type CliEnv = {
  config: Config;
  openDb(): Promise<{ db: Db; close(): Promise<void> }>;
  out(line: string): void;
  err(line: string): void;
  /** Whether stdin is a terminal (a password may be prompted for). */
  interactive: boolean;
};

export function processCliEnv(): CliEnv {
  let loaded: Config | undefined;
  // Read on first use: `spec` and `--help` work whatever the environment holds.
  const config = () => (loaded ??= loadConfig());
  return {
    get config() {
      return config();
    },
    async openDb() {
      // Imported lazily: server.ts pulls in the whole HTTP app.
      const { openConfiguredDatabase } = await import("../server");
      try {
        const database = await openConfiguredDatabase(config(), { role: "cli", command: commandLine(process.argv.slice(2)) });
        return { db: database.db, close: () => database.close() };
      } catch (err) {
        // The embedded folder is held (by the running server, usually): refuse before anything is written.
        if (err instanceof DataDirLockedError) throw new CliFailure(lockedMessage(err.dataDir, err.info, "cli"));
        throw err;
      }
    },
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    interactive: process.stdin.isTTY === true,
  };
}

/** The command's words without its options ("users add"), for the lock file: never a --password value. */
function commandLine(argv: string[]): string {
  const words: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith("-") || words.length === 2) break;
    words.push(arg);
  }
  return words.join(" ");
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** One command of `npm run chai -- <name>`, built over an environment. */
export type CliCommand = {
  build(env: CliEnv): Command;
  /** Errors that are the user's to fix (bad input file, unknown project): their message is printed, exit 1. */
  userErrors?: readonly ErrorClass[];
};

/** Ends the command with a non-zero exit code; the message, if any, has already been printed. */
export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** A failure that is the user's to fix: its message is printed and the command ends with exit code 1. */
export class CliFailure extends Error {}

/** Prints a usage error of `command` and ends with exit code 2. */
export function usageError(command: Command, message: string): never {
  return command.error(message, { exitCode: EXIT.usage, code: "chai.usage" });
}

/** The value of a required option, or a usage error in our words ("--project is required."). */
export function required<T>(command: Command, value: T | undefined, message: string): T {
  if (value === undefined || value === "") usageError(command, message);
  return value;
}

/** An option parser that reports `parse`'s error message as commander's invalid-argument error (exit 2). */
export function parsedBy<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (err) {
      throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
    }
  };
}

/** An option parser that accepts one of `values` ("--aspect must be one of: subject, scene, …"). */
export function oneOf<T extends string>(flag: string, values: readonly T[]): (value: string) => T {
  const known = (value: string): value is T => (values as readonly string[]).includes(value);
  return parsedBy((value) => {
    if (!known(value)) throw new Error(`${flag} must be one of: ${values.join(", ")}.`);
    return value;
  });
}

/** An option parser for a repeatable option: every occurrence is kept, in order. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Opens the configured database for `fn` and closes it afterwards, whatever happens. */
export async function withDb<T>(env: CliEnv, fn: (db: Db) => Promise<T>): Promise<T> {
  const { db, close } = await env.openDb();
  try {
    return await fn(db);
  } finally {
    await close();
  }
}

/** The root program: output through `env`, errors thrown (not process.exit), usage lines in the subcommand list. */
export function rootProgram(env: CliEnv): Command {
  const lines = (write: (line: string) => void) => (text: string) => write(text.replace(/\n$/, ""));
  return new Command(PROGRAM)
    .exitOverride()
    .configureOutput({ writeOut: lines(env.out), writeErr: lines(env.err) })
    .configureHelp({ subcommandTerm: (cmd: Command) => `${cmd.name()} ${cmd.usage()}` } satisfies Partial<Help>)
    .showHelpAfterError("(add --help for usage)");
}

/** Commands built elsewhere (addCommand) inherit the root's output and error settings. */
function inherit(parent: Command): void {
  for (const child of parent.commands) {
    child.copyInheritedSettings(parent);
    inherit(child);
  }
}

/** Parses `argv` with `program` and runs the chosen action; returns the exit code. */
export async function runProgram(program: Command, argv: string[], env: CliEnv, userErrors: readonly ErrorClass[] = []): Promise<number> {
  inherit(program);
  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (err instanceof CliExit) return err.code;
    if (err instanceof CliFailure || err instanceof DomainError || userErrors.some((c) => err instanceof c)) {
      env.err((err as Error).message);
      return EXIT.failed;
    }
    throw err;
  }
}

/** Runs one command as `npm run chai -- <name> …args` would (tests call this through each command's runX). */
export function runCommand(command: CliCommand, args: string[], env: CliEnv): Promise<number> {
  const program = rootProgram(env).addCommand(command.build(env));
  return runProgram(program, [program.commands[0]!.name(), ...args], env, command.userErrors);
}
