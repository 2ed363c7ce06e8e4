import {
  CatchListResponse,
  LeaderboardResponse,
  PersonFiguresResponse,
  REVIEW_PATHS,
  RewardRuleListResponse,
  RewardRuleView,
  type NewRewardRuleRequest,
  type PeriodKind,
} from "../../../../shared/api/review";
import { get, post } from "../../app/api";

/** The lead's figures endpoints. */
export const leadApi = {
  leaderboard: (period: PeriodKind, at: string, signal?: AbortSignal) =>
    get(REVIEW_PATHS.leaderboard, { schema: LeaderboardResponse, query: { period, at }, signal }),
  person: (id: string, range: { from?: string; to?: string }, signal?: AbortSignal) =>
    get(REVIEW_PATHS.person(id), { schema: PersonFiguresResponse, query: range, signal }),
  rules: (signal?: AbortSignal) => get(REVIEW_PATHS.rewardRules, { schema: RewardRuleListResponse, signal }),
  addRule: (body: NewRewardRuleRequest) => post(REVIEW_PATHS.rewardRules, body, { schema: RewardRuleView }),
  disputed: (signal?: AbortSignal) => get(REVIEW_PATHS.catches, { schema: CatchListResponse, query: { status: "disputed" }, signal }),
};

/** The payout CSV's address: a plain link, so the browser downloads it with the session cookie. */
export const payoutHref = (from: string, to: string, rate: string) => REVIEW_PATHS.payouts({ from, to, rate });
