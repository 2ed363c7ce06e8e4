import { useState } from "react";
import { REWARD_RULE_KEYS, type RewardRuleKey } from "../../../../shared/api/review";
import { ErrorNote, LoadError } from "../../ui/Alert";
import { Choice, Field } from "../../ui/Field";
import { Panel } from "../../ui/Panel";
import { useAction } from "../../ui/useAction";
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
    <Panel id="rules-title" title="Reward rules" testId="rules">
      <div className="panel-body">
        <LoadError state={rules} />
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
    </Panel>
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
  const { busy, error, run } = useAction();
  const submit = async () => {
    if (await run(() => leadApi.addRule({ rule, points: Number(points), effectiveFrom: from }))) {
      setPoints("");
      onAdded();
    }
  };
  return (
    <form
      className="figures-range"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      aria-label="New rule version"
    >
      <Field inline label="Rule">
        <Choice value={rule} options={REWARD_RULE_KEYS.map((k) => ({ value: k, label: k }))} onChange={setRule} />
      </Field>
      <Field inline label="Points">
        <input type="number" step="0.5" required value={points} onChange={(e) => setPoints(e.target.value)} />
      </Field>
      <Field inline label="From">
        <input type="date" min={todayUtc()} required value={from} onChange={(e) => setFrom(e.target.value)} />
      </Field>
      <button type="submit" className="btn" disabled={busy || points === ""}>
        Add version
      </button>
      <ErrorNote message={error} />
    </form>
  );
}
