import { Command } from "commander";
import { corpusBleu, formatBleu } from "../../../shared/metrics/bleu";
import { AgreementError, primitiveAgreement, type AgreementReport } from "../../eval/agreement";
import { readLines } from "../../eval/lines";
import { rewardAccuracy, type RewardAccuracy } from "../../eval/reward";
import { CliFailure, collect, runCommand, usageError, withDb, type CliCommand, type CliEnv } from "../command";

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

type FileOptions = { pred?: string; ref: string[]; json?: boolean };

/**
 * Reads the prediction and reference files and scores them; `one` when exactly one reference file is allowed. An
 * unreadable file or files of different lengths are the user's to fix (exit 1).
 */
async function scoreFiles<T>(opts: FileOptions, command: Command, one: boolean, score: (pred: string[], refs: string[][]) => T): Promise<T> {
  const ok = opts.pred !== undefined && opts.ref.length > 0 && (!one || opts.ref.length === 1);
  if (!ok) usageError(command, one ? "--pred P and one --ref R are required." : "--pred P and at least one --ref R are required.");
  try {
    return score(await readLines(opts.pred!), await Promise.all(opts.ref.map(readLines)));
  } catch (err) {
    throw new CliFailure(err instanceof Error ? err.message : String(err));
  }
}

/** `eval bleu|reward|agreement …`. */
export const evalCommand: CliCommand = {
  userErrors: [AgreementError],
  build(env) {
    const evaluate = new Command("eval").usage("<metric> [options]").description("Evaluates model output and annotator agreement.");
    const fileOptions = (c: Command) =>
      c
        .option("--pred <P>", "predictions, one per line")
        .option("--ref <R>", "references, one per line (repeatable)", collect, [])
        .option("--json", "print the result as JSON");
    fileOptions(
      evaluate
        .command("bleu")
        .usage("--pred P --ref R [--ref R2 …] [--json]")
        .description(
          "Corpus BLEU-4 on a 0–100 scale, as sacreBLEU's defaults compute it (13a tokenisation, exp smoothing, 0 when " +
            "nothing matches), one sentence per line; several --ref files are several references per line. Prints " +
            "sacreBLEU's line: the score, the 1–4-gram precisions, BP, ratio and lengths.",
        ),
    ).action(async (opts: FileOptions, command: Command) => {
      const result = await scoreFiles(opts, command, false, corpusBleu);
      env.out(opts.json ? JSON.stringify(result) : formatBleu(result));
    });
    fileOptions(
      evaluate
        .command("reward")
        .usage("--pred P --ref R [--json]")
        .description('Yes/no accuracy, one answer per line (plain "Yes"/"No", or records of the reward-yesno export).'),
    ).action(async (opts: FileOptions, command: Command) => {
      const result = await scoreFiles(opts, command, true, (pred, refs) => rewardAccuracy(pred, refs[0] ?? []));
      if (opts.json) env.out(JSON.stringify(result));
      else formatReward(result).forEach((l) => env.out(l));
    });
    evaluate
      .command("agreement")
      .usage("[--project NAME] [--json]")
      .description(
        "Primitive agreement between annotators of the same clip and aspect: Krippendorff's alpha (nominal) per " +
          "sub-aspect and pooled, from the labels in the database.",
      )
      .option("--project <NAME>", "only this project")
      .option("--json", "print the report as JSON")
      .action(async (opts: { project?: string; json?: boolean }) => {
        const report = await withDb(env, (db) => primitiveAgreement(db, { projectName: opts.project }));
        if (opts.json) env.out(JSON.stringify(report));
        else formatAgreement(report).forEach((l) => env.out(l));
      });
    return evaluate.addHelpText(
      "after",
      `
Examples:
  npm run chai -- eval bleu --pred hyp.txt --ref ref.txt
  npm run chai -- eval reward --pred answers.txt --ref ./export/reward-yesno.test.jsonl
  npm run chai -- eval agreement --project Demo`,
    );
  },
};

/** `eval …` over `env`; returns the exit code. */
export const runEval = (args: string[], env: CliEnv): Promise<number> => runCommand(evalCommand, args, env);
