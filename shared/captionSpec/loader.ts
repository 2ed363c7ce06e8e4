import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { ASPECTS, type Aspect } from "../domain";
import { LexiconFile, type Lexicon } from "./lexicon";
import {
  AspectFile,
  SpecIndexFile,
  type AspectSpec,
  type Primitive,
  type Spec,
  type SubAspect,
} from "./schema";
import { contentHash, specVersion, type Sha256Hex } from "./version";

/**
 * Loads the caption specification from file texts: parses the YAML, validates it against the schema and checks
 * what a schema cannot (ids nest under their parents and are unique, confusables exist, dependencies come first,
 * lexicon ids exist). Pure — no file system — so the server, the CLI, tests and the client share it. Every problem
 * is reported with its file, its path inside the file and, where the YAML tells us, its line; all problems are
 * collected, not just the first.
 */

export type SpecSourceFile = { path: string; text: string };

export type SpecError = {
  /** The file's path as given to the loader (e.g. "camera.yaml"). */
  file: string;
  /** Where in the file: "subAspects[3].primitives[7].confusables[1]"; "" for the whole file. */
  path: string;
  /** 1-based line and column, when the YAML node could be located. */
  line?: number;
  column?: number;
  message: string;
};

export type LoadedSpec = { spec: Spec; lexicon: Lexicon };
export type LoadResult = ({ ok: true } & LoadedSpec) | { ok: false; errors: SpecError[] };

export type LoadOptions = {
  sha256Hex: Sha256Hex;
  /** Path of the index among the files; default "spec.yaml". */
  indexPath?: string;
};

type PathSegment = string | number;

/** "subAspects[3].primitives[7].id" from ["subAspects", 3, "primitives", 7, "id"]. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

/** One parsed YAML file and how to turn a path inside it into a line. */
class ParsedFile {
  readonly doc: Document;
  private readonly lines = new LineCounter();

  constructor(readonly file: string, text: string) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
  }

  error(path: readonly PathSegment[], message: string): SpecError {
    const offset = this.offsetOf(path);
    const pos = offset === undefined ? undefined : this.lines.linePos(offset);
    return { file: this.file, path: formatPath(path), ...(pos ? { line: pos.line, column: pos.col } : {}), message };
  }

  syntaxErrors(): SpecError[] {
    return this.doc.errors.map((e) => {
      const pos = this.lines.linePos(e.pos[0]);
      return {
        file: this.file,
        path: "",
        line: pos.line,
        column: pos.col,
        message: `YAML: ${e.message.split("\n")[0]}`,
      };
    });
  }

  /** Start offset of the deepest node along the path (the key itself when the path ends at a key with no value). */
  private offsetOf(path: readonly PathSegment[]): number | undefined {
    let node: unknown = this.doc.contents;
    let offset = rangeStart(node);
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        node = pair.value;
        offset = rangeStart(pair.value) ?? rangeStart(pair.key) ?? offset;
      } else if (isSeq(node) && typeof seg === "number") {
        const item: unknown = node.items[seg];
        if (item === undefined) break;
        node = item;
        offset = rangeStart(item) ?? offset;
      } else break;
    }
    return offset;
  }
}

function rangeStart(node: unknown): number | undefined {
  if (node && typeof node === "object" && "range" in node) {
    const range = (node as { range?: unknown }).range;
    if (Array.isArray(range) && typeof range[0] === "number") return range[0];
  }
  return undefined;
}

/** Validates a parsed file against a schema, turning zod issues into located errors. */
function validate<S extends z.ZodType>(parsed: ParsedFile, schema: S, errors: SpecError[]): z.infer<S> | undefined {
  const result = schema.safeParse(parsed.doc.toJS());
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = issue.path.filter((p): p is PathSegment => typeof p !== "symbol");
    if (issue.code === "unrecognized_keys") {
      // Point at each unknown key rather than at the object holding it.
      for (const key of issue.keys) errors.push(parsed.error([...path, key], `unknown field "${key}"`));
    } else {
      errors.push(parsed.error(path, issue.message));
    }
  }
  return undefined;
}

