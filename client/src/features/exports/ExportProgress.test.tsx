import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen, within } from "@testing-library/react";
import type { ExportJob } from "../../../../shared/api/exports";
import { PERFECT_CAPTION_SENTINEL, type Manifest } from "../../../../shared/dataset/formats";
import { ExportManifest } from "./ExportManifest";
import { ExportProgress } from "./ExportProgress";

const JOB_ID = "6f1c1f3e-8b1a-4c55-9a51-0d0e6b1b7a10";
const SHA = "a".repeat(64);

const job = (over: Partial<ExportJob> = {}): ExportJob => ({
  id: JOB_ID,
  createdBy: { id: "0b8e7f43-3b55-4a43-8a2f-2bfbab0c6a11", name: "Lee Lead" },
  createdAt: "2026-11-24T04:00:00.000Z",
  startedAt: "2026-11-24T04:00:01.000Z",
  finishedAt: null,
  options: { format: "all", status: "approved", split: 0.1, seed: 0 },
  state: "running",
  progress: { tasksRead: 250, tasks: 240, records: 1200, totalTasks: 1000 },
  manifest: null,
  skippedTasks: null,
  error: null,
  ...over,
});

const manifest: Manifest = {
  tool: "chai-studio",
  manifest_version: 1,
  format: "all",
  formats: ["chai", "reward-pairs"],
  created_at: "2026-11-24T04:01:00.000Z",
  status: "approved",
  project: null,
  split: { test: 0.1, seed: 0, by: "video_sha256" },
  video_root: null,
  spec_versions: ["1.0.0+abc"],
  perfect_caption_sentinel: PERFECT_CAPTION_SENTINEL,
  tasks: 240,
  videos: { train: 40, test: 5 },
  files: [
    { name: "chai.train.jsonl", format: "chai", split: "train", records: 216, bytes: 2_400_000, sha256: SHA },
    { name: "chai.test.jsonl", format: "chai", split: "test", records: 24, bytes: 2_000, sha256: "b".repeat(64) },
  ],
  dataset_info: { name: "dataset_info.json", sha256: "c".repeat(64) },
};

afterEach(cleanup);

describe("ExportProgress", () => {
  it("shows a running job's share read and its counts", () => {
    render(<ExportProgress job={job()} />);
    const bar = screen.getByRole("progressbar", { name: "Export running" });
    expect(bar.getAttribute("aria-valuenow")).toBe("25");
    expect(screen.getByText(/240 tasks · 1,200 records/)).toBeTruthy();
    expect(screen.getByText(/250 of 1,000 read/)).toBeTruthy();
    expect(screen.getByText("Running")).toBeTruthy();
  });

  it("shows an indeterminate bar when the total is unknown", () => {
    render(<ExportProgress job={job({ progress: { tasksRead: 10, tasks: 8, records: 40, totalTasks: null } })} />);
    const bar = screen.getByRole("progressbar");
    expect(bar.getAttribute("aria-valuenow")).toBeNull();
    expect(bar.getAttribute("aria-valuetext")).toBe("8 tasks exported so far");
    expect(bar.className).toContain("indeterminate");
  });

  it("fills the bar when done and reports skipped tasks", () => {
    render(<ExportProgress job={job({ state: "done", skippedTasks: 3, manifest, progress: { tasksRead: 243, tasks: 240, records: 1200, totalTasks: null } })} />);
    expect(screen.getByRole("progressbar", { name: "Export done" }).getAttribute("aria-valuenow")).toBe("100");
    expect(screen.getByText(/3 without an accepted version skipped/)).toBeTruthy();
  });

  it("shows a failed job's reason instead of a bar", () => {
    render(<ExportProgress job={job({ state: "failed", error: 'No project named "Gone".' })} />);
    expect(screen.queryByRole("progressbar")).toBeNull();
    expect(screen.getByRole("alert").textContent).toBe('No project named "Gone".');
  });
});

describe("ExportManifest", () => {
  it("lists every file with its counts, checksum and a download link", () => {
    render(<ExportManifest jobId={JOB_ID} manifest={manifest} />);
    const table = screen.getByRole("table");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);
    const link = within(rows[0]!).getByRole("link", { name: "chai.train.jsonl" });
    expect(link.getAttribute("href")).toBe(`/api/exports/${JOB_ID}/files/chai.train.jsonl`);
    expect(within(rows[0]!).getByText(SHA)).toBeTruthy();
    expect(within(rows[0]!).getByText("216")).toBeTruthy();
    expect(within(rows[0]!).getByText("2.3 MB")).toBeTruthy();
    expect(screen.getByRole("link", { name: "manifest.json" }).getAttribute("href")).toBe(`/api/exports/${JOB_ID}/files/manifest.json`);
    expect(screen.getByText("1.0.0+abc")).toBeTruthy();
    expect(screen.getByText("40")).toBeTruthy();
  });
});
