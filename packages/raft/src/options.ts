// Settings of a Raft server, with the defaults the paper suggests (§5.6: broadcastTime << electionTimeout).

import type { NodeId } from "@course/sim";
import type { RaftRules } from "./rules/index.js";

export interface RaftOptions {
  /** Election timeouts are drawn uniformly from this range, in ms (default 150-300, as in §5.6). */
  readonly electionTimeout?: { readonly min: number; readonly max: number };
  /** Leader heartbeat period in ms (default 50). */
  readonly heartbeatInterval?: number;
  /** Ask for pre-votes before starting a real election (thesis §9.6). */
  readonly preVote?: boolean;
  /** A leader that has not heard from a majority for an election timeout steps down; followers that have heard from a leader recently ignore vote requests (§6, thesis §9.6). */
  readonly checkQuorum?: boolean;
  /**
   * Advance nextIndex as soon as entries are sent instead of waiting for the reply (etcd's pipelined "replicate"
   * state), so back-to-back commands each cross the wire once (default on). Off, every send repeats the entries not
   * yet acknowledged.
   */
  readonly pipeline?: boolean;
  /** Most entries in one AppendEntries (default 64). */
  readonly maxEntriesPerMessage?: number;
  /** Take a snapshot once this many applied entries sit in the log (0 or absent: never, §7). */
  readonly snapshotEvery?: number;
  /** The configuration at start (default: every simulated node). A node outside it waits to be added. */
  readonly members?: readonly NodeId[];
  /**
   * Append a no-op when elected (§8, as etcd does; default on): earlier-term entries commit as soon as it does, and
   * ReadIndex reads need no extra round. Off, indices match the paper's figures (Figure 8, the worked example).
   */
  readonly noopOnElection?: boolean;
  /** Scripted first election timeouts per node (ms) for scenarios that need a given server to time out first. */
  readonly firstTimeouts?: Readonly<Record<number, number>>;
  /**
   * A scripted election timeout for (node, virtual time), or undefined for the random one: lets a scenario decide
   * who times out first in each phase, as a pure function of time so replays and rewinds stay identical.
   */
  readonly electionTimeoutOverride?: (node: NodeId, now: number) => number | undefined;
  /**
   * Deliberately unsafe: a leader answers reads from its own state at once, without ReadIndex's check that it
   * still leads. A deposed leader then serves stale values; used to show what the linearizability checker catches.
   */
  readonly unsafeLocalReads?: boolean;
  /** Replace any of the reference rules, e.g. with a student's RequestVote handler or a buggy variant. */
  readonly rules?: Partial<RaftRules>;
}

export interface ResolvedOptions {
  readonly electionTimeout: { readonly min: number; readonly max: number };
  readonly heartbeatInterval: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  readonly pipeline: boolean;
  readonly maxEntriesPerMessage: number;
  readonly snapshotEvery: number;
  readonly members: readonly NodeId[] | undefined;
  readonly noopOnElection: boolean;
  readonly firstTimeouts: Readonly<Record<number, number>>;
  readonly electionTimeoutOverride: ((node: NodeId, now: number) => number | undefined) | undefined;
  readonly unsafeLocalReads: boolean;
}

export function resolveOptions(o: RaftOptions): ResolvedOptions {
  return {
    electionTimeout: o.electionTimeout ?? { min: 150, max: 300 },
    heartbeatInterval: o.heartbeatInterval ?? 50,
    preVote: o.preVote ?? false,
    checkQuorum: o.checkQuorum ?? false,
    pipeline: o.pipeline ?? true,
    maxEntriesPerMessage: o.maxEntriesPerMessage ?? 64,
    snapshotEvery: o.snapshotEvery ?? 0,
    members: o.members,
    noopOnElection: o.noopOnElection ?? true,
    firstTimeouts: o.firstTimeouts ?? {},
    electionTimeoutOverride: o.electionTimeoutOverride,
    unsafeLocalReads: o.unsafeLocalReads ?? false,
  };
}
