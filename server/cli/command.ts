/** One CLI command: `npm run chai -- <name> [args]`. run() returns the process exit code. */
export type CliCommand = {
  name: string;
  summary: string;
  /** Full --help text: usage line, options, examples. */
  help: string;
  run(args: string[]): Promise<number>;
};

/** True when the args ask for help anywhere before a bare `--`. */
export function wantsHelp(args: string[]): boolean {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === "--help" || a === "-h");
}
