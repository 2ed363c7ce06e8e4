import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { projects, tasks, videos } from "../db/schema/index";
import { exportDataset } from "./exportDataset";
import { seedExportFixture } from "../testing/datasetFixture";
import { describeEachDb } from "../testing/db";
import { testConfig } from "../testing/testConfig";
import { EXPORT_STATUSES } from "../../shared/dataset/formats";
import { countExportTasks } from "./countTasks";

describeEachDb("the export's task count", (db) => {
  it("equals the tasks the export reads, for every status and with a project filter", async () => {
    const config = testConfig();
    const d = db().db;
    const fixture = await seedExportFixture(d, config, 3);
    // A second project whose task a project filter must leave out.
    const [other] = await d.insert(projects).values({ name: "Other project" }).returning();
    const [clip] = await d
      .insert(videos)
      .values({ projectId: other!.id, title: "other", storage: "data", path: "other.webm", mimeType: "video/webm", sizeBytes: 1, sha256: "f".repeat(64) })
      .returning();
    await d.insert(tasks).values({ projectId: other!.id, videoId: clip!.id, aspect: "camera", stage: "approved", specVersion: "1" });
    expect(await countExportTasks(d, { status: "approved", projectName: "No such project" })).toBeNull();
    for (const status of EXPORT_STATUSES) {
      for (const projectName of [undefined, fixture.projectName]) {
        let read = 0;
        const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "chai-count-"));
        const result = await exportDataset(d, config, {
          format: "chai",
          outDir,
          status,
          testShare: 0,
          seed: 0,
          projectName,
          pseudonymSecret: new Uint8Array(32),
          onBatch: (b) => (read += b.tasks),
        });
        expect(read).toBe(result.manifest.tasks + result.skippedTasks);
        expect(await countExportTasks(d, { status, projectName })).toBe(read);
      }
    }
    // The filter did filter: the other project's approved task is counted only without it.
    expect(await countExportTasks(d, { status: "approved" })).toBe((await countExportTasks(d, { status: "approved", projectName: fixture.projectName }))! + 1);
  });
});
