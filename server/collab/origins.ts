/** Transaction origins on a room's Y.Doc: who caused a change decides whether it is persisted and relayed. */
export const SERVER_ORIGIN = Symbol("collab:server");
/** Applied from a peer process: that process persists it; we only fan it out locally. */
export const RELAY_ORIGIN = Symbol("collab:relay");
/** Read from storage at load time: already persisted. */
export const LOAD_ORIGIN = Symbol("collab:load");
/**
 * A peer's reply to our sync request at load: what it holds beyond the log, possibly not committed anywhere yet (a
 * relayed update whose origin died). We persist it ourselves; duplicates in the log are harmless in Yjs.
 */
export const PEER_SYNC_ORIGIN = Symbol("collab:peer-sync");
