import { processCliEnv, rootProgram, runProgram, type CliCommand, type CliEnv } from "./command";

// Each command lives in its own module and is loaded only when called, so `spec lint` does not load the database code.
const COMMANDS: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  spec: { summary: "Spec stats, caption lint, spec check (no database)", load: () => import("./commands/spec").then((m) => m.specCommand) },
  import: { summary: "Register WebM/MP4 clips, or load CHAI records (import --chai)", load: () => import("./commands/import").then((m) => m.importCommand) },
  users: { summary: "Add, list and change accounts", load: () => import("./commands/users").then((m) => m.usersCommand) },
  draft: { summary: "Draft every labelled task of a project", load: () => import("./commands/draft").then((m) => m.draftCommand) },
  export: { summary: "Write training datasets", load: () => import("./commands/export").then((m) => m.exportCommand) },
  eval: { summary: "Evaluate: BLEU, yes/no reward accuracy, primitive agreement", load: () => import("./commands/eval").then((m) => m.evalCommand) },
  camerabench: { summary: "Convert CameraBench label lists into our labels (no database)", load: () => import("./commands/camerabench").then((m) => m.cameraBenchCommand) },
};

/** `npm run chai -- <command> …`; returns the exit code. */
export async function runCli(argv: string[], env: CliEnv): Promise<number> {
  const program = rootProgram(env).usage("<command> [options]").addHelpText("after", "\nEach command takes --help.");
  const called = argv[0];
  let userErrors: CliCommand["userErrors"];
  for (const [name, entry] of Object.entries(COMMANDS)) {
    if (name === called) {
      const command = await entry.load();
      userErrors = command.userErrors;
      program.addCommand(command.build(env).summary(entry.summary));
    } else {
      // Listed in the help only; never run, since the called command is the one loaded above.
      program.command(name).usage("[options]").summary(entry.summary);
    }
  }
  return runProgram(program, argv, env, userErrors);
}

runCli(process.argv.slice(2), processCliEnv()).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
