// Canonical text for parts of a Raft server's state (an exhaustive search's visited set), with node ids renamed.

import { StateHasher, type Hash128, type NodeId } from "@course/sim";
import type { AppendEntries, Command, LogEntry, SnapshotData } from "./types.js";

export type Rename = (id: NodeId) => NodeId;

/** A command, with the node ids of a configuration entry renamed. */
export function commandText(command: Command, rename: Rename): string {
  if (command.kind === "config") return `c[${command.members.map(rename).sort((a, b) => a - b).join(",")}]`;
  return command.kind === "noop" ? "n" : JSON.stringify(command);
}

/** Entries as term and command; indices follow from their position after the snapshot. */
export function entriesText(entries: readonly LogEntry[], rename: Rename): string {
  let out = "";
  for (const e of entries) out += `${e.term}:${commandText(e.command, rename)};`;
  return out;
}

export function snapshotText(snapshot: SnapshotData | undefined, rename: Rename): string {
  if (snapshot === undefined) return "-";
  return `${snapshot.lastIncludedIndex}/${snapshot.lastIncludedTerm}/${snapshot.members.map(rename).sort((a, b) => a - b).join(",")}/${JSON.stringify(snapshot.state)}`;
}

/**
 * A per-node map (nextIndex, matchIndex...) with its keys renamed, in key order; `text` writes a value. Written as
 * plain loops (an insertion sort of a few ids): an exhaustive search encodes a node at nearly every state it reaches.
 */
export function byNodeText<V>(map: ReadonlyMap<NodeId, V>, rename: Rename, text: (value: V) => string = valueText): string {
  if (map.size === 0) return "";
  const ids: NodeId[] = [];
  const values: V[] = [];
  for (const [id, value] of map) {
    const renamed = rename(id);
    // Stable: ids renamed alike (every id to one placeholder) keep the map's order.
    let i = ids.length;
    for (; i > 0 && (ids[i - 1] as NodeId) > renamed; i--) {
      ids[i] = ids[i - 1] as NodeId;
      values[i] = values[i - 1] as V;
    }
    ids[i] = renamed;
    values[i] = value;
  }
  let out = "";
  for (let i = 0; i < ids.length; i++) out += `${i === 0 ? "" : ","}${ids[i]}=${text(values[i] as V)}`;
  return out;
}

const valueText = (v: unknown): string => (typeof v === "number" ? String(v) : JSON.stringify(v));

export function idsText(ids: Iterable<NodeId>, rename: Rename): string {
  const sorted: NodeId[] = [];
  for (const id of ids) {
    const renamed = rename(id);
    let i = sorted.length;
    for (; i > 0 && (sorted[i - 1] as NodeId) > renamed; i--) sorted[i] = sorted[i - 1] as NodeId;
    sorted[i] = renamed;
  }
  return sorted.join(",");
}

export function idText(id: NodeId | null, rename: Rename): string {
  return id === null ? "-" : String(rename(id));
}

/** Pipelined sends to one follower, as the last index each carried. */
export function upToText(sends: readonly { readonly upTo: number }[]): string {
  return JSON.stringify(sends.map((f) => f.upTo));
}

/** AppendEntries kept aside until the log reaches them, by prevLogIndex (see RaftNode's `early`). */
export function earlyText(early: ReadonlyMap<number, { readonly from: NodeId; readonly msg: AppendEntries }>, rename: Rename): string {
  let out = "";
  for (const [at, { from, msg }] of early) out += `${out === "" ? "" : ","}${at}<${rename(from)}:${msg.term}/${msg.prevLogTerm}/${msg.leaderCommit}/${msg.readSeq ?? ""}/${entriesText(msg.entries, rename)}`;
  return out;
}

// ---- the same encodings fed into a hasher (see SimNode.hashInto): equal streams exactly where the texts above are equal.

/** Node ids are non-negative (the signature renaming makes them all -1): this stands for none. */
const NO_ID = -2;

export function hashId(h: StateHasher, id: NodeId | null, rename: Rename): void {
  h.word(id === null ? NO_ID : rename(id));
}

