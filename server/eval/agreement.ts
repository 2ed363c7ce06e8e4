import { and, eq, type SQL } from "drizzle-orm";
import type { Db } from "../db";
import { projects, taskLabels, tasks } from "../db/schema";
import { LabelValue } from "../../shared/labels";
import { krippendorffAlphaNominal, type AlphaResult } from "./krippendorff";

/**
 * Primitive agreement between annotators: for every clip and aspect worked by two or more people (two tasks), each
 * sub-aspect is one unit of Krippendorff's nominal alpha, and each task gives it one value:
 *  - one_of:    the chosen primitive;
 *  - yes_no:    the set of primitives that hold ("(none)" when the task labelled the aspect but none of this
 *               sub-aspect — for yes/no primitives an absent row means "does not hold");
 *  - start_end: "<start primitive>→<end primitive>".
 * A task that did not answer a one_of / start_end sub-aspect gives no value (missing).
 */

export type LabelFact = { taskId: string; videoId: string; aspect: string; primitiveId: string; value: LabelValue };
export type SubAspectAgreement = AlphaResult & { subAspect: string; kind: LabelValue["kind"] };
export type AgreementReport = { subAspects: SubAspectAgreement[]; overall: AlphaResult; clipsCompared: number };

export const NONE = "(none)";

const subAspectOf = (primitiveId: string) => primitiveId.split(".").slice(0, 2).join(".");

function valueOf(kind: LabelValue["kind"], labels: LabelFact[]): string | null {
  if (kind === "yes") return labels.length ? labels.map((l) => l.primitiveId).sort().join("+") : NONE;
  if (kind === "selected") return labels.length ? labels.map((l) => l.primitiveId).sort().join("+") : null;
  const at = (side: "start" | "end") =>
    labels
      .filter((l) => l.value.kind === "start_end" && (l.value.at === side || l.value.at === "both"))
      .map((l) => l.primitiveId)
      .sort()
      .join("+");
  const start = at("start");
  const end = at("end");
  return start && end ? `${start}→${end}` : null;
}

/** The agreement report from label facts (pure). */
export function agreementFromLabels(facts: readonly LabelFact[]): AgreementReport {
  // (clip, aspect) → task → labels
  const groups = new Map<string, Map<string, LabelFact[]>>();
  const kinds = new Map<string, LabelValue["kind"]>();
  for (const f of facts) {
    const key = `${f.videoId}\u0000${f.aspect}`;
    let byTask = groups.get(key);
    if (!byTask) groups.set(key, (byTask = new Map()));
    const list = byTask.get(f.taskId);
    if (list) list.push(f);
    else byTask.set(f.taskId, [f]);
    if (!kinds.has(subAspectOf(f.primitiveId))) kinds.set(subAspectOf(f.primitiveId), f.value.kind);
  }
  const unitsBySub = new Map<string, string[][]>();
  let clipsCompared = 0;
  for (const byTask of groups.values()) {
    if (byTask.size < 2) continue;
    clipsCompared++;
    const subs = new Set<string>();
    for (const labels of byTask.values()) for (const l of labels) subs.add(subAspectOf(l.primitiveId));
    for (const sub of subs) {
      const kind = kinds.get(sub) ?? "selected";
      const unit: string[] = [];
      for (const labels of byTask.values()) {
        const v = valueOf(kind, labels.filter((l) => subAspectOf(l.primitiveId) === sub));
        if (v !== null) unit.push(v);
      }
      const list = unitsBySub.get(sub);
      if (list) list.push(unit);
      else unitsBySub.set(sub, [unit]);
    }
  }
  const subAspects = [...unitsBySub.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([subAspect, units]) => ({ subAspect, kind: kinds.get(subAspect) ?? "selected", ...krippendorffAlphaNominal(units) }));
  // Pooled over sub-aspects: values are primitive ids, so values of different sub-aspects never coincide.
  const overall = krippendorffAlphaNominal(
    [...unitsBySub.entries()].flatMap(([sub, units]) => units.map((u) => u.map((v) => `${sub}=${v}`))),
  );
  return { subAspects, overall, clipsCompared };
}

export class AgreementError extends Error {}

/** Reads the labels of non-gold tasks (of one project, when named) and reports agreement. */
export async function primitiveAgreement(db: Db, opts: { projectName?: string } = {}): Promise<AgreementReport> {
  const conds: SQL[] = [eq(tasks.isGold, false)];
  if (opts.projectName !== undefined) {
    const [p] = await db.select({ id: projects.id }).from(projects).where(eq(projects.name, opts.projectName)).limit(1);
    if (!p) throw new AgreementError(`No project named "${opts.projectName}".`);
    conds.push(eq(tasks.projectId, p.id));
  }
  const rows = await db
    .select({ taskId: taskLabels.taskId, primitiveId: taskLabels.primitiveId, value: taskLabels.value, videoId: tasks.videoId, aspect: tasks.aspect })
    .from(taskLabels)
    .innerJoin(tasks, eq(tasks.id, taskLabels.taskId))
    .where(and(...conds));
  const facts: LabelFact[] = [];
  for (const r of rows) {
    const value = LabelValue.safeParse(r.value);
    // A stored value of an unknown shape is not a label this report can compare.
    if (value.success) facts.push({ ...r, value: value.data });
  }
  return agreementFromLabels(facts);
}
