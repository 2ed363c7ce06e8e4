import { Command } from "commander";
import { getSpec } from "../../captionSpec/index";
import { ChaiImportError, importChai } from "../../dataset/importChai";
import { ImportError } from "../../videos/importer";
import { importClips, parseAspects } from "../../videos/importClips";
import { ASPECTS, type Aspect } from "../../../shared/domain";
import { RELEASE_FIELD_ALIASES } from "../../../shared/dataset/chaiRelease";
import { CliExit, EXIT, parsedBy, required, runCommand, usageError, withDb, type CliCommand, type CliEnv } from "../command";

type ImportOptions = {
  project?: string;
  aspects?: Aspect[];
  annotator?: string;
  link?: boolean;
  chai?: string;
  videos?: string;
  forceProject?: boolean;
};

const fieldList = Object.entries(RELEASE_FIELD_ALIASES)
  .map(([field, names]) => `    ${field.padEnd(18)} (also: ${names.slice(1).join(", ") || "—"})`)
  .join("\n");

const HELP_AFTER = `
CHAI records: npm run chai -- import --chai FILE --videos DIR [--project NAME] [--force-project]
  Loads CHAI records as tasks: FILE is JSON Lines (or one JSON array) in the released CHAI test-split layout, our
  own \`chai\` export, or the CHAI authors' annotation tool export (all_videos_with_captions_<ts>.json or
  reviewed_videos_<ts>.json: per clip video_id, video_url and captions.<aspect>; the \`chai-tool\` export format).
  Clips named by the records are registered from DIR (copied into DATA_DIR/videos; a clip already known by its
  SHA-256 is reused; a tool video is found by its video_id, or by its video_url when that is a path). Each record
  becomes a task with its accepted version (and, for our export, its labels, rounds, negatives, reviews and
  catches); people arrive as inactive pseudonymous accounts (names in the tool's files are pseudonymised).
  Released records become approved tasks with spec version "chai-release" in --project (default "Imported").
  Tool tasks approved or rejected become approved tasks (rejected = the reviewer's fix, the annotator's version kept
  as its negative), completed_not_reviewed ones submitted tasks, with spec version "chai-tool"; not_completed and
  error entries are skipped. Its workflow fields (prompts, models, ratings, the raw polish) are kept, so the
  \`chai-tool\` export writes them back.
  Released layout fields (first name canonical):
${fieldList}

Examples:
  npm run chai -- import ~/clips --project "Batch 1" --aspects all
  VIDEO_ROOT=/srv/video npm run chai -- import /srv/video/batch2 --link --aspects camera,motion
  npm run chai -- import --chai chai_test.jsonl --videos ./chai/videos --project "CHAI test"
  npm run chai -- import --chai all_videos_with_captions_20250703_0809.json --videos ./clips --project "CHAI tool"`;

/** `import --chai FILE --videos DIR`: CHAI records (our export, the released layout, the annotation tool's) as tasks. */
async function importRecords(env: CliEnv, opts: ImportOptions, command: Command): Promise<void> {
  if (opts.aspects || opts.annotator || opts.link) usageError(command, "--aspects, --annotator and --link are for clips, not --chai.");
  const videosDir = required(command, opts.videos, "--chai FILE and --videos DIR are required.");
  const summary = await withDb(env, (db) =>
    importChai(db, env.config, {
      file: opts.chai!,
      videosDir,
      projectName: opts.project,
      forceProject: opts.forceProject ?? false,
      log: env.out,
    }),
  );
  if (summary.failed > 0) throw new CliExit(EXIT.failed);
}

/** `import <file-or-folder> …` (clips) or `import --chai …` (records). `specVersion` is for tests. */
export function importCommandWith(specVersion = async () => (await getSpec()).version): CliCommand {
  return {
    userErrors: [ImportError, ChaiImportError],
    build: (env) =>
      new Command("import")
        .usage("<file-or-folder> [options]")
        .description(
          "Registers WebM/MP4 clips. Each clip is copied into DATA_DIR/videos under its SHA-256 (or, with --link, left " +
            "where it is under VIDEO_ROOT). A clip already imported (same SHA-256) is skipped. Duration, fps and size are " +
            "probed with ffprobe when it is installed; otherwise the first viewer's browser fills them in.",
        )
        .argument("[file-or-folder]", "a clip, or a folder of clips")
        .option("--project <NAME>", 'project to add the clips to (created if missing; default "Default")')
        .option("--aspects <all|a,b>", `create a task per clip for these aspects (${ASPECTS.join(", ")}); default: no tasks`, parsedBy(parseAspects))
        .option("--annotator <EMAIL>", "assign the created tasks to this person")
        .option("--link", "keep files under VIDEO_ROOT instead of copying them")
        .option("--chai <FILE>", "load CHAI records (JSON Lines or a JSON array; ours, the released layout or the annotation tool's) instead of clips; see below")
        .option("--videos <DIR>", "with --chai: folder the records' clip paths are relative to")
        .option("--force-project", "with --chai: put every record in --project, whatever project it names")
        .addHelpText("after", HELP_AFTER)
        .action(async (target: string | undefined, opts: ImportOptions, command: Command) => {
          if (opts.chai !== undefined) {
            if (target !== undefined) usageError(command, "--chai takes no file or folder.");
            return importRecords(env, opts, command);
          }
          if (opts.videos !== undefined || opts.forceProject) usageError(command, "--videos and --force-project are for --chai.");
          const clips = required(command, target, "Give exactly one file or folder.");
          const summary = await withDb(env, (db) =>
            importClips(db, env.config, {
              target: clips,
              projectName: opts.project ?? "Default",
              aspects: opts.aspects ?? [],
              annotatorEmail: opts.annotator,
              link: opts.link ?? false,
              specVersion,
              log: env.out,
            }),
          );
          if (summary.failed > 0) throw new CliExit(EXIT.failed);
        }),
  };
}

export const importCommand = importCommandWith();

/** `import …` over `env`; returns the exit code. */
export const runImport = (args: string[], env: CliEnv, specVersion?: () => Promise<string>): Promise<number> =>
  runCommand(importCommandWith(specVersion), args, env);