/** Renamed ids in ascending order (stable for ids renamed alike), after their count. */
export function hashIds(h: StateHasher, ids: Iterable<NodeId>, rename: Rename): void {
  const sorted = scratchIds;
  let n = 0;
  for (const id of ids) {
    const renamed = rename(id);
    let i = n++;
    for (; i > 0 && (sorted[i - 1] as NodeId) > renamed; i--) sorted[i] = sorted[i - 1] as NodeId;
    sorted[i] = renamed;
  }
  h.word(n);
  for (let i = 0; i < n; i++) h.word(sorted[i] as NodeId);
}
const scratchIds: NodeId[] = [];

/**
 * A command as `commandText` writes it. A client command holds no node id: the hash of its JSON text is found once
 * per command object (commands never change once made) and fed in as four words.
 */
export function hashCommand(h: StateHasher, command: Command, rename: Rename): void {
  if (command.kind === "config") return void hashIds(h.word(0), command.members, rename);
  if (command.kind === "noop") return void h.word(1);
  let hash = commandHashes.get(command);
  if (hash === undefined) {
    hash = commandHasher.reset().str(JSON.stringify(command)).digest();
    commandHashes.set(command, hash);
  }
  h.word(2).hash(hash);
}
const commandHashes = new WeakMap<Command, Hash128>();
/** Its own hasher: a command is hashed in the middle of another hash. */
const commandHasher = new StateHasher();

/** Entries after their count, as term and command (`withIndex`: their index too, as a message carries them). */
export function hashEntries(h: StateHasher, entries: readonly LogEntry[], rename: Rename, withIndex = false): void {
  h.word(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as LogEntry;
    if (withIndex) h.num(e.index);
    h.num(e.term);
    hashCommand(h, e.command, rename);
  }
}

export function hashSnapshot(h: StateHasher, snapshot: SnapshotData | undefined, rename: Rename): void {
  if (snapshot === undefined) return void h.word(0);
  h.word(1).num(snapshot.lastIncludedIndex).num(snapshot.lastIncludedTerm);
  hashIds(h, snapshot.members, rename);
  h.str(JSON.stringify(snapshot.state));
}

/** A per-node map as `byNodeText` writes it: its size, then renamed ids in ascending order, each with its value. */
export function hashByNode<V>(h: StateHasher, map: ReadonlyMap<NodeId, V>, rename: Rename, value: (h: StateHasher, v: V) => void = hashValue): void {
  h.word(map.size);
  if (map.size === 0) return;
  const ids = scratchIds;
  const values = scratchValues as V[];
  let n = 0;
  for (const [id, v] of map) {
    const renamed = rename(id);
    let i = n++;
    for (; i > 0 && (ids[i - 1] as NodeId) > renamed; i--) {
      ids[i] = ids[i - 1] as NodeId;
      values[i] = values[i - 1] as V;
    }
    ids[i] = renamed;
    values[i] = v;
  }
  for (let i = 0; i < n; i++) value(h.word(ids[i] as NodeId), values[i] as V);
  values.length = 0; // keep no values alive
}
const scratchValues: unknown[] = [];

const hashValue = (h: StateHasher, v: unknown): void => void (typeof v === "number" ? h.word(0).num(v) : h.word(1).str(JSON.stringify(v) ?? "undefined"));

/** Pipelined sends to one follower, as `upToText` writes them. */
export function hashUpTo(h: StateHasher, sends: readonly { readonly upTo: number }[]): void {
  h.word(sends.length);
  for (let i = 0; i < sends.length; i++) h.num((sends[i] as { readonly upTo: number }).upTo);
}

/** Early AppendEntries as `earlyText` writes them: in the map's order. */
export function hashEarly(h: StateHasher, early: ReadonlyMap<number, { readonly from: NodeId; readonly msg: AppendEntries }>, rename: Rename): void {
  h.word(early.size);
  for (const [at, { from, msg }] of early) {
    h.num(at).word(rename(from)).num(msg.term).num(msg.prevLogTerm).num(msg.leaderCommit);
    if (msg.readSeq === undefined) h.word(0);
    else h.word(1).num(msg.readSeq);
    hashEntries(h, msg.entries, rename);
  }
}
