import type { ReactNode } from "react";

type Props = { id: string; title: ReactNode; aside?: ReactNode; className?: string; testId?: string; children: ReactNode };

/** A titled panel of a page; `id` names its heading, which labels the section for assistive technology. */
export function Panel({ id, title, aside, className, testId, children }: Props) {
  return (
    <section className={className ? `panel ${className}` : "panel"} aria-labelledby={id} data-testid={testId}>
      <div className="panel-head">
        <h2 id={id}>{title}</h2>
        {aside}
      </div>
      {children}
    </section>
  );
}
