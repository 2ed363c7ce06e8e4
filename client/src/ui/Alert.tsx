import type { AsyncState } from "./useAsync";

/** A failure to show as is (the server's own message); nothing when there is none. */
export function ErrorNote({ message, testId }: { message: string | null | undefined; testId?: string }) {
  if (!message) return null;
  return (
    <p className="alert alert-error" role="alert" data-testid={testId}>
      {message}
    </p>
  );
}

/** The error of a load, if it failed. */
export function LoadError<T>({ state }: { state: AsyncState<T> }) {
  return <ErrorNote message={state.status === "error" ? state.message : null} />;
}

export type NoticeText = { kind: "info" | "error"; text: string };

/** The outcome of an action: an error is announced at once, news politely. */
export function Notice({ notice }: { notice: NoticeText | null }) {
  if (!notice) return null;
  return (
    <p className={`alert alert-${notice.kind}`} role={notice.kind === "error" ? "alert" : "status"}>
      {notice.text}
    </p>
  );
}
