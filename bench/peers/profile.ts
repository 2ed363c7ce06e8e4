/**
 * Reads a V8 CPU profile (`node --cpu-prof`) of our production build and prints where the time went: self time per
 * function and per area (our modules, each package, Node's internals, GC, idle), with our bundled code mapped back
 * to its source file through the bundle's source map. `bench:collab --peers --profile DIR` writes and reads one per
 * round of our server; `npx tsx bench/peers/profile.ts FILE.cpuprofile` reads any.
 */
import fs from "node:fs";
import { SourceMap, type SourceMapPayload } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame };
/** The parts of the .cpuprofile format read here (Chrome DevTools Protocol Profiler.Profile). */
type CpuProfile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

export type ProfileLine = { name: string; ms: number; percent: number };
export type ProfileSummary = { totalMs: number; busyMs: number; functions: ProfileLine[]; areas: ProfileLine[] };

/** Source maps of bundled files, loaded once each (null: the file has none). */
function sourceMapper(): (url: string, line: number, column: number) => string | null {
  const maps = new Map<string, SourceMap | null>();
  return (url, line, column) => {
    if (!url.startsWith("file://")) return null;
    const file = fileURLToPath(url);
    let map = maps.get(file);
    if (map === undefined) {
      const mapFile = `${file}.map`;
      map = fs.existsSync(mapFile) ? new SourceMap(JSON.parse(fs.readFileSync(mapFile, "utf8")) as SourceMapPayload) : null;
      maps.set(file, map);
    }
    if (!map) return null;
    const entry = map.findEntry(line, column);
    return "originalSource" in entry ? `${entry.originalSource.replace(/^(\.\.\/)+/, "")}:${entry.originalLine + 1}` : null;
  };
}

/** "yjs", "ws", "@y/…", "server/collab/writeGate.ts", "node:internal", "(garbage collector)", … */
function areaOf(frame: CallFrame, source: string | null): string {
  if (source) return source.replace(/:\d+$/, "");
  const { url, functionName } = frame;
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  if (url.startsWith("node:")) return "node:internal";
  const nm = url.lastIndexOf("/node_modules/");
  if (nm >= 0) {
    const parts = url.slice(nm + "/node_modules/".length).split("/");
    return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  return url.replace(/^file:\/\//, "");
}

export function summarizeProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const map = sourceMapper();
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    totalUs += us;
    const f = node.callFrame;
    if (f.functionName === "(idle)" || f.functionName === "(program)") idleUs += f.functionName === "(idle)" ? us : 0;
    const source = map(f.url, f.lineNumber, f.columnNumber);
    const area = areaOf(f, source);
    const where = source ?? (f.url ? `${area}:${f.lineNumber + 1}` : "");
    const name = `${f.functionName || "(anonymous)"}${where ? ` ${where}` : ""}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const lines = (m: Map<string, number>) =>
    [...m]
      .filter(([name]) => !name.startsWith("(idle)"))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 100) / 10, percent: Math.round((us / Math.max(1, busyUs)) * 1000) / 10 }));
  return { totalMs: Math.round(totalUs / 1000), busyMs: Math.round(busyUs / 1000), functions: lines(byFunction), areas: lines(byArea) };
}

export function printProfile(file: string, summary: ProfileSummary): void {
  console.log(`\n[profile] ${path.basename(file)}: ${summary.busyMs} ms busy of ${summary.totalMs} ms sampled (share of busy time)`);
  console.log("  by area:");
  for (const l of summary.areas) console.log(`    ${l.percent.toFixed(1).padStart(5)} %  ${String(l.ms).padStart(8)} ms  ${l.name}`);
  console.log("  by function (self time):");
  for (const l of summary.functions) console.log(`    ${l.percent.toFixed(1).padStart(5)} %  ${String(l.ms).padStart(8)} ms  ${l.name}`);
}

/** The newest .cpuprofile in `dir`, or undefined. */
export function newestProfile(dir: string): string | undefined {
  if (!fs.existsSync(dir)) return undefined;
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: tsx bench/peers/profile.ts FILE.cpuprofile [TOP]");
    process.exit(2);
  }
  printProfile(file, summarizeProfile(readProfile(file), Number(process.argv[3] ?? 25)));
}
