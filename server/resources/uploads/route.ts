import { Hono, type Context } from "hono";
import { desc, eq } from "drizzle-orm";
import { currentUser } from "../../auth/middleware";
import type { AppDeps, AppEnv, SessionUser } from "../../context";
import { videos } from "../../db/schema/index";
import { forbidden, invalid, notFound } from "../../errors";
import { mayDoApp } from "../me/policy";
import { toVideoMeta } from "../videos/presenter";
import { createClipUploads } from "./clipUploads";
import { ProjectClipsQuery, type ProjectClipsResponse } from "../../../shared/api/uploads";

/** 401 without a session, 403 for anyone the policy does not let upload clips. */
function uploader(c: Context<AppEnv>): SessionUser {
  const user = currentUser(c);
  if (!mayDoApp(user, "upload_clips")) throw forbidden("Only admins and leads may upload clips.");
  return user;
}

/**
 * /api/uploads: the tus 1.0 endpoint for clips (POST creates, HEAD asks the offset, PATCH sends bytes, DELETE
 * cancels) and GET /clips, a project's clips. The app-wide Origin check and session already ran (app.ts); tus GET
 * (downloading a partial upload) is deliberately not exposed.
 */
export function uploadsRoutes(deps: AppDeps) {
  const { db } = deps.database;
  // Built on the first upload request, not with every app: most processes and tests never receive one.
  let built: ReturnType<typeof createClipUploads> | null = null;
  const currentSpecVersion = async () => (await deps.loop.deps.loadSpec()).spec.version;
  const clipUploads = () =>
    (built ??= createClipUploads(db, deps.config, currentSpecVersion).catch((err: unknown) => {
      built = null; // the next request tries again
      throw err;
    }));

  const toTus = async (c: Context<AppEnv>, user: SessionUser) => {
    const uploads = await clipUploads();
    uploads.users.set(c.req.raw, user);
    return uploads.tus.handleWeb(c.req.raw);
  };

  return new Hono<AppEnv>()
    .get("/clips", async (c) => {
      uploader(c);
      const query = ProjectClipsQuery.safeParse(c.req.query());
      if (!query.success) throw invalid("Give the project as ?projectId=<its id>.");
      const rows = await db.select().from(videos).where(eq(videos.projectId, query.data.projectId)).orderBy(desc(videos.createdAt));
      const body: ProjectClipsResponse = rows.map(toVideoMeta);
      return c.json(body);
    })
    .post("/", (c) => toTus(c, uploader(c)))
    // Hono answers HEAD through the GET route (dropping the body); only HEAD goes to tus, a plain GET is not served.
    .on(["GET", "PATCH", "DELETE"], "/:id", async (c) => {
      if (c.req.method === "GET") throw notFound("Uploads cannot be downloaded; open the clip instead.");
      const user = uploader(c);
      // An upload is resumed or cancelled only by the person who started it; others get the unknown-id answer.
      const upload = await (await clipUploads()).store.getUpload(c.req.param("id")).catch(() => null);
      if (upload && upload.metadata?.userId !== user.id) throw notFound("No such upload.");
      return toTus(c, user);
    });
}
