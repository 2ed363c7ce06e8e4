import * as Y from "yjs";

/**
 * A Y.Doc that lives as long as its room and takes a transaction per message. Yjs keeps the finished transactions in
 * the array it swaps out after each round (`_transactionCleanups`) and never empties it. In a long-lived document
 * that array has usually been promoted to V8's old generation before the next message comes, so the dead array's
 * slots keep each new Transaction (its Maps, Sets and observer closures) alive through young-generation collections
 * until a full one: at 300 busy rooms that promoted about 7 MB/s and forced a full collection every ~2 s. Emptying
 * the array once Yjs is done with it lets each transaction die young.
 */
export function longLivedDoc(opts: { guid: string }): Y.Doc {
  const doc = new Y.Doc(opts);
  doc.on("afterAllTransactions", (_doc: Y.Doc, finished: Y.Transaction[]) => {
    finished.length = 0;
  });
  return doc;
}
