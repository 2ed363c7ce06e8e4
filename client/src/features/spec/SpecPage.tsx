import { SpecBrowser } from "./SpecBrowser";
import { primitiveFromSearch, specHref } from "./links";
import { useSpec } from "./useSpec";
import { navigate } from "../../app/router";

/** /spec: the caption specification browser, the selected primitive kept in the URL. */
export function SpecPage({ search }: { search: string }) {
  const state = useSpec();
  if (state.status === "loading") return <main className="page"><p className="muted">Loading the caption spec…</p></main>;
  if (state.status === "error")
    return (
      <main className="page">
        <p className="alert alert-error" role="alert">{state.message}</p>
      </main>
    );
  return (
    <main className="page spec-page">
      <SpecBrowser spec={state.spec} selectedId={primitiveFromSearch(search)} onSelect={(id) => navigate(specHref(id))} />
    </main>
  );
}
