import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen, within } from "@testing-library/react";
import type { VideoMeta } from "../../../../shared/api/videos";
import { ProjectClips } from "./ProjectClips";

const PROJECT = "6f1c1f3e-8b1a-4c55-9a51-0d0e6b1b7a10";
const clip: VideoMeta = {
  id: "0b8e7f43-3b55-4a43-8a2f-2bfbab0c6a11",
  projectId: PROJECT,
  title: "pan left",
  description: null,
  mimeType: "video/webm",
  sizeBytes: 12180,
  durationSec: 4,
  fps: 24,
  width: 640,
  height: 360,
  sha256: "a".repeat(64),
  fileUrl: "/api/videos/0b8e7f43-3b55-4a43-8a2f-2bfbab0c6a11/file",
  createdAt: new Date().toISOString(),
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("ProjectClips", () => {
  it("lists the project's clips with length, frame rate and size", async () => {
    const fetchStub = vi.fn(async (_url: string) => new Response(JSON.stringify([clip]), { status: 200, headers: { "Content-Type": "application/json" } }));
    vi.stubGlobal("fetch", fetchStub);
    render(<ProjectClips projectId={PROJECT} />);
    const table = await screen.findByTestId("project-clip-list");
    const row = within(table).getByText("pan left").closest("tr");
    expect(row?.textContent).toContain("4.0 s");
    expect(row?.textContent).toContain("24 fps");
    expect(row?.textContent).toContain("640×360");
    expect(String(fetchStub.mock.calls[0]?.[0])).toBe(`/api/uploads/clips?projectId=${PROJECT}`);
    expect(screen.getByTestId("upload-drop").textContent).toContain("Drop clips or folders of clips here");
  });

  it("shows the server's message when the list cannot be loaded", async () => {
    const body = JSON.stringify({ error: { code: "forbidden", message: "Only admins and leads may upload clips." } });
    vi.stubGlobal("fetch", vi.fn(async () => new Response(body, { status: 403, headers: { "Content-Type": "application/json" } })));
    render(<ProjectClips projectId={PROJECT} />);
    expect((await screen.findByRole("alert")).textContent).toBe("Only admins and leads may upload clips.");
  });
});
