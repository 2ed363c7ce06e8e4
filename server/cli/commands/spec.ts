import fs from "node:fs/promises";
import { Command, Option } from "commander";
import { ASPECTS, Aspect } from "../../../shared/domain";
import { formatSpecError, type LoadedSpec } from "../../../shared/captionSpec/loader";
import {
  lintCaption,
  MAX_LINT_TEXT,
  primitiveById,
  unknownPrimitiveIds,
  type Finding,
} from "../../../shared/captionSpec/lint";
import type { Spec } from "../../../shared/captionSpec/schema";
import { DEFAULT_SPEC_DIR, loadSpecDir } from "../../captionSpec/index";
import { CliExit, EXIT, oneOf, usageError, type CliCommand, type CliEnv } from "../command";

/** Prints why the spec in `dir` does not load and ends with exit code 1. */
async function load(dir: string, env: CliEnv): Promise<LoadedSpec> {
  const result = await loadSpecDir(dir);
  if (result.ok) return result;
  const n = result.errors.length;
  env.err(`The spec in ${dir} does not load (${n} error${n === 1 ? "" : "s"}):`);
  for (const e of result.errors) env.err(`  ${formatSpecError(e)}`);
  throw new CliExit(EXIT.failed);
}

export function specStats(spec: Spec) {
  const aspects: Record<string, { subAspects: number; primitives: number }> = {};
  for (const a of spec.aspects) {
    aspects[a.aspect] = {
      subAspects: a.subAspects.length,
      primitives: a.subAspects.reduce((n, s) => n + s.primitives.length, 0),
    };
  }
  return { version: spec.version, primitives: Object.keys(spec.primitives).length, aspects };
}

async function stats(env: CliEnv, opts: { json?: boolean; dir: string }): Promise<void> {
  const { spec } = await load(opts.dir, env);
  const summary = specStats(spec);
  if (opts.json) {
    env.out(JSON.stringify(summary));
    return;
  }
  const subCount = spec.aspects.reduce((n, a) => n + a.subAspects.length, 0);
  env.out(`${spec.name} ${spec.version}`);
  env.out(`${summary.primitives} primitives in ${subCount} sub-aspects of ${spec.aspects.length} aspects`);
  for (const a of spec.aspects) {
    const s = summary.aspects[a.aspect]!;
    env.out("");
    env.out(`${a.aspect}: ${s.primitives} primitives, ${s.subAspects} sub-aspects`);
    for (const sub of a.subAspects) {
      env.out(`  ${sub.id.padEnd(36)} ${sub.value.padEnd(9)} ${String(sub.primitives.length).padStart(3)}`);
    }
  }
}

