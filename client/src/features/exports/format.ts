import type { ExportJobState, ExportProgress } from "../../../../shared/api/exports";

export const STATE_LABELS: Record<ExportJobState, string> = {
  queued: "Waiting",
  running: "Running",
  done: "Done",
  failed: "Failed",
};

/** 1234567 → "1.2 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export const formatCount = (n: number) => n.toLocaleString("en-US");

/** The share done, 0–100, or null when the total is not known (the bar is then indeterminate). */
export function percentDone(state: ExportJobState, progress: ExportProgress): number | null {
  if (state === "done") return 100;
  if (state === "queued") return 0;
  if (progress.totalTasks === null) return null;
  if (progress.totalTasks === 0) return 100;
  return Math.min(100, Math.round((progress.tasksRead / progress.totalTasks) * 100));
}
