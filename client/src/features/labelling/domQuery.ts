/** The element under `root` whose attribute equals `value` (compared as a string, so no selector escaping). */
export function byData(root: HTMLElement | null, attr: string, value: string): HTMLElement | undefined {
  return root ? Array.from(root.querySelectorAll<HTMLElement>(`[${attr}]`)).find((el) => el.getAttribute(attr) === value) : undefined;
}
