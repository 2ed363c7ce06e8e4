import { useEffect, useState } from "react";
import type { Lexicon } from "../../../../shared/captionSpec/lexicon";
import type { Spec } from "../../../../shared/captionSpec/schema";
import { SPEC_PATHS } from "../../../../shared/api/spec";

/** GET /api/spec's body: the loaded spec and the lint lexicon. */
export type SpecBundle = { spec: Spec; lexicon: Lexicon };

export type SpecState =
  | { status: "loading" }
  | { status: "ready"; spec: Spec; lexicon: Lexicon; version: string }
  | { status: "error"; message: string };

const STORAGE_KEY = "chai.spec.v1";

type Cached = { etag: string; bundle: SpecBundle };

/** One request per page load, shared by every component that asks. */
let pending: Promise<SpecBundle> | null = null;
let loaded: SpecBundle | null = null;

/**
 * Fetches /api/spec once per page load. The body (a few hundred kB) is kept in localStorage with its ETag, so a
 * reload revalidates with If-None-Match and a 304 costs nothing; a new spec version gets a new ETag and a fresh body.
 */
export function loadSpec(): Promise<SpecBundle> {
  if (loaded) return Promise.resolve(loaded);
  pending ??= fetchSpec().then(
    (bundle) => {
      loaded = bundle;
      return bundle;
    },
    (err: unknown) => {
      pending = null; // let a later mount retry
      throw err;
    },
  );
  return pending;
}

async function fetchSpec(): Promise<SpecBundle> {
  const cached = readCache();
  // A plain fetch, not the API client: the ETag round trip (304 → the cached copy) is this cache's whole point.
  const res = await fetch(SPEC_PATHS.spec, {
    credentials: "same-origin",
    headers: cached ? { "If-None-Match": cached.etag } : {},
  });
  if (res.status === 304 && cached) return cached.bundle;
  if (!res.ok) throw new Error(`Could not load the spec (${res.status}).`);
  const bundle = (await res.json()) as SpecBundle;
  if (!bundle || typeof bundle !== "object" || !bundle.spec?.primitives) throw new Error("The spec response is malformed.");
  const etag = res.headers.get("ETag");
  if (etag) writeCache({ etag, bundle });
  return bundle;
}

function readCache(): Cached | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Cached>;
    return typeof parsed.etag === "string" && parsed.bundle?.spec ? (parsed as Cached) : null;
  } catch {
    return null;
  }
}

function writeCache(entry: Cached) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(entry));
  } catch {
    // Storage full or disabled: the in-memory copy still serves this page load.
  }
}

export function useSpec(): SpecState {
  const [state, setState] = useState<SpecState>(() =>
    loaded ? ready(loaded) : { status: "loading" },
  );
  const isReady = state.status === "ready";
  useEffect(() => {
    if (isReady) return;
    let live = true;
    loadSpec().then(
      (bundle) => live && setState(ready(bundle)),
      (err: unknown) => live && setState({ status: "error", message: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      live = false;
    };
  }, [isReady]);
  return state;
}

function ready(bundle: SpecBundle): SpecState {
  return { status: "ready", spec: bundle.spec, lexicon: bundle.lexicon, version: bundle.spec.version };
}
