import type { ReactNode } from "react";

/** A labelled form control: the label wraps it, so clicking the text focuses the control. */
export function Field({ label, inline = false, children }: { label: ReactNode; inline?: boolean; children: ReactNode }) {
  return (
    <label className={inline ? "field-inline" : "field"}>
      <span>{label}</span>
      {children}
    </label>
  );
}

export type Option<V extends string> = { value: V; label: string };

type ChoiceProps<V extends string> = {
  value: V;
  options: readonly Option<V>[];
  onChange(value: NoInfer<V>): void;
  /** The label of a first option with the value "" (no choice, "all"). */
  empty?: string;
};

/** A <select> over a list of options. */
export function Choice<V extends string>({ value, options, onChange, empty }: ChoiceProps<V>) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as V)}>
      {empty !== undefined && <option value="">{empty}</option>}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
