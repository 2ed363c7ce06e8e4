import type { CliCommand } from "./command";
import { wantsHelp } from "./command";

// Each command lives in its own module and is loaded only when called, so `spec lint` does not open a database.
const COMMANDS: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  // Registered commands (one line each): name → lazy module.
  spec: { summary: "Spec stats, caption lint, spec check", load: () => import("./commands/spec").then((m) => m.specCommand) },
  import: { summary: "Register WebM/MP4 clips (import <file-or-folder>)", load: () => import("./commands/import").then((m) => m.importCommand) },
  users: { summary: "Add, list and change accounts (users add --email E --role R)", load: () => import("./commands/users").then((m) => m.usersCommand) },
  draft: { summary: "Draft every labelled task of a project (draft --project P)", load: () => import("./commands/draft").then((m) => m.draftCommand) },
  export: { summary: "Write training datasets (export --format all --out DIR)", load: () => import("./commands/export").then((m) => m.exportCommand) },
  eval: { summary: "Evaluate: eval bleu|reward|agreement", load: () => import("./commands/eval").then((m) => m.evalCommand) },
};

function usage(): string {
  const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return ["Usage: npm run chai -- <command> [options]", "", "Commands:", ...rows, "", "Each command takes --help."].join(
    "\n",
  );
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return name ? 0 : 2;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    console.error(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  const command = await entry.load();
  if (wantsHelp(rest)) {
    console.log(command.help);
    return 0;
  }
  return command.run(rest);
}

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
