import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CDPSession, Page } from "playwright-core";

/**
 * A screen recording of one page from Chromium's own screencast (DevTools protocol): JPEG frames with their times,
 * encoded to WebM by Debian's ffmpeg at the end. Playwright's recordVideo needs a browser build's own ffmpeg, which
 * a Debian Chromium does not have.
 */
export type Recorder = { stop(out: string): Promise<string> };

export async function recordPage(page: Page, size = { width: 960, height: 600 }): Promise<Recorder> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chai-screencast-"));
  const frames: { file: string; at: number }[] = [];
  const cdp: CDPSession = await page.context().newCDPSession(page);
  cdp.on("Page.screencastFrame", (f: { data: string; sessionId: number; metadata: { timestamp?: number } }) => {
    const file = path.join(dir, `${String(frames.length).padStart(6, "0")}.jpg`);
    fs.writeFileSync(file, Buffer.from(f.data, "base64"));
    frames.push({ file, at: f.metadata.timestamp ?? Date.now() / 1000 });
    void cdp.send("Page.screencastFrameAck", { sessionId: f.sessionId }).catch(() => undefined);
  });
  await cdp.send("Page.startScreencast", { format: "jpeg", quality: 70, maxWidth: size.width, maxHeight: size.height, everyNthFrame: 1 });
  return {
    /** Stops and encodes; answers what happened in words (no encoder is not a test failure: the recording is a doc). */
    async stop(out: string) {
      await cdp.send("Page.stopScreencast").catch(() => undefined);
      await cdp.detach().catch(() => undefined);
      try {
        if (frames.length < 2) return `no recording: ${frames.length} frame(s)`;
        // ffmpeg's concat list: each frame shown until the next one came (idle stretches capped at 2 s).
        const list = frames
          .map((f, i) => {
            const next = frames[i + 1];
            const duration = next ? Math.min(2, Math.max(0.02, next.at - f.at)) : 1;
            return `file '${f.file}'\nduration ${duration.toFixed(3)}`;
          })
          .join("\n");
        const listFile = path.join(dir, "frames.txt");
        fs.writeFileSync(listFile, `${list}\nfile '${frames[frames.length - 1]?.file ?? ""}'\n`);
        execFileSync(
          "ffmpeg",
          ["-y", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", listFile, "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2,fps=10", "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "42", "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1", out],
          { stdio: "pipe", timeout: 300_000 },
        );
        return `recorded ${frames.length} frames to ${out} (${(fs.statSync(out).size / 1e6).toFixed(1)} MB)`;
      } catch (err) {
        return `no recording: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`;
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
