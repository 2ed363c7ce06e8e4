import { useState, type FormEvent } from "react";
import { REWARD_RULE_KEYS, type RewardRuleKey } from "../../../../shared/api/review";
import { errorMessage } from "../../app/api";
import { useAsync } from "../../ui/useAsync";
import { formatPoints, todayUtc } from "./figuresFormat";
import { leadApi } from "./leadApi";

/**
 * The reward rules in effect today, and (for admins) a new version of one from a future day. The server keeps every
 * version; a change never rewrites what past days paid.
 */
export function RulesPanel({ canEdit }: { canEdit: boolean }) {
  const [reloads, setReloads] = useState(0);
  const rules = useAsync(`rules:${reloads}`, (signal) => leadApi.rules(signal));
  const today = todayUtc();
  const current = (rules.data ?? []).filter((r) => r.effectiveFrom <= today && (r.effectiveTo === null || r.effectiveTo > today));
  const upcoming = (rules.data ?? []).filter((r) => r.effectiveFrom > today);
  return (
    <section className="panel" aria-labelledby="rules-title" data-testid="rules">
      <div className="panel-head">
        <h2 id="rules-title">Reward rules</h2>
      </div>
      <div className="panel-body">
        {rules.status === "error" && (
          <p className="alert alert-error" role="alert">
            {rules.message}
          </p>
        )}
        <dl className="figures-grid">
          {current.map((r) => (
            <RuleLine key={r.id} rule={r.rule} points={r.points} note={r.effectiveTo ? `until ${r.effectiveTo}` : ""} />
          ))}
          {upcoming.map((r) => (
            <RuleLine key={r.id} rule={r.rule} points={r.points} note={`from ${r.effectiveFrom}`} />
          ))}
        </dl>
        {canEdit && <NewRuleForm onAdded={() => setReloads((n) => n + 1)} />}
      </div>
    </section>
  );
}

function RuleLine({ rule, points, note }: { rule: string; points: number; note: string }) {
  return (
    <>
      <dt>
        {rule} {note && <span className="muted">({note})</span>}
      </dt>
      <dd>{formatPoints(points)}</dd>
    </>
  );
}

function NewRuleForm({ onAdded }: { onAdded(): void }) {
  const [rule, setRule] = useState<RewardRuleKey>("task.approved");
  const [points, setPoints] = useState("");
  const [from, setFrom] = useState(todayUtc(new Date(Date.now() + 86_400_000)));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await leadApi.addRule({ rule, points: Number(points), effectiveFrom: from });
      setPoints("");
      onAdded();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="figures-range" onSubmit={(e) => void submit(e)} aria-label="New rule version">
      <label className="field-inline">
        <span>Rule</span>
        <select value={rule} onChange={(e) => setRule(e.target.value as RewardRuleKey)}>
          {REWARD_RULE_KEYS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      <label className="field-inline">
        <span>Points</span>
        <input type="number" step="0.5" required value={points} onChange={(e) => setPoints(e.target.value)} />
      </label>
      <label className="field-inline">
        <span>From</span>
        <input type="date" min={todayUtc()} required value={from} onChange={(e) => setFrom(e.target.value)} />
      </label>
      <button type="submit" className="btn" disabled={busy || points === ""}>
        Add version
      </button>
      {error && <p className="alert alert-error">{error}</p>}
    </form>
  );
}
