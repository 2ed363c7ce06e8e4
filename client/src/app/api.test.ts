import { afterEach, describe, expect, it, vi } from "vitest";
import { api, ApiError, request, setUnauthorizedHandler } from "./api";

function respond(status: number, body: unknown) {
  const fetchStub = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) =>
    new Response(typeof body === "string" ? body : JSON.stringify(body), {
      status,
      headers: { "Content-Type": typeof body === "string" ? "text/html" : "application/json" },
    }),
  );
  vi.stubGlobal("fetch", fetchStub);
  return fetchStub;
}

afterEach(() => {
  vi.unstubAllGlobals();
  setUnauthorizedHandler(null);
});

describe("request", () => {
  it("sends JSON with same-origin credentials and drops empty query values", async () => {
    const fetchStub = respond(200, []);
    await api.tasks({ aspect: "camera", stage: undefined });
    const [url, init] = fetchStub.mock.calls[0] ?? [];
    expect(url).toBe("/api/tasks?aspect=camera");
    expect(init?.credentials).toBe("same-origin");
  });

  it("throws the server's own message", async () => {
    respond(403, { error: { code: "forbidden", message: "You may not see this task." } });
    const err = await request("GET", "/api/tasks/x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 403, code: "forbidden", message: "You may not see this task." });
  });

  it("checks a response against its schema", async () => {
    respond(200, { id: "not-a-uuid", email: "a@b.c", displayName: "A", role: "lead", abilities: { pages: [], actions: [], queues: [] } });
    await expect(api.me()).rejects.toMatchObject({ code: "bad_response" });
    const me = { id: "00000000-0000-4000-8000-000000000001", email: "a@b.c", displayName: "A", role: "lead", abilities: { pages: ["queue"], actions: [], queues: ["mine"] } };
    respond(200, { ...me, extra: true });
    await expect(api.me()).resolves.toEqual(me);
  });

  it("gives a clear message when the body is not our JSON", async () => {
    respond(502, "<html>Bad gateway</html>");
    await expect(request("GET", "/api/me")).rejects.toMatchObject({ status: 502, message: "The server had a problem; try again." });
  });

  it("sends the user back to sign in on a 401, except where the caller handles it", async () => {
    const onUnauthorized = vi.fn();
    setUnauthorizedHandler(onUnauthorized);
    respond(401, { error: { code: "unauthorized", message: "Sign in first." } });
    await expect(api.tasks()).rejects.toMatchObject({ status: 401 });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    await expect(api.login({ email: "a@b.c", password: "x" })).rejects.toMatchObject({ message: "Sign in first." });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });
});
