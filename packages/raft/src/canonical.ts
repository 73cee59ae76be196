// Canonical text for parts of a Raft server's state (an exhaustive search's visited set), with node ids renamed.

import type { NodeId } from "@course/sim";
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
