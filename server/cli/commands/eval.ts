import { parseArgs } from "node:util";
import { corpusBleu, type BleuResult } from "../../../shared/metrics/bleu";
import { AgreementError, primitiveAgreement, type AgreementReport } from "../../eval/agreement";
import { readLines } from "../../eval/lines";
import { rewardAccuracy, type RewardAccuracy } from "../../eval/reward";
import type { CliCommand } from "../command";
import { processCliEnv, type CliEnv } from "./cliEnv";

const help = `Usage: npm run chai -- eval <metric> [options]

Metrics:
  bleu --pred P --ref R [--ref R2 …] [--json]
      Corpus BLEU-4 on a 0–100 scale (13a tokenisation, standard brevity penalty), one sentence per line; several
      --ref files are several references per line. Prints the score, the 1–4-gram precisions, BP and lengths.
  reward --pred P --ref R [--json]
      Yes/no accuracy, one answer per line (plain "Yes"/"No", or records of the reward-yesno export).
  agreement [--project NAME] [--json]
      Primitive agreement between annotators of the same clip and aspect: Krippendorff's alpha (nominal) per
      sub-aspect and pooled, from the labels in the database.

Examples:
  npm run chai -- eval bleu --pred hyp.txt --ref ref.txt
  npm run chai -- eval reward --pred answers.txt --ref ./export/reward-yesno.test.jsonl
  npm run chai -- eval agreement --project Demo`;

const options = {
  pred: { type: "string" },
  ref: { type: "string", multiple: true },
  project: { type: "string" },
  json: { type: "boolean", default: false },
} as const;

export function formatBleu(r: BleuResult): string {
  return (
    `BLEU = ${r.score.toFixed(2)} ${r.precisions.map((p) => p.toFixed(1)).join("/")} ` +
    `(BP = ${r.brevityPenalty.toFixed(3)} ratio = ${(r.refLength ? r.hypLength / r.refLength : 0).toFixed(3)} ` +
    `hyp_len = ${r.hypLength} ref_len = ${r.refLength})`
  );
}

export function formatReward(r: RewardAccuracy): string[] {
  return [
    `accuracy = ${(100 * r.accuracy).toFixed(2)}% (${r.correct}/${r.total} correct, ${r.invalid} neither yes nor no)`,
    `reference: ${r.refYes} yes, ${r.refNo} no; predicted yes: ${r.truePositive} right, ${r.falsePositive} wrong; ` +
      `predicted no: ${r.trueNegative} right, ${r.falseNegative} wrong`,
  ];
}

const alphaText = (a: number | null) => (a === null ? "n/a" : a.toFixed(3));

export function formatAgreement(r: AgreementReport): string[] {
  if (r.clipsCompared === 0) return ["No clip and aspect was labelled by two or more annotators: nothing to compare."];
  return [
    `${r.clipsCompared} clip×aspect labelled by 2+ annotators`,
    `${"sub-aspect".padEnd(36)} ${"kind".padEnd(10)} ${"alpha".padStart(7)} ${"units".padStart(6)} ${"values".padStart(7)}`,
    ...r.subAspects.map(
      (s) => `${s.subAspect.padEnd(36)} ${s.kind.padEnd(10)} ${alphaText(s.alpha).padStart(7)} ${String(s.units).padStart(6)} ${String(s.values).padStart(7)}`,
    ),
    `${"(pooled)".padEnd(36)} ${"".padEnd(10)} ${alphaText(r.overall.alpha).padStart(7)} ${String(r.overall.units).padStart(6)} ${String(r.overall.values).padStart(7)}`,
  ];
}

/** `eval bleu|reward|agreement …`; returns the exit code. */
export async function runEval(args: string[], env: CliEnv): Promise<number> {
  const [metric, ...rest] = args;
  if (!metric || !["bleu", "reward", "agreement"].includes(metric)) {
    env.err(`${metric ? `Unknown metric "${metric}".` : "Missing metric."}\n\n${help}`);
    return 2;
  }
  let values: { pred?: string; ref?: string[]; project?: string; json?: boolean };
  try {
    values = parseArgs({ args: rest, options, allowPositionals: false, strict: true }).values;
  } catch (err) {
    env.err(`${err instanceof Error ? err.message : String(err)}\n\n${help}`);
    return 2;
  }
  if (metric === "agreement") {
    const { db, close } = await env.openDb();
    try {
      const report = await primitiveAgreement(db, { projectName: values.project });
      if (values.json) env.out(JSON.stringify(report));
      else formatAgreement(report).forEach((l) => env.out(l));
      return 0;
    } catch (err) {
      if (err instanceof AgreementError) {
        env.err(err.message);
        return 1;
      }
      throw err;
    } finally {
      await close();
    }
  }
  const refs = values.ref ?? [];
  if (!values.pred || refs.length === 0 || (metric === "reward" && refs.length !== 1)) {
    env.err(`${metric === "reward" ? "--pred P and one --ref R are required." : "--pred P and at least one --ref R are required."}\n\n${help}`);
    return 2;
  }
  try {
    const pred = await readLines(values.pred);
    const refLines = await Promise.all(refs.map(readLines));
    if (metric === "bleu") {
      const result = corpusBleu(pred, refLines);
      if (values.json) env.out(JSON.stringify(result));
      else env.out(formatBleu(result));
    } else {
      const result = rewardAccuracy(pred, refLines[0] ?? []);
      if (values.json) env.out(JSON.stringify(result));
      else formatReward(result).forEach((l) => env.out(l));
    }
    return 0;
  } catch (err) {
    env.err(err instanceof Error ? err.message : String(err));
    return 1;
  }
}

export const evalCommand: CliCommand = {
  name: "eval",
  summary: "evaluate: eval bleu|reward|agreement",
  help,
  run: (args) => runEval(args, processCliEnv()),
};

export default evalCommand;
