import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, expect, it } from "vitest";
import type { MeResponse } from "../../../shared/api/auth";
import { TopBar } from "./TopBar";

afterEach(cleanup);

const person = (abilities: MeResponse["abilities"]): MeResponse => ({
  id: "00000000-0000-4000-8000-000000000001",
  email: "x@demo.test",
  displayName: "Xen",
  role: "trainer",
  abilities,
});

const sections = () => within(screen.getByRole("navigation", { name: "Sections" })).getAllByRole("link").map((a) => a.textContent);

it("offers exactly the pages the server lists, whatever the role", () => {
  render(<TopBar me={person({ pages: ["queue", "spec", "exports"], actions: [], queues: ["all"] })} current="queue" onLogout={() => {}} busy={false} />);
  expect(sections()).toEqual(["Tasks", "Caption spec", "Export"]);
  expect(screen.getByText("Trainer")).toBeTruthy();
});

it("marks the current section", () => {
  render(<TopBar me={person({ pages: ["queue", "spec", "trainer"], actions: [], queues: ["all"] })} current="training" onLogout={() => {}} busy={false} />);
  expect(screen.getByRole("link", { name: "Training" }).getAttribute("aria-current")).toBe("page");
  expect(screen.getByRole("link", { name: "Tasks" }).getAttribute("aria-current")).toBeNull();
});
