import { useState } from "react";
import type { AuditEntry } from "../../../../shared/api/people";
import { Choice, Field, InputField } from "../../ui/Field";
import { LoadError } from "../../ui/Alert";
import { PageHead } from "../../ui/PageHead";
import { TableHead } from "../../ui/TableHead";
import { useAsync } from "../../ui/useAsync";
import { adminApi } from "./adminApi";
import "./admin.css";

type Filters = { actorId: string; action: string; entityType: string; from: string; to: string };
const EMPTY: Filters = { actorId: "", action: "", entityType: "", from: "", to: "" };
const ENTITY_TYPES = ["user", "invite", "task", "project", "video", "export", "reward_rules"].map((t) => ({ value: t, label: t }));

/**
 * /admin/audit: who did what, newest first. Filters apply at once; "Older" follows the server's keyset cursor, so
 * the pages already read stay put while new entries arrive.
 */
export function AuditPage() {
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [cursors, setCursors] = useState<string[]>([]);
  const before = cursors.at(-1);
  const people = useAsync("audit-people", (signal) => adminApi.users(signal));
  const page = useAsync(JSON.stringify({ filters, before }), (signal) =>
    adminApi.audit({ ...filters, before, limit: "50" }, signal),
  );
  const set = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setCursors([]);
  };
  const personOptions = (people.data?.users ?? []).map((u) => ({ value: u.id, label: u.displayName }));

  return (
    <main className="page admin-page">
      <PageHead title="Audit log" intro="Who did what, and when. Newest first." />
      <form className="form-row admin-filters" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()}>
        <Field label="Person">
          <Choice name="actorId" value={filters.actorId} options={personOptions} empty="Anyone" onChange={(actorId) => set({ actorId })} />
        </Field>
        <InputField label="Action (e.g. user. or auth.login)" name="action" value={filters.action} onValue={(action) => set({ action })} />
        <Field label="Entity">
          <Choice name="entityType" value={filters.entityType} options={ENTITY_TYPES} empty="Any" onChange={(entityType) => set({ entityType })} />
        </Field>
        <InputField label="From" type="date" name="from" value={filters.from} onValue={(from) => set({ from })} />
        <InputField label="To" type="date" name="to" value={filters.to} onValue={(to) => set({ to })} />
      </form>
      <LoadError state={page} />
      {page.data && (
        <>
          <div className="table-wrap">
            <table className="task-table admin-table" aria-label="Audit entries" aria-busy={page.status === "loading"}>
              <TableHead columns={["When", "Who", "Action", "Entity", "Details"]} />
              <tbody>
                {page.data.entries.map((e) => (
                  <Row key={e.id} entry={e} />
                ))}
              </tbody>
            </table>
          </div>
          {page.data.entries.length === 0 && <p className="muted">Nothing matches these filters.</p>}
          <div className="pager">
            <button type="button" className="btn" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
              Newer
            </button>
            <button type="button" className="btn" disabled={!page.data.nextBefore} onClick={() => setCursors((c) => [...c, page.data?.nextBefore ?? ""])}>
              Older
            </button>
          </div>
        </>
      )}
    </main>
  );
}

function Row({ entry }: { entry: AuditEntry }) {
  const details = Object.keys(entry.data).length > 0 ? JSON.stringify(entry.data) : "";
  return (
    <tr>
      <td>{new Date(entry.at).toLocaleString()}</td>
      <td>{entry.actor?.name ?? "system"}</td>
      <td>
        <code>{entry.action}</code>
      </td>
      <td>
        {/* The id's first characters tell entries apart; the whole id is in the title. */}
        {entry.entityType} <span className="muted" title={entry.entityId}>{entry.entityId.slice(0, 8)}</span>
      </td>
      <td className="muted">
        <span className="audit-details" title={details}>
          {details}
        </span>
      </td>
    </tr>
  );
}
