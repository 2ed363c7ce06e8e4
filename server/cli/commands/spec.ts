import fs from "node:fs/promises";
import { parseArgs } from "node:util";
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
import type { CliCommand } from "../command";

/** `npm run chai -- spec stats|lint|check`: reads only the spec folder, never the database. */

const HELP = `Usage: npm run chai -- spec <stats|lint|check> [options]

  spec stats [--json]
      Prints the spec version and the number of primitives per aspect and sub-aspect.
      --json prints {"version": "...", "primitives": N, "aspects": {"camera": {"subAspects": n, "primitives": n}, ...}}.

  spec lint [--aspect A] [--primitives id,id,...] [--json] <file|->
      Lints a caption or a critique read from a file, or from stdin with "-": subjective words, hedges, imprecise
      terms, confusions between the labelled primitives (--primitives) and the words used, and labelled primitives
      the text never mentions. Each finding has a character span start-end (end exclusive; none for "missing"),
      the rule, the quoted text and a suggested fix. --aspect lints as a caption of that aspect
      (${ASPECTS.join(", ")}). Exit 0: no findings; 1: findings; 2: usage error (unknown aspect or primitive id).

  spec check
      Loads the spec and prints every error with file, line and path. Exit 0 when it loads, 1 when not.

  Every subcommand takes --dir <folder> to read another spec folder (default: the repo's spec/).

Examples:
  npm run -s chai -- spec stats --json
  echo "The camera zooms toward a tense man." | npm run -s chai -- spec lint --aspect camera --primitives camera.movement_translation.dolly_in -
  npm run -s chai -- spec check`;

class UsageError extends Error {}

type Out = { log: (s: string) => void; error: (s: string) => void };
const console_: Out = { log: (s) => console.log(s), error: (s) => console.error(s) };

async function load(dir: string, out: Out): Promise<LoadedSpec | undefined> {
  const result = await loadSpecDir(dir);
  if (result.ok) return result;
  const n = result.errors.length;
  out.error(`The spec in ${dir} does not load (${n} error${n === 1 ? "" : "s"}):`);
  for (const e of result.errors) out.error(`  ${formatSpecError(e)}`);
  return undefined;
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

async function stats(args: string[], out: Out): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: "boolean" }, dir: { type: "string" } }, strict: true });
  const loaded = await load(values.dir ?? DEFAULT_SPEC_DIR, out);
  if (!loaded) return 1;
  const { spec } = loaded;
  const summary = specStats(spec);
  if (values.json) {
    out.log(JSON.stringify(summary));
    return 0;
  }
  const subCount = spec.aspects.reduce((n, a) => n + a.subAspects.length, 0);
  out.log(`${spec.name} ${spec.version}`);
  out.log(`${summary.primitives} primitives in ${subCount} sub-aspects of ${spec.aspects.length} aspects`);
  for (const a of spec.aspects) {
    const s = summary.aspects[a.aspect]!;
    out.log("");
    out.log(`${a.aspect}: ${s.primitives} primitives, ${s.subAspects} sub-aspects`);
    for (const sub of a.subAspects) {
      out.log(`  ${sub.id.padEnd(36)} ${sub.value.padEnd(9)} ${String(sub.primitives.length).padStart(3)}`);
    }
  }
  return 0;
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

async function lint(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      aspect: { type: "string" },
      primitives: { type: "string" },
      json: { type: "boolean" },
      dir: { type: "string" },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('spec lint takes one file, or "-" to read stdin.');
  const aspect = values.aspect === undefined ? undefined : Aspect.safeParse(values.aspect).data;
  if (values.aspect !== undefined && !aspect) {
    throw new UsageError(`Unknown aspect "${values.aspect}"; one of: ${ASPECTS.join(", ")}.`);
  }
  const ids = (values.primitives ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

  const loaded = await load(values.dir ?? DEFAULT_SPEC_DIR, out);
  if (!loaded) return 1;
  const { spec, lexicon } = loaded;
  const unknown = unknownPrimitiveIds(spec, ids);
  if (unknown.length) {
    const hints = unknown.map((id) => {
      const close = closeIds(spec, id);
      return `  ${id}${close.length ? ` (did you mean ${close.join(", ")}?)` : ""}`;
    });
    throw new UsageError(`Unknown primitive id${unknown.length === 1 ? "" : "s"}:\n${hints.join("\n")}`);
  }
  const foreign = aspect ? ids.filter((id) => primitiveById(spec, id)?.aspect !== aspect) : [];
  if (foreign.length) throw new UsageError(`Not ${aspect} primitives: ${foreign.join(", ")}.`);

  let text: string;
  try {
    text = await readText(positionals[0]!);
  } catch (err) {
    throw new UsageError(`Cannot read ${positionals[0]}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (text.length > MAX_LINT_TEXT) throw new UsageError(`The text is longer than ${MAX_LINT_TEXT} characters.`);

  const findings = lintCaption(text, { spec, lexicon, aspect, primitives: ids });
  if (values.json) {
    out.log(JSON.stringify({ version: spec.version, findings }));
  } else if (findings.length === 0) {
    out.log("No findings.");
  } else {
    for (const f of findings) out.log(formatFinding(f));
    out.log(`${findings.length} finding${findings.length === 1 ? "" : "s"}.`);
  }
  return findings.length ? 1 : 0;
}

async function check(args: string[], out: Out): Promise<number> {
  const { values } = parseArgs({ args, options: { dir: { type: "string" } }, strict: true });
  const loaded = await load(values.dir ?? DEFAULT_SPEC_DIR, out);
  if (!loaded) return 1;
  const s = specStats(loaded.spec);
  out.log(`The spec loads: ${s.version}, ${s.primitives} primitives, ${loaded.spec.aspects.length} aspects.`);
  return 0;
}

const SUBCOMMANDS: Record<string, (args: string[], out: Out) => Promise<number>> = { stats, lint, check };

export async function runSpec(args: string[], out: Out = console_): Promise<number> {
  const [sub, ...rest] = args;
  const run = sub ? SUBCOMMANDS[sub] : undefined;
  if (!run) {
    out.error(`${sub ? `Unknown subcommand "${sub}".` : "Missing subcommand."}\n\n${HELP}`);
    return 2;
  }
  try {
    return await run(rest, out);
  } catch (err) {
    // parseArgs throws TypeErrors with a code for unknown options and missing values.
    const isParseError = err instanceof TypeError && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS");
    if (err instanceof UsageError || isParseError) {
      out.error(`${err.message}\nSee: npm run chai -- spec --help`);
      return 2;
    }
    throw err;
  }
}

export const specCommand: CliCommand = {
  name: "spec",
  summary: "Spec stats, caption lint and spec check (no database)",
  help: HELP,
  run: (args) => runSpec(args),
};
