import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * Every Prometheus metric of the process, in one registry served by GET /api/metrics (resources/metrics). The
 * instrumented code imports the metric it feeds from here. Labels are bounded sets (routes as patterns, provider
 * names, error codes, refusal reasons): never room ids, user ids or anything a user typed.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

const registers = [metricsRegistry];

/** What the collaboration server of this process reports on each scrape (collab/index.ts registers it). */
export type CollabSource = { connections(): number; roomsLoaded(): number; pendingWrites(): number };

const collabSources = new Set<CollabSource>();

/** Adds a collaboration server to the gauges; the returned function takes it away (on close). */
export function registerCollabSource(source: CollabSource): () => void {
  collabSources.add(source);
  return () => void collabSources.delete(source);
}

const sum = (read: (s: CollabSource) => number) => [...collabSources].reduce((n, s) => n + read(s), 0);

new Gauge({
  name: "chai_collab_connections",
  help: "Open room WebSocket connections on this process.",
  registers,
  collect() {
    this.set(sum((s) => s.connections()));
  },
});

new Gauge({
  name: "chai_collab_rooms_loaded",
  help: "Rooms held in memory on this process.",
  registers,
  collect() {
    this.set(sum((s) => s.roomsLoaded()));
  },
});

new Gauge({
  name: "chai_collab_write_queue_depth",
  help: "Room updates accepted but not yet committed to the database (all rooms of this process).",
  registers,
  collect() {
    this.set(sum((s) => s.pendingWrites()));
  },
});

/**
 * Document messages received from clients, by what became of them: applied (changed the room), unchanged (nothing
 * new), held (waiting for what they build on), refused.
 */
export const updatesReceived = new Counter({
  name: "chai_collab_updates_received_total",
  help: "Document updates received from room clients, by outcome.",
  labelNames: ["outcome"] as const,
  registers,
});

/** The outcomes' series, bound once: the per-update path hashes no label object per message. */
export const updatesReceivedAs = {
  applied: updatesReceived.labels("applied"),
  unchanged: updatesReceived.labels("unchanged"),
  held: updatesReceived.labels("held"),
  refused: updatesReceived.labels("refused"),
} as const;

export const updatesRefused = new Counter({
  name: "chai_collab_updates_refused_total",
  help: "Client updates refused by the room, by reason.",
  labelNames: ["reason"] as const,
  registers,
});

/** Room changes sent on: to each local client (one per recipient) and to peer processes (one per publish). */
export const updatesRelayed = new Counter({
  name: "chai_collab_updates_relayed_total",
  help: "Room updates sent on, to local clients (per recipient) or to peer processes through the relay.",
  labelNames: ["to"] as const,
  registers,
});

/** updatesRelayed's series, bound once (per-update path). */
export const updatesRelayedTo = { clients: updatesRelayed.labels("clients"), peers: updatesRelayed.labels("peers") } as const;

export const joinsRefused = new Counter({
  name: "chai_collab_joins_refused_total",
  help: "Room joins refused before the WebSocket opened, by code.",
  labelNames: ["code"] as const,
  registers,
});

export const roomLoads = new Counter({ name: "chai_collab_room_loads_total", help: "Rooms loaded from the database.", registers });
export const roomUnloads = new Counter({ name: "chai_collab_room_unloads_total", help: "Rooms dropped from memory.", registers });
export const commits = new Counter({ name: "chai_collab_commits_total", help: "Group commits of room updates.", registers });
export const appendFailures = new Counter({
  name: "chai_collab_append_failures_total",
  help: "Group commits that failed (their updates stay queued and are retried).",
  registers,
});

/** From an update being queued (as it is received and applied) to its commit: what a SAVED ack waits for. */
export const saveLatency = new Histogram({
  name: "chai_collab_save_latency_seconds",
  help: "Time from a room update being received to its being durably stored.",
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers,
});

export const httpDuration = new Histogram({
  name: "chai_http_request_duration_seconds",
  help: "HTTP request duration by method, route pattern and status.",
  labelNames: ["method", "route", "status"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers,
});

export const modelDuration = new Histogram({
  name: "chai_model_request_duration_seconds",
  help: "Model provider calls (a whole streamed answer), by provider and outcome.",
  labelNames: ["provider", "outcome"] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300],
  registers,
});

export const modelErrors = new Counter({
  name: "chai_model_request_errors_total",
  help: "Failed model provider calls, by provider and error code.",
  labelNames: ["provider", "code"] as const,
  registers,
});

const KNOWN_PROVIDER = /^[a-z][a-z0-9_-]{0,31}$/;

/** A provider name as a label: our providers' names as they are, anything odd as "other" (bounded cardinality). */
export function providerLabel(name: string): string {
  return KNOWN_PROVIDER.test(name) ? name : "other";
}

/** Queued jobs per queue name, read on each scrape (durable jobs register their reader: registerJobQueueDepth). */
export type JobQueueDepthReader = () => Promise<Record<string, number>> | Record<string, number>;

const jobDepthReaders = new Set<JobQueueDepthReader>();

/**
 * Registers where the job queue depth is read from (the durable job queue wires this at start-up); returns the
 * function that unregisters it. Without one, the gauge has no series.
 */
export function registerJobQueueDepth(read: JobQueueDepthReader): () => void {
  jobDepthReaders.add(read);
  return () => void jobDepthReaders.delete(read);
}

/**
 * A reader for a durable job queue (server/jobs: its `depth(name)` counts the jobs waiting or running): one series
 * per job name. Wiring: `registerJobQueueDepth(jobQueueDepths(queue, [EXPORT_JOB, …]))` where the queue is made.
 */
export function jobQueueDepths(queue: { depth(name?: string): Promise<number> }, names: readonly string[]): JobQueueDepthReader {
  return async () => Object.fromEntries(await Promise.all(names.map(async (name) => [name, await queue.depth(name)] as const)));
}

new Gauge({
  name: "chai_job_queue_depth",
  help: "Jobs waiting to run, by queue.",
  labelNames: ["queue"] as const,
  registers,
  async collect() {
    this.reset();
    const totals = new Map<string, number>();
    for (const read of jobDepthReaders) {
      // A queue that cannot be read now is left out of this scrape rather than failing it.
      const depths = await Promise.resolve()
        .then(read)
        .catch(() => ({}) as Record<string, number>);
      for (const [queue, n] of Object.entries(depths)) totals.set(queue, (totals.get(queue) ?? 0) + n);
    }
    for (const [queue, n] of totals) this.set({ queue }, n);
  },
});