async function readText(source: string): Promise<string> {
  if (source !== "-") return fs.readFile(source, "utf8");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

/** Ids of the spec that end like the unknown one: a hint when the sub-aspect part is wrong. */
function closeIds(spec: Spec, id: string): string[] {
  const last = id.split(".").pop() ?? id;
  return Object.keys(spec.primitives)
    .filter((k) => k.endsWith(`.${last}`) || k.includes(last))
    .slice(0, 5);
}

export function formatFinding(f: Finding): string {
  const span = f.start === null ? "-" : `${f.start}-${f.end}`;
  return `${span.padEnd(9)} ${f.rule.padEnd(10)} "${f.text}"  ${f.message}\n          fix: ${f.suggestion}`;
}

type LintOptions = { aspect?: Aspect; primitives?: string; json?: boolean; dir: string };

async function lint(env: CliEnv, source: string, opts: LintOptions, command: Command): Promise<void> {
  const { aspect } = opts;
  const ids = (opts.primitives ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

  const { spec, lexicon } = await load(opts.dir, env);
  const unknown = unknownPrimitiveIds(spec, ids);
  if (unknown.length) {
    const hints = unknown.map((id) => {
      const close = closeIds(spec, id);
      return `  ${id}${close.length ? ` (did you mean ${close.join(", ")}?)` : ""}`;
    });
    usageError(command, `Unknown primitive id${unknown.length === 1 ? "" : "s"}:\n${hints.join("\n")}`);
  }
  const foreign = aspect ? ids.filter((id) => primitiveById(spec, id)?.aspect !== aspect) : [];
  if (foreign.length) usageError(command, `Not ${aspect} primitives: ${foreign.join(", ")}.`);

  let text: string;
  try {
    text = await readText(source);
  } catch (err) {
    usageError(command, `Cannot read ${source}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (text.length > MAX_LINT_TEXT) usageError(command, `The text is longer than ${MAX_LINT_TEXT} characters.`);

  const findings = lintCaption(text, { spec, lexicon, aspect, primitives: ids });
  if (opts.json) {
    env.out(JSON.stringify({ version: spec.version, findings }));
  } else if (findings.length === 0) {
    env.out("No findings.");
  } else {
    for (const f of findings) env.out(formatFinding(f));
    env.out(`${findings.length} finding${findings.length === 1 ? "" : "s"}.`);
  }
  if (findings.length) throw new CliExit(EXIT.failed);
}

async function check(env: CliEnv, opts: { dir: string }): Promise<void> {
  const loaded = await load(opts.dir, env);
  const s = specStats(loaded.spec);
  env.out(`The spec loads: ${s.version}, ${s.primitives} primitives, ${loaded.spec.aspects.length} aspects.`);
}

/** Every subcommand reads the repo's spec/ folder unless told otherwise. */
const dirOption = () => new Option("--dir <folder>", "read another spec folder").default(DEFAULT_SPEC_DIR, "the repo's spec/");

/** `spec stats|lint|check`: reads only the spec folder, never the database. */
export const specCommand: CliCommand = {
  build(env) {
    const spec = new Command("spec").description("The caption specification: statistics, caption lint, loader check.");
    spec
      .command("stats")
      .usage("[--json] [--dir <folder>]")
      .description("Prints the spec version and the number of primitives per aspect and sub-aspect.")
      .option("--json", 'print {"version", "primitives": N, "aspects": {"camera": {"subAspects": n, "primitives": n}, ...}}')
      .addOption(dirOption())
      .action((opts: { json?: boolean; dir: string }) => stats(env, opts));
    spec
      .command("lint")
      .usage("[--aspect A] [--primitives id,id,...] [--json] <file|->")
      .description(
        'Lints a caption or a critique read from a file, or from stdin with "-": subjective words, hedges, imprecise ' +
          "terms, confusions between the labelled primitives (--primitives) and the words used, and labelled primitives " +
          'the text never mentions. Each finding has a character span start-end (end exclusive; none for "missing"), ' +
          "the rule, the quoted text and a suggested fix.\n" +
          "Exit 0: no findings; 1: findings; 2: usage error (unknown aspect or primitive id).",
      )
      .argument("<file|->", 'the text to lint, or "-" for stdin')
      .option("--aspect <A>", `lint as a caption of this aspect (${ASPECTS.join(", ")})`, oneOf("--aspect", ASPECTS))
      .option("--primitives <ids>", "the labelled primitives, comma-separated")
      .option("--json", "print the findings as JSON")
      .addOption(dirOption())
      .action((source: string, opts: LintOptions, command: Command) => lint(env, source, opts, command));
    spec
      .command("check")
      .usage("[--dir <folder>]")
      .description("Loads the spec and prints every error with file, line and path. Exit 0 when it loads, 1 when not.")
      .addOption(dirOption())
      .action((opts: { dir: string }) => check(env, opts));
    return spec.addHelpText(
      "after",
      `
Examples:
  npm run -s chai -- spec stats --json
  echo "The camera zooms toward a tense man." | npm run -s chai -- spec lint --aspect camera --primitives camera.movement_translation.dolly_in -
  npm run -s chai -- spec check`,
    );
  },
};
