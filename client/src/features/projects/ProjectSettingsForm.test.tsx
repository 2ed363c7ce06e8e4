import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ProjectDetail } from "../../../../shared/api/projects";
import { ProjectSettingsFormView } from "./ProjectSettingsForm";

afterEach(cleanup);

const project: ProjectDetail = {
  id: "11111111-1111-4111-8111-111111111111",
  name: "Street scenes",
  createdAt: "2026-01-01T00:00:00.000Z",
  settings: { aspects: ["subject", "scene", "motion"], provider: "rules", model: "", inputMode: "frames", bestOfN: 1, rewardRulesVersion: null, overlapShare: 10, goldShare: 0, testShare: 0, specVersion: "1.0.0+abc" },
  warnings: [],
  options: { rewardRulesVersions: ["2020-01-01"], currentSpecVersion: "1.0.0+abc" },
  counts: { clips: 0, tasks: 0 },
};

describe("project settings form", () => {
  it("says what is wrong in words, keeps what was typed, and sends nothing", () => {
    const save = vi.fn(() => Promise.resolve());
    render(<ProjectSettingsFormView project={project} canEdit save={save} />);
    const best = screen.getByLabelText("Best-of-N (1–8)");
    fireEvent.change(best, { target: { value: "12" } });
    fireEvent.click(screen.getByRole("button", { name: "Save settings" }));
    expect(screen.getByRole("alert").textContent).toBe("Best-of-N must be between 1 and 8.");
    expect((best as HTMLInputElement).value).toBe("12");
    expect(save).not.toHaveBeenCalled();
  });

  it("warns when an aspect is on without the ones it reads, and saves the order as arranged", async () => {
    const save = vi.fn(() => Promise.resolve());
    render(<ProjectSettingsFormView project={project} canEdit save={save} />);
    fireEvent.click(screen.getByLabelText("Subject"));
    expect(screen.getByRole("status").textContent).toMatch(/^Motion reads Subject/);
    fireEvent.click(screen.getByRole("button", { name: "Move Motion up" }));
    fireEvent.change(screen.getByLabelText("Best-of-N (1–8)"), { target: { value: "4" } });
    fireEvent.click(screen.getByRole("button", { name: "Save settings" }));
    await waitFor(() => expect(save).toHaveBeenCalledTimes(1));
    expect(save).toHaveBeenCalledWith("Street scenes", expect.objectContaining({ aspects: ["motion", "scene"], bestOfN: 4 }));
  });

  it("is read-only without the edit ability (a lead looks)", () => {
    render(<ProjectSettingsFormView project={project} canEdit={false} save={vi.fn()} />);
    expect(screen.queryByRole("button", { name: "Save settings" })).toBeNull();
    expect((screen.getByLabelText("Name") as HTMLInputElement).disabled).toBe(true);
  });
});