export function loadSpec(files: readonly SpecSourceFile[], options: LoadOptions): LoadResult {
  const indexPath = options.indexPath ?? "spec.yaml";
  const errors: SpecError[] = [];
  const byPath = new Map(files.map((f) => [normalisePath(f.path), f]));

  const parse = (path: string, referencedFrom: () => SpecError): ParsedFile | undefined => {
    const source = byPath.get(normalisePath(path));
    if (!source) {
      errors.push(referencedFrom());
      return undefined;
    }
    const parsed = new ParsedFile(source.path, source.text);
    const syntax = parsed.syntaxErrors();
    errors.push(...syntax);
    return syntax.length ? undefined : parsed;
  };

  const missingIndex = (): SpecError => ({ file: indexPath, path: "", message: `index file ${indexPath} not found` });
  const indexFile = parse(indexPath, missingIndex);
  if (!indexFile) return { ok: false, errors };
  const index = validate(indexFile, SpecIndexFile, errors);
  if (!index) return { ok: false, errors };

  // The index lists each aspect once; its order is the captioning order that dependsOn must follow.
  const order = new Map<Aspect, number>();
  index.aspects.forEach((entry, i) => {
    if (order.has(entry.aspect)) {
      errors.push(indexFile.error(["aspects", i, "aspect"], `aspect "${entry.aspect}" is listed twice`));
    } else order.set(entry.aspect, i);
  });
  for (const aspect of ASPECTS) {
    if (!order.has(aspect)) errors.push(indexFile.error(["aspects"], `aspect "${aspect}" is missing from the index`));
  }

  const aspectFiles: { parsed: ParsedFile; data: z.infer<typeof AspectFile>; expected: Aspect }[] = [];
  index.aspects.forEach((entry, i) => {
    const parsed = parse(entry.file, () =>
      indexFile.error(["aspects", i, "file"], `file "${entry.file}" for aspect "${entry.aspect}" not found`),
    );
    if (!parsed) return;
    const data = validate(parsed, AspectFile, errors);
    if (data) aspectFiles.push({ parsed, data, expected: entry.aspect });
  });

  const lexiconFile = parse(index.lexicon, () =>
    indexFile.error(["lexicon"], `lexicon file "${index.lexicon}" not found`),
  );
  const lexicon = lexiconFile ? validate(lexiconFile, LexiconFile, errors) : undefined;

  // Cross-checks over the whole spec.
  const primitives: Record<string, Primitive> = {};
  const firstSeen = new Map<string, string>();
  const aspects: AspectSpec[] = [];
  for (const { parsed, data, expected } of aspectFiles) {
    if (data.aspect !== expected) {
      errors.push(parsed.error(["aspect"], `file is listed for aspect "${expected}" but declares "${data.aspect}"`));
    }
    const aspect = expected;
    const position = order.get(aspect) ?? 0;
    data.policy.dependsOn.forEach((dep, d) => {
      const at = ["policy", "dependsOn", d];
      if (dep === aspect) errors.push(parsed.error(at, `aspect "${aspect}" cannot depend on itself`));
      else if ((order.get(dep) ?? Infinity) > position) {
        errors.push(parsed.error(at, `"${dep}" is captioned after "${aspect}" in the index, so it cannot be read`));
      }
    });

    const subAspects: SubAspect[] = [];
    data.subAspects.forEach((sub, s) => {
      const subPath = ["subAspects", s];
      if (!sub.id.startsWith(`${aspect}.`)) {
        errors.push(parsed.error([...subPath, "id"], `sub-aspect id "${sub.id}" must start with "${aspect}."`));
      }
      const subAt = () => parsed.error([...subPath, "id"], "");
      noteId(sub.id, `${parsed.file} ${formatPath(subPath)}`, subAt, firstSeen, errors);
      const loaded: Primitive[] = [];
      sub.primitives.forEach((p, k) => {
        const pPath = [...subPath, "primitives", k];
        if (!p.id.startsWith(`${sub.id}.`)) {
          errors.push(parsed.error([...pPath, "id"], `primitive id "${p.id}" must start with "${sub.id}."`));
        }
        const idAt = () => parsed.error([...pPath, "id"], "");
        noteId(p.id, `${parsed.file} ${formatPath(pPath)}`, idAt, firstSeen, errors);
        const primitive: Primitive = { ...p, aspect, subAspect: sub.id, value: sub.value };
        if (!primitives[p.id]) primitives[p.id] = primitive;
        loaded.push(primitive);
      });
      const { primitives: _files, ...rest } = sub;
      subAspects.push({ ...rest, aspect, primitives: loaded });
    });
    const { subAspects: _files, ...rest } = data;
    aspects.push({ ...rest, aspect, subAspects });
  }

  // Confusables need every id known first.
  for (const { parsed, data } of aspectFiles) {
    data.subAspects.forEach((sub, s) =>
      sub.primitives.forEach((p, k) => {
        const seen = new Set<string>();
        p.confusables.forEach((c, i) => {
          const at = ["subAspects", s, "primitives", k, "confusables", i];
          if (c === p.id) errors.push(parsed.error(at, `"${p.id}" lists itself as a confusable`));
          else if (!primitives[c]) errors.push(parsed.error(at, `confusable "${c}" is not a primitive of the spec`));
          else if (seen.has(c)) errors.push(parsed.error(at, `confusable "${c}" is listed twice`));
          seen.add(c);
        });
      }),
    );
  }

  if (lexiconFile && lexicon && aspectFiles.length === index.aspects.length) {
    const known = (id: string, at: PathSegment[]) => {
      if (!primitives[id]) errors.push(lexiconFile.error(at, `"${id}" is not a primitive of the spec`));
    };
    lexicon.imprecise.forEach((t, i) => t.means.forEach((id, m) => known(id, ["imprecise", i, "means", m])));
    lexicon.confusablePairs.forEach((pair, i) => {
      known(pair.a, ["confusablePairs", i, "a"]);
      known(pair.b, ["confusablePairs", i, "b"]);
      if (pair.a === pair.b) errors.push(lexiconFile.error(["confusablePairs", i, "b"], "a pair needs two primitives"));
    });
  }

  if (errors.length || !lexicon || aspectFiles.length !== index.aspects.length) return { ok: false, errors };

  // Aspects in captioning order, whatever order the files were given in.
  aspects.sort((a, b) => (order.get(a.aspect) ?? 0) - (order.get(b.aspect) ?? 0));
  const hash = contentHash({ name: index.name, semver: index.version, aspects, lexicon }, options.sha256Hex);
  const spec: Spec = {
    name: index.name,
    version: specVersion(index.version, hash),
    semver: index.version,
    contentHash: hash,
    aspects,
    primitives,
  };
  return { ok: true, spec, lexicon };
}

function noteId(id: string, where: string, at: () => SpecError, firstSeen: Map<string, string>, errors: SpecError[]) {
  const first = firstSeen.get(id);
  if (first) errors.push({ ...at(), message: `id "${id}" is already used at ${first}` });
  else firstSeen.set(id, where);
}

function normalisePath(p: string): string {
  return p.replace(/\\/g, "/").replace(/^\.\//, "");
}

/** One line per error: "camera.yaml:42:9 subAspects[3].primitives[7].confusables[1]: confusable … not found". */
export function formatSpecError(e: SpecError): string {
  const where = e.line === undefined ? e.file : `${e.file}:${e.line}:${e.column ?? 1}`;
  return `${where}${e.path ? ` ${e.path}` : ""}: ${e.message}`;
}
