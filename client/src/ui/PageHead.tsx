import type { ReactNode } from "react";

/** A page's title, a muted line under it, and (on the right) the page's own controls. */
export function PageHead({ title, intro, children }: { title: ReactNode; intro: ReactNode; children?: ReactNode }) {
  return (
    <div className="page-head">
      <div>
        <h1>{title}</h1>
        <p className="muted">{intro}</p>
      </div>
      {children}
    </div>
  );
}
