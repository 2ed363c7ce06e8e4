import * as Y from "yjs";

/**
 * What the draft's XmlFragment may hold: the nodes and marks of the editor's schema (client DraftEditor: Tiptap's
 * StarterKit without headings, code blocks, block quotes and rules) as y-tiptap stores them. Top-level children are
 * block elements, text lives in XmlText inside a paragraph, marks are the XmlText's format attributes (y-tiptap
 * names a mark that may overlap itself `name--<hash>`). Raw strings, embeds, hooks and unknown elements break the
 * editor binding and the server's draft reading, so the collaboration server refuses updates that write them.
 */
const BLOCKS = ["paragraph", "bulletList", "orderedList"] as const;

/** Each element name and what its children may be ("text" = an XmlText). */
const CHILDREN: Readonly<Record<string, readonly string[]>> = {
  paragraph: ["text", "hardBreak"],
  hardBreak: [],
  bulletList: ["listItem"],
  orderedList: ["listItem"],
  listItem: BLOCKS,
};

/** Element attributes y-tiptap writes (node attrs that are not null). */
const ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  orderedList: ["start", "type"],
};

const MARKS = new Set(["bold", "italic", "strike", "code", "underline", "link", "ychange"]);
const MARK_KEY = /^([a-zA-Z]+)(--[A-Za-z0-9+/=_-]+)?$/;
const MAX_DEPTH = 12;

/** Problems of the draft fragment's structure in words ([] = sound); stops at the first few. */
export function draftStructureProblems(fragment: Y.XmlFragment, max = 5): string[] {
  const problems: string[] = [];
  const report = (p: string) => problems.length < max && problems.push(`draft: ${p}`);
  const visitChildren = (parent: Y.XmlFragment | Y.XmlElement, allowed: readonly string[], where: string, depth: number) => {
    if (depth > MAX_DEPTH) return report(`nested deeper than ${MAX_DEPTH} at ${where}`);
    // toArray gives live children: nested types, or the raw values (strings, JSON) a foreign update put there.
    parent.toArray().forEach((child: unknown, i) => {
      if (problems.length >= max) return;
      const at = `${where}[${i}]`;
      if (child instanceof Y.XmlText) {
        if (!allowed.includes("text")) return report(`text directly in ${where}`);
        return textProblems(child, at, report);
      }
      if (child instanceof Y.XmlHook || !(child instanceof Y.XmlElement)) return report(`${at} is not an element of the editor`);
      const name = child.nodeName;
      const kids = CHILDREN[name];
      if (!kids || !allowed.includes(name)) return report(`<${name}> is not allowed in ${where}`);
      const attrs = ATTRIBUTES[name] ?? [];
      for (const [key, value] of Object.entries(child.getAttributes())) {
        if (!attrs.includes(key)) report(`<${name}> has an unknown attribute "${key}"`);
        else if (!["string", "number"].includes(typeof value)) report(`<${name}> attribute "${key}" is not a string or number`);
      }
      visitChildren(child, kids, `${at}<${name}>`, depth + 1);
    });
  };
  visitChildren(fragment, BLOCKS, "draft", 0);
  return problems;
}

function textProblems(text: Y.XmlText, at: string, report: (p: string) => void): void {
  for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    if (typeof op.insert !== "string") return void report(`${at} holds an embed, not text`);
    for (const key of Object.keys(op.attributes ?? {})) {
      const mark = MARK_KEY.exec(key)?.[1];
      if (!mark || !MARKS.has(mark)) return void report(`${at} has an unknown mark "${key}"`);
    }
  }
}

/**
 * Removes from the draft what the editor cannot hold (raw strings or embeds where elements belong, text directly in
 * the fragment or a list, hooks, unknown elements); sound paragraphs stay. For rooms written before the server
 * enforced this. Call inside a transaction; returns how many nodes it removed.
 */
export function repairDraft(fragment: Y.XmlFragment): number {
  let removed = 0;
  const prune = (parent: Y.XmlFragment | Y.XmlElement, allowed: readonly string[]) => {
    const kids: unknown[] = parent.toArray();
    // Backwards, so indices stay valid as children go.
    for (let i = kids.length - 1; i >= 0; i--) {
      const child = kids[i];
      const ok =
        (child instanceof Y.XmlText && allowed.includes("text")) ||
        (child instanceof Y.XmlElement && !(child instanceof Y.XmlHook) && CHILDREN[child.nodeName] !== undefined && allowed.includes(child.nodeName));
      if (!ok) {
        parent.delete(i, 1);
        removed++;
      } else if (child instanceof Y.XmlElement) prune(child, CHILDREN[child.nodeName]!);
    }
  };
  prune(fragment, BLOCKS);
  return removed;
}
