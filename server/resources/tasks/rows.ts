import { eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../../db/index";
import { tasks, users, videos } from "../../db/schema/index";

const annotator = alias(users, "annotator_user");
const reviewer = alias(users, "reviewer_user");

/** The task query with the joins every presented task needs (presenter.ts TaskListRow): names and video fields. */
export function selectTaskRows(db: Db) {
  return db
    .select({
      task: tasks,
      annotatorName: annotator.displayName,
      reviewerName: reviewer.displayName,
      videoTitle: videos.title,
      videoDurationSec: videos.durationSec,
      videoFps: videos.fps,
    })
    .from(tasks)
    .innerJoin(videos, eq(videos.id, tasks.videoId))
    .leftJoin(annotator, eq(annotator.id, tasks.annotatorId))
    .leftJoin(reviewer, eq(reviewer.id, tasks.reviewerId));
}
