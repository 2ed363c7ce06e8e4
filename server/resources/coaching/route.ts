import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { currentUser, requireUser } from "../../auth/middleware";
import type { AppDeps, AppEnv } from "../../context";
import { badRequest } from "../../http/errors";
import { readJson } from "../../http/readJson";
import { addNote, coachingAccess, listNotes, spotlight } from "../../training/coaching";
import { Id } from "../../../shared/api/common";
import { COACHING_EVENTS, CreateCoachingNoteRequest, SpotlightRequest, type CoachingEvent } from "../../../shared/api/training";

const idParam = (raw: string | undefined): string => {
  const parsed = Id.safeParse(raw);
  if (!parsed.success) throw badRequest("The id must be a UUID.");
  return parsed.data;
};

/** Comment lines keep proxies from closing an idle stream. */
const KEEPALIVE_MS = 25_000;

/**
 * Private coaching (mounted at /api/tasks):
 *   POST /:id/coaching          the trainee's trainer: a note {body, anchor?, quote?, timeStart?, timeEnd?}
 *   GET  /:id/coaching          trainee, trainer, lead: the notes
 *   GET  /:id/coaching/stream   trainee, trainer, lead: server-sent events `note` and `spotlight`, live
 *   POST /:id/spotlight         the trainee's trainer: flash a span or a moment on the trainee's screen
 */
export function coachingRoutes(deps: AppDeps) {
  const { db } = deps.database;
  const hub = deps.coaching;

  return new Hono<AppEnv>()
    .post("/:id/coaching", requireUser, async (c) => {
      const user = currentUser(c);
      const access = await coachingAccess(db, user, idParam(c.req.param("id")));
      const body = await readJson(c, CreateCoachingNoteRequest, 16 * 1024);
      return c.json(await addNote(db, hub, user, access, body), 201);
    })
    .get("/:id/coaching", requireUser, async (c) => {
      const access = await coachingAccess(db, currentUser(c), idParam(c.req.param("id")));
      return c.json(await listNotes(db, access.taskId));
    })
    .post("/:id/spotlight", requireUser, async (c) => {
      const user = currentUser(c);
      const access = await coachingAccess(db, user, idParam(c.req.param("id")));
      const body = await readJson(c, SpotlightRequest, 8 * 1024);
      return c.json(spotlight(hub, user, access, body), 201);
    })
    .get("/:id/coaching/stream", requireUser, async (c) => {
      // Checked before the stream opens: a refused caller gets a JSON 403, never an event.
      const access = await coachingAccess(db, currentUser(c), idParam(c.req.param("id")));
      c.header("Cache-Control", "no-store");
      return streamSSE(c, async (stream) => {
        let wake: (() => void) | undefined;
        let timer: NodeJS.Timeout | undefined;
        const send = (event: CoachingEvent) => {
          const data = event.type === "note" ? event.note : event.spotlight;
          void stream.writeSSE({ event: COACHING_EVENTS[event.type], data: JSON.stringify(data), id: data.id }).catch(() => {});
        };
        const unsubscribe = hub.subscribe(access.taskId, send);
        stream.onAbort(() => {
          unsubscribe();
          clearTimeout(timer);
          wake?.();
        });
        await stream.writeSSE({ event: COACHING_EVENTS.ready, data: JSON.stringify({ taskId: access.taskId }) });
        while (!stream.aborted && !stream.closed) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            timer = setTimeout(resolve, KEEPALIVE_MS);
          });
          if (!stream.aborted) await stream.write(": keepalive\n\n").catch(() => {});
        }
        unsubscribe();
      });
    });
}
