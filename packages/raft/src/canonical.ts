// Canonical text for parts of a Raft server's state (an exhaustive search's visited set), with node ids renamed.

import type { NodeId } from "@course/sim";
import type { Command, LogEntry, SnapshotData } from "./types.js";

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

/** A per-node map (nextIndex, matchIndex...) with its keys renamed, in key order. */
export function byNodeText(map: ReadonlyMap<NodeId, unknown>, rename: Rename): string {
  if (map.size === 0) return "";
  return [...map]
    .map(([id, v]) => [rename(id), v] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([id, v]) => `${id}=${typeof v === "number" ? v : JSON.stringify(v)}`)
    .join(",");
}

export function idsText(ids: Iterable<NodeId>, rename: Rename): string {
  return [...ids].map(rename).sort((a, b) => a - b).join(",");
}

export function idText(id: NodeId | null, rename: Rename): string {
  return id === null ? "-" : String(rename(id));
}
