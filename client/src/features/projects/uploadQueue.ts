import { useCallback, useEffect, useRef, useState } from "react";
import { Upload, type DetailedError } from "tus-js-client";
import { ApiError as ApiErrorBody } from "../../../../shared/api/common";
import { UPLOAD_PATHS, UploadOutcome } from "../../../../shared/api/uploads";

export type UploadStatus = "waiting" | "uploading" | "paused" | "created" | "duplicate" | "refused" | "failed";

export type UploadItem = {
  key: string;
  name: string;
  size: number;
  sent: number;
  status: UploadStatus;
  /** The server's word on the outcome (a duplicate, an unplayable codec), or why the upload stopped. */
  message: string | null;
  /** Tasks the upload made for the clip (one per aspect of the project); null until known. */
  tasksMade: number | null;
};

/** Two at a time: a folder of clips keeps the line busy without starving the page's other requests. */
const PARALLEL = 2;
/** Chunks of at most 8 MiB and at least 64 KiB, else a sixteenth of the file. */
const CHUNK_MAX = 8 * 1024 * 1024;
const CHUNK_MIN = 64 * 1024;
const CHUNK_SHARE = 16;

/**
 * The chunk size for a file: a dropped connection loses at most one chunk, so at most a sixteenth of a clip (and at
 * most 8 MiB of a large one) is sent again; below 64 KiB per request the round trips would cost more than they save.
 */
export function chunkSizeFor(size: number): number {
  return Math.min(CHUNK_MAX, Math.max(CHUNK_MIN, Math.ceil(size / CHUNK_SHARE)));
}
/** Retries on a dropped connection before the item waits for the person (or the browser coming back online). */
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000];

const DONE: readonly UploadStatus[] = ["created", "duplicate", "refused"];
export const isFinished = (item: UploadItem) => DONE.includes(item.status);

/** The server's message in a failed tus request (our JSON error body), else a plain sentence. */
function messageOf(err: Error | DetailedError): { message: string; retryable: boolean } {
  const res = "originalResponse" in err ? err.originalResponse : null;
  if (!res) return { message: "The connection dropped; the upload continues where it stopped when you resume.", retryable: true };
  const status = res.getStatus();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(res.getBody());
  } catch {
    // Not our JSON (a proxy's page): the status says enough.
  }
  const body = ApiErrorBody.safeParse(parsed);
  if (body.success) return { message: body.data.error.message, retryable: status >= 500 };
  if (status === 413) return { message: "The file is larger than the server accepts (2 GiB).", retryable: false };
  return { message: `The server refused the upload (${status}).`, retryable: status >= 500 };
}

/**
 * The uploads of one project: tus-js-client sends each file in chunks, remembers each upload under a fingerprint
 * (project + file name, size and date) in localStorage, and on the next drop of the same file — after a reload or a
 * lost connection — asks the server where it stopped and sends only the rest.
 */
export function useUploadQueue(projectId: string, onFinished: (status: UploadStatus) => void) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const files = useRef(new Map<string, File>());
  const running = useRef(new Map<string, Upload>());
  const finished = useRef(onFinished);
  finished.current = onFinished;

  const update = useCallback((key: string, patch: Partial<UploadItem>) => {
    setItems((all) => all.map((it) => (it.key === key ? { ...it, ...patch } : it)));
  }, []);

  const startOne = useCallback(
    (key: string) => {
      const file = files.current.get(key);
      if (!file || running.current.has(key)) return;
      const upload = new Upload(file, {
        endpoint: UPLOAD_PATHS.tus,
        chunkSize: chunkSizeFor(file.size),
        retryDelays: RETRY_DELAYS,
        metadata: { projectId, filename: file.name, filetype: file.type },
        // The same file dropped on another project is another upload.
        fingerprint: (f: File) => Promise.resolve(["chai-clip", projectId, f.name, f.size, f.lastModified].join("/")),
        removeFingerprintOnSuccess: true,
        onProgress: (sent) => update(key, { sent }),
        onSuccess: ({ lastResponse }) => {
          running.current.delete(key);
          let outcome: UploadOutcome | null = null;
          try {
            const parsed = UploadOutcome.safeParse(JSON.parse(lastResponse.getBody()));
            outcome = parsed.success ? parsed.data : null;
          } catch {
            // An upload that had already finished before a reload answers its HEAD with no body.
          }
          const status = outcome?.kind ?? "created";
          const tasksMade = outcome && outcome.kind !== "refused" ? outcome.tasks.created : null;
          update(key, { sent: file.size, status, message: outcome?.message ?? `${file.name} was uploaded.`, tasksMade });
          finished.current(status);
        },
        onError: (err) => {
          running.current.delete(key);
          const { message, retryable } = messageOf(err);
          update(key, { status: retryable ? "paused" : "failed", message });
        },
      });
      running.current.set(key, upload);
      update(key, { status: "uploading", message: null });
      void upload.findPreviousUploads().then((previous) => {
        const last = previous[0];
        if (last) upload.resumeFromPreviousUpload(last);
        upload.start();
      });
    },
    [projectId, update],
  );

  // Keep PARALLEL uploads going while items wait.
  useEffect(() => {
    const active = items.filter((it) => it.status === "uploading").length;
    items
      .filter((it) => it.status === "waiting")
      .slice(0, Math.max(0, PARALLEL - active))
      .forEach((it) => startOne(it.key));
  }, [items, startOne]);

  // Back online: paused uploads continue by themselves.
  useEffect(() => {
    const resume = () => setItems((all) => all.map((it) => (it.status === "paused" ? { ...it, status: "waiting" } : it)));
    window.addEventListener("online", resume);
    return () => window.removeEventListener("online", resume);
  }, []);

  // Leaving the page stops the requests; the uploads stay resumable on the server and in localStorage.
  useEffect(() => {
    const uploads = running.current;
    return () => uploads.forEach((u) => void u.abort());
  }, []);

  const add = useCallback((list: File[]) => {
    const fresh = list.map((file) => {
      const key = `${file.name}/${file.size}/${file.lastModified}/${Math.random().toString(36).slice(2)}`;
      files.current.set(key, file);
      const item: UploadItem = { key, name: file.name, size: file.size, sent: 0, status: "waiting", message: null, tasksMade: null };
      return item;
    });
    setItems((all) => [...all, ...fresh]);
  }, []);

  const resume = useCallback((key: string) => update(key, { status: "waiting", message: null }), [update]);
  const clearFinished = useCallback(() => setItems((all) => all.filter((it) => !isFinished(it))), []);

  return { items, add, resume, clearFinished };
}
