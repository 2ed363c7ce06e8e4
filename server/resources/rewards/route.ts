import { Hono } from "hono";
import { audit } from "../../audit";
import { currentUser, requireRole } from "../../auth/middleware";
import type { AppDeps, AppEnv } from "../../context";
import { readJson } from "../../http/readJson";
import { addRule, listRules } from "../../review/rules";
import { NewRewardRuleRequest, type RewardRuleListResponse, type RewardRuleView } from "../../../shared/api/review";

/**
 * Reward rules, mounted at /api/reward-rules. Rules are data; the ledger itself has no endpoint that writes it.
 *   GET  /   every rule version (leads and admins)
 *   POST /   {rule, points, effectiveFrom}: a new version, closing the current one (admins)
 */
export function rewardsRoutes(deps: AppDeps) {
  const { db } = deps.database;
  return new Hono<AppEnv>()
    .get("/", requireRole("lead", "admin"), async (c) => {
      const body: RewardRuleListResponse = await listRules(db);
      return c.json(body);
    })
    .post("/", requireRole("admin"), async (c) => {
      const user = currentUser(c);
      const req = await readJson(c, NewRewardRuleRequest);
      const body: RewardRuleView = await addRule(db, user.id, req);
      await audit(db, { actorId: user.id, action: "reward_rule.add", entityType: "reward_rule", entityId: body.id, data: { ...req } });
      return c.json(body, 201);
    });
}
