import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import type { AdminUserList } from "../../../../shared/api/people";
import { UsersPage } from "./UsersPage";

const ADMIN = "00000000-0000-4000-8000-000000000001";
const ANN = "00000000-0000-4000-8000-000000000002";

const list: AdminUserList = {
  users: [
    { id: ADMIN, email: "admin@x.test", displayName: "Ada Admin", role: "admin", active: true, createdAt: "2026-12-01T00:00:00.000Z", lastSeenAt: "2026-12-07T09:00:00.000Z", deactivatedAt: null },
    { id: ANN, email: "ann@x.test", displayName: "Ann", role: "annotator", active: true, createdAt: "2026-12-01T00:00:00.000Z", lastSeenAt: null, deactivatedAt: null },
  ],
};

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("UsersPage", () => {
  it("lists people; a refused new person shows the server's words and keeps what was typed", async () => {
    const fetchMock = vi.fn(async (_url: string, init?: RequestInit) => {
      if (init?.method === "POST") return json({ error: { code: "conflict", message: "Someone already uses this email." } }, 409);
      return json(list);
    });
    vi.stubGlobal("fetch", fetchMock);
    render(<UsersPage meId={ADMIN} />);
    const row = await screen.findByTestId("person-ann@x.test");
    expect(within(row).getByText("never")).toBeTruthy();
    // One's own row offers no deactivation (the server refuses it too).
    expect(within(screen.getByTestId("person-admin@x.test")).queryByRole("button", { name: "Deactivate" })).toBeNull();

    const form = screen.getByRole("form", { name: "Add a person" });
    fireEvent.change(within(form).getByLabelText("Email"), { target: { value: "ann@x.test" } });
    fireEvent.change(within(form).getByLabelText(/Password/), { target: { value: "long enough" } });
    fireEvent.click(within(form).getByRole("button", { name: "Add person" }));
    expect((await screen.findByTestId("new-person-error")).textContent).toBe("Someone already uses this email.");
    expect((within(form).getByLabelText("Email") as HTMLInputElement).value).toBe("ann@x.test");
    const post = fetchMock.mock.calls.find(([, init]) => init?.method === "POST");
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({ email: "ann@x.test", role: "annotator", password: "long enough" });
  });

  it("deactivates a person with one click and reloads the list", async () => {
    const fetchMock = vi.fn(async (_url: string, init?: RequestInit) => {
      if (init?.method === "PATCH") return json({ ...list.users[1], active: false, deactivatedAt: "2026-12-07T10:00:00.000Z" });
      return json(list);
    });
    vi.stubGlobal("fetch", fetchMock);
    render(<UsersPage meId={ADMIN} />);
    const row = await screen.findByTestId("person-ann@x.test");
    fireEvent.click(within(row).getByRole("button", { name: "Deactivate" }));
    expect((await screen.findByRole("status")).textContent).toMatch(/Ann is deactivated and signed out/);
    const patch = fetchMock.mock.calls.find(([, init]) => init?.method === "PATCH");
    expect(patch?.[0]).toBe(`/api/admin/users/${ANN}`);
    expect(JSON.parse(String(patch?.[1]?.body))).toEqual({ active: false });
  });
});
