/** Transaction origins on a room's Y.Doc: who caused a change decides whether it is persisted and relayed. */
export const SERVER_ORIGIN = Symbol("collab:server");
/** Applied from a peer process: that process persists it; we only fan it out locally. */
export const RELAY_ORIGIN = Symbol("collab:relay");
/** Read from storage at load time: already persisted. */
export const LOAD_ORIGIN = Symbol("collab:load");
