import { parseArgs } from "node:util";
import { ImportError } from "../videos/importer";
import type { CliEnv } from "../cli/commands/cliEnv";
import { RELEASE_FIELD_ALIASES } from "../../shared/dataset/chaiRelease";
import { ChaiImportError, importChai } from "./importChai";

const fieldList = Object.entries(RELEASE_FIELD_ALIASES)
  .map(([field, names]) => `    ${field.padEnd(18)} (also: ${names.slice(1).join(", ") || "—"})`)
  .join("\n");

export const CHAI_IMPORT_HELP = `Usage: npm run chai -- import --chai FILE --videos DIR [--project NAME]

Loads CHAI records as tasks: FILE is JSON Lines (or one JSON array) in the released CHAI test-split layout, or our
own \`chai\` export. Clips named by the records are registered from DIR (copied into DATA_DIR/videos; a clip
already known by its SHA-256 is reused). Each record becomes a task with its accepted version (and, for our export,
its labels, rounds, negatives, reviews and catches); people arrive as inactive pseudonymous accounts.

Released layout fields (first name canonical):
${fieldList}
  Released records become approved tasks with spec version "chai-release" in --project (default "Imported").

Options:
  --chai FILE       the records (required)
  --videos DIR      folder the records' clip paths are relative to (required)
  --project NAME    project for records that name none; with --force-project, for every record
  --force-project   put every record in --project, whatever project it names

Examples:
  npm run chai -- import --chai chai_test.jsonl --videos ./chai/videos --project "CHAI test"
  npm run chai -- import --chai ./export/chai.train.jsonl --videos ./old-data/videos`;

/** `import --chai FILE --videos DIR`; returns the exit code. */
export async function runChaiImport(args: string[], env: CliEnv): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args,
      allowPositionals: false,
      strict: true,
      options: {
        chai: { type: "string" },
        videos: { type: "string" },
        project: { type: "string" },
        "force-project": { type: "boolean", default: false },
      },
    }).values;
  } catch (err) {
    env.err(`${err instanceof Error ? err.message : String(err)}\n\n${CHAI_IMPORT_HELP}`);
    return 2;
  }
  if (!values.chai || !values.videos) {
    env.err(`--chai FILE and --videos DIR are required.\n\n${CHAI_IMPORT_HELP}`);
    return 2;
  }
  const { db, close } = await env.openDb();
  try {
    const summary = await importChai(db, env.config, {
      file: values.chai,
      videosDir: values.videos,
      projectName: values.project,
      forceProject: values["force-project"],
      log: env.out,
    });
    return summary.failed > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof ChaiImportError || err instanceof ImportError) {
      env.err(err.message);
      return 1;
    }
    throw err;
  } finally {
    await close();
  }
}
