import { beforeAll, expect, it } from "vitest";
import { createApp } from "../../app";
import { createSession, SESSION_COOKIE } from "../../auth/sessions";
import { users } from "../../db/schema/index";
import { getSpec } from "../../captionSpec/index";
import { describeEachDb } from "../../testing/db";
import { testConfig } from "../../testing/testConfig";
import { matchesEtag } from "./route";
import type { Spec } from "../../../shared/captionSpec/schema";
import type { Lexicon } from "../../../shared/captionSpec/lexicon";

describeEachDb("GET /api/spec", (db) => {
  let cookie = "";
  beforeAll(async () => {
    const [user] = await db()
      .db.insert(users)
      .values({ email: "spec-reader@test.test", displayName: "Spec Reader", role: "annotator", passwordHash: "x" })
      .returning({ id: users.id });
    cookie = `${SESSION_COOKIE}=${await createSession(db().db, user!.id)}`;
  });
  const app = () => createApp({ config: testConfig(), database: db() });

  it("needs a signed-in user", async () => {
    const res = await app().request("/api/spec");
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "unauthorized" } });
  });

  it("serves the spec and lexicon with the version as ETag and a private cache policy", async () => {
    const res = await app().request("/api/spec", { headers: { cookie } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { spec: Spec; lexicon: Lexicon };
    const version = (await getSpec()).version;
    expect(body.spec.version).toBe(version);
    expect(res.headers.get("etag")).toBe(`"${version}"`);
    expect(res.headers.get("cache-control")).toMatch(/private.*max-age=\d+/);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(body.spec.aspects.map((a) => a.aspect)).toEqual(["subject", "scene", "motion", "spatial", "camera"]);
    expect(Object.keys(body.spec.primitives).length).toBeGreaterThan(0);
    expect(body.lexicon.subjective.length).toBeGreaterThan(0);
  });

  it("answers 304 with no body when the client's ETag matches, 200 when it is stale", async () => {
    const first = await app().request("/api/spec", { headers: { cookie } });
    const etag = first.headers.get("etag")!;
    const again = await app().request("/api/spec", { headers: { cookie, "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    expect(await again.text()).toBe("");

    const weak = await app().request("/api/spec", { headers: { cookie, "if-none-match": `"x", W/${etag}` } });
    expect(weak.status).toBe(304);

    const stale = await app().request("/api/spec", { headers: { cookie, "if-none-match": '"1.0.0+000000000000"' } });
    expect(stale.status).toBe(200);
    expect(((await stale.json()) as { spec: Spec }).spec.version).toBe(etag.slice(1, -1));
  });
});

it("matchesEtag reads lists, weak tags and *", () => {
  expect(matchesEtag(undefined, '"a"')).toBe(false);
  expect(matchesEtag('"b"', '"a"')).toBe(false);
  expect(matchesEtag('"b", "a"', '"a"')).toBe(true);
  expect(matchesEtag('W/"a"', '"a"')).toBe(true);
  expect(matchesEtag("*", '"a"')).toBe(true);
});
