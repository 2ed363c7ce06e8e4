import { parseArgs } from "node:util";
import { getSpec } from "../../captionSpec/index";
import { ImportError } from "../../videos/importer";
import { importClips, parseAspects } from "../../videos/importClips";
import { ASPECTS } from "../../../shared/domain";
import type { CliCommand } from "../command";
import { processCliEnv, type CliEnv } from "./cliEnv";

const help = `Usage: npm run chai -- import <file-or-folder> [options]
       npm run chai -- import --chai FILE --videos DIR [--project NAME] [--force-project]
         loads CHAI records (JSON Lines): our chai export, or the released layout with fields video, pre_caption,
         critique, final_caption, pre_caption_score, caption_type (server/export/importChaiCli.ts lists aliases)

Registers WebM/MP4 clips. Each clip is copied into DATA_DIR/videos under its SHA-256 (or, with --link, left where
it is under VIDEO_ROOT). A clip already imported (same SHA-256) is skipped. Duration, fps and size are probed with
ffprobe when it is installed; otherwise the first viewer's browser fills them in.

Options:
  --project NAME        project to add the clips to (created if missing; default "Default")
  --aspects all|a,b     create a task per clip for these aspects (${ASPECTS.join(", ")}); default: no tasks
  --annotator EMAIL     assign the created tasks to this person
  --link                keep files under VIDEO_ROOT instead of copying them

Examples:
  npm run chai -- import ~/clips --project "Batch 1" --aspects all
  VIDEO_ROOT=/srv/video npm run chai -- import /srv/video/batch2 --link --aspects camera,motion`;

/** `import <file-or-folder> …`; returns the exit code. */
export async function runImport(args: string[], env: CliEnv, specVersion = async () => (await getSpec()).version): Promise<number> {
  // CHAI records (dataset import) are their own mode, in server/export.
  if (args.includes("--chai")) return (await import("../../dataset/importChaiCli")).runChaiImport(args, env);
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        project: { type: "string", default: "Default" },
        aspects: { type: "string" },
        annotator: { type: "string" },
        link: { type: "boolean", default: false },
      },
    });
  } catch (err) {
    env.err(`${err instanceof Error ? err.message : String(err)}\n\n${help}`);
    return 2;
  }
  const [target, ...extra] = parsed.positionals;
  if (!target || extra.length > 0) {
    env.err(`Give exactly one file or folder.\n\n${help}`);
    return 2;
  }
  let aspects;
  try {
    aspects = parseAspects(parsed.values.aspects);
  } catch (err) {
    env.err(err instanceof Error ? err.message : String(err));
    return 2;
  }
  const { db, close } = await env.openDb();
  try {
    const summary = await importClips(db, env.config, {
      target,
      projectName: parsed.values.project,
      aspects,
      annotatorEmail: parsed.values.annotator,
      link: parsed.values.link,
      specVersion,
      log: env.out,
    });
    return summary.failed > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof ImportError) {
      env.err(err.message);
      return 1;
    }
    throw err;
  } finally {
    await close();
  }
}

export const importCommand: CliCommand = {
  name: "import",
  summary: "register WebM/MP4 clips (import <file-or-folder> [--aspects all])",
  help,
  run: (args) => runImport(args, processCliEnv()),
};

export default importCommand;
