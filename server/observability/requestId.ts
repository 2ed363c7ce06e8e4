import { randomUUID } from "node:crypto";

export const REQUEST_ID_HEADER = "X-Request-Id";

/** What an incoming id may look like: a balancer's or client's correlation id, short and plain (no spaces, quotes). */
const SANE = /^[\w.:@+=-]{1,128}$/;

/** The incoming X-Request-Id when it is sane, else a fresh one. */
export function requestIdFrom(header: string | undefined): string {
  return header !== undefined && SANE.test(header) ? header : randomUUID();
}

const ids = new WeakMap<Request, string>();

/** Remembers the id of a request (the HTTP middleware), for whoever logs about it later (the error handler). */
export function setRequestId(req: Request, id: string): void {
  ids.set(req, id);
}

export function requestIdOf(req: Request): string | undefined {
  return ids.get(req);
}
