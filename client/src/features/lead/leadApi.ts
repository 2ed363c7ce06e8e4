import type {
  CatchListResponse,
  LeaderboardResponse,
  NewRewardRuleRequest,
  PeriodKind,
  PersonFiguresResponse,
  RewardRuleListResponse,
  RewardRuleView,
} from "../../../../shared/api/review";
import { request } from "../../app/api";

/** The lead's figures endpoints. */
export const leadApi = {
  leaderboard: (period: PeriodKind, at: string, signal?: AbortSignal) =>
    request<LeaderboardResponse>("GET", "/api/figures/leaderboard", { query: { period, at }, signal }),
  person: (id: string, range: { from?: string; to?: string }, signal?: AbortSignal) =>
    request<PersonFiguresResponse>("GET", `/api/figures/people/${encodeURIComponent(id)}`, { query: range, signal }),
  rules: (signal?: AbortSignal) => request<RewardRuleListResponse>("GET", "/api/reward-rules", { signal }),
  addRule: (body: NewRewardRuleRequest) => request<RewardRuleView>("POST", "/api/reward-rules", { body }),
  disputed: (signal?: AbortSignal) => request<CatchListResponse>("GET", "/api/catches", { query: { status: "disputed" }, signal }),
};

/** The payout CSV's address: a plain link, so the browser downloads it with the session cookie. */
export function payoutHref(from: string, to: string, rate: string): string {
  return `/api/payouts.csv?${new URLSearchParams({ from, to, rate }).toString()}`;
}
