import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import type { ExportJob, StartExportRequest } from "../../../../shared/api/exports";
import { EXPORT_FORMATS, FORMAT_GUIDE, PERFECT_CAPTION_SENTINEL, TRL_VIDEO_NOTE, type Manifest } from "../../../../shared/dataset/formats";
import { ExportForm } from "./ExportForm";
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
  options: { format: "all", status: "approved", split: 0.1, seed: 0, clips: "link" },
  state: "running",
  progress: { tasksRead: 250, tasks: 240, records: 1200, totalTasks: 1000 },
  manifest: null,
  skippedTasks: null,
  error: null,
  ...over,
});

const none = { llamafactory: null, trl: null };
const manifest: Manifest = {
  tool: "chai-studio",
  manifest_version: 2,
  format: "all",
  formats: ["chai", "caption-dpo", "trl-caption-preference", "ablation-incomplete"],
  created_at: "2026-11-24T04:01:00.000Z",
  status: "approved",
  project: null,
  split: { test: 0.1, seed: 0, by: "video_sha256" },
  clips: { folder: "videos", placement: "link", count: 45, bytes: 3_000_000, hardlinked: 45, copied: 0, symlinked: 0, missing: 2, tasks_left_out: 6 },
  spec_versions: ["1.0.0+abc"],
  perfect_caption_sentinel: PERFECT_CAPTION_SENTINEL,
  tasks: 240,
  videos: { train: 40, test: 5 },
  files: [
    { name: "chai.train.jsonl", format: "chai", split: "train", records: 216, bytes: 2_400_000, sha256: SHA, carries: FORMAT_GUIDE.chai.carries, for: none },
    { name: "chai.test.jsonl", format: "chai", split: "test", records: 24, bytes: 2_000, sha256: "b".repeat(64), carries: FORMAT_GUIDE.chai.carries, for: none },
    {
      name: "caption-dpo.train.jsonl",
      format: "caption-dpo",
      split: "train",
      records: 90,
      bytes: 9_000,
      sha256: "d".repeat(64),
      carries: FORMAT_GUIDE["caption-dpo"].carries,
      for: { llamafactory: "chai_caption_dpo_train", trl: null },
    },
    {
      name: "trl-caption-preference.train.jsonl",
      format: "trl-caption-preference",
      split: "train",
      records: 90,
      bytes: 9_500,
      sha256: "e".repeat(64),
      carries: FORMAT_GUIDE["trl-caption-preference"].carries,
      for: { llamafactory: null, trl: "DPOTrainer" },
    },
    {
      name: "ablation-incomplete.train.jsonl",
      format: "ablation-incomplete",
      split: "train",
      records: 200,
      bytes: 20_000,
      sha256: "f".repeat(64),
      carries: FORMAT_GUIDE["ablation-incomplete"].carries,
      for: { llamafactory: "chai_ablation_incomplete_train", trl: null },
    },
  ],
  ablation_left_out: { "ablation-incomplete": { no_items: 0, too_few_items: 12, unchanged: 0 } },
  trl_note: TRL_VIDEO_NOTE,
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
    expect(rows).toHaveLength(5);
    const link = within(rows[0]!).getByRole("link", { name: "chai.train.jsonl" });
    expect(link.getAttribute("href")).toBe(`/api/exports/${JOB_ID}/files/chai.train.jsonl`);
    expect(within(rows[0]!).getByText(SHA)).toBeTruthy();
    expect(within(rows[0]!).getByText("216")).toBeTruthy();
    expect(within(rows[0]!).getByText("2.3 MB")).toBeTruthy();
    expect(screen.getByRole("link", { name: "manifest.json" }).getAttribute("href")).toBe(`/api/exports/${JOB_ID}/files/manifest.json`);
    expect(screen.getByText("1.0.0+abc")).toBeTruthy();
    expect(screen.getByText("40")).toBeTruthy();
  });

  it("says what each format carries and for whom, offers the whole folder, and reports what was left out", () => {
    render(<ExportManifest jobId={JOB_ID} manifest={manifest} />);
    const guide = screen.getByLabelText("What each format carries");
    for (const f of manifest.formats) expect(within(guide).getByText(FORMAT_GUIDE[f].carries)).toBeTruthy();
    const rows = within(screen.getByRole("table")).getAllByRole("row").slice(1);
    expect(within(rows[2]!).getByText("LLaMA-Factory: chai_caption_dpo_train")).toBeTruthy();
    expect(within(rows[3]!).getByText("TRL: DPOTrainer")).toBeTruthy();
    const archive = screen.getByRole("link", { name: "Download the whole folder" });
    expect(archive.getAttribute("href")).toBe(`/api/exports/${JOB_ID}/archive`);
    expect(screen.getByTestId("export-clips").textContent).toMatch(/videos\/ with 45 clips/);
    expect(screen.getByRole("status").textContent).toMatch(/2 clips were not found in storage: their 6 tasks are left out/);
    expect(screen.getByText(/ablation-incomplete 12/)).toBeTruthy();
    expect(screen.getByText(TRL_VIDEO_NOTE)).toBeTruthy();
  });
});

describe("ExportForm", () => {
  it("lists every format with what it carries, and sends the format and clip placement chosen", () => {
    const onStart = vi.fn<(r: StartExportRequest) => void>();
    render(<ExportForm projects={[]} busy={false} onStart={onStart} />);
    const guide = screen.getByText("What each format carries").closest("details");
    if (!guide) throw new Error("no guide");
    for (const f of EXPORT_FORMATS) {
      expect(within(guide).getByText(f)).toBeTruthy();
      expect(within(guide).getByText(FORMAT_GUIDE[f].carries)).toBeTruthy();
    }
    const format = screen.getByRole("combobox", { name: "Format" });
    expect(within(format).queryByRole("option", { name: /reward-pairs/ })).toBeNull();
    fireEvent.change(format, { target: { value: "caption-dpo" } });
    fireEvent.change(screen.getByRole("combobox", { name: "Clips in the folder" }), { target: { value: "symlink" } });
    fireEvent.click(screen.getByRole("button", { name: "Start export" }));
    expect(onStart).toHaveBeenCalledWith({ format: "caption-dpo", status: "approved", split: 0.1, seed: 0, clips: "symlink", project: undefined });
  });
});
