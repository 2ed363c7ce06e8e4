import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";

/** A labelled form control: the label wraps it, so clicking the text focuses the control. */
export function Field({ label, inline = false, children }: { label: ReactNode; inline?: boolean; children: ReactNode }) {
  return (
    <label className={inline ? "field-inline" : "field"}>
      <span>{label}</span>
      {children}
    </label>
  );
}

type InputFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "onChange" | "value"> & {
  label: ReactNode;
  value: string;
  onValue(value: string): void;
};

/** A labelled <input> over a piece of text state (other <input> attributes pass through). */
export function InputField({ label, onValue, ...input }: InputFieldProps) {
  return (
    <Field label={label}>
      <input {...input} onChange={(e) => onValue(e.target.value)} />
    </Field>
  );
}

export type Option<V extends string> = { value: V; label: string };

type ChoiceProps<V extends string> = Omit<SelectHTMLAttributes<HTMLSelectElement>, "value" | "onChange"> & {
  value: V;
  options: readonly Option<V>[];
  onChange(value: NoInfer<V>): void;
  /** The label of a first option with the value "" (no choice, "all"). */
  empty?: string;
};

/** A <select> over a list of options (other <select> attributes, such as name or disabled, pass through). */
export function Choice<V extends string>({ value, options, onChange, empty, ...select }: ChoiceProps<V>) {
  return (
    <select {...select} value={value} onChange={(e) => onChange(e.target.value as V)}>
      {empty !== undefined && <option value="">{empty}</option>}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
