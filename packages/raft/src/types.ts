// Raft's data: log entries, commands, the RPC messages of Figure 2 (plus PreVote, InstallSnapshot, TimeoutNow) and options.

import type { NodeId } from "@course/sim";

/** A key-value operation a client asks the replicated state machine to perform. */
export type KvWrite = { readonly type: "put" | "append"; readonly key: string; readonly value: string };

/** What a log entry carries. A client command remembers who sent it so sessions can drop retries (§8). */
export type Command =
  | { readonly kind: "noop" }
  | { readonly kind: "config"; readonly members: readonly NodeId[] }
  | { readonly kind: "client"; readonly client: string; readonly seq?: number; readonly op: KvWrite };

export interface LogEntry {
  readonly index: number;
  readonly term: number;
  readonly command: Command;
}

/** Figure 2, RequestVote RPC. `transfer` marks a vote asked for after TimeoutNow (leadership transfer, thesis §3.10). */
export interface RequestVote {
  readonly type: "RequestVote";
  readonly term: number;
  readonly candidateId: NodeId;
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
  readonly transfer?: boolean;
}
export interface RequestVoteReply {
  readonly type: "RequestVoteReply";
  readonly term: number;
  readonly voteGranted: boolean;
}
/** PreVote (thesis §9.6): "would you vote for me in term `term`?", asked without anyone changing their term. */
export interface PreVote {
  readonly type: "PreVote";
  readonly term: number;
  readonly candidateId: NodeId;
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
}
export interface PreVoteReply {
  readonly type: "PreVoteReply";
  readonly term: number;
  readonly voteGranted: boolean;
}
/** Figure 2, AppendEntries RPC; `readSeq` lets a heartbeat round confirm leadership for ReadIndex reads (thesis §6.4). */
export interface AppendEntries {
  readonly type: "AppendEntries";
  readonly term: number;
  readonly leaderId: NodeId;
  readonly prevLogIndex: number;
  readonly prevLogTerm: number;
  readonly entries: readonly LogEntry[];
  readonly leaderCommit: number;
  readonly readSeq?: number;
}
/**
 * The reply, with the fast-backup hints of §5.3 ("the follower can include the term of the conflicting entry
 * and the first index it stores for that term"), and how many entries the request carried (for narration and
 * message-cost checks).
 */
export interface AppendEntriesReply {
  readonly type: "AppendEntriesReply";
  readonly term: number;
  readonly success: boolean;
  /** On success: the index of the last entry now known to match the leader's log. */
  readonly matchIndex: number;
  readonly conflictIndex?: number;
  readonly conflictTerm?: number;
  readonly appended: number;
  readonly readSeq?: number;
}
/** The state-machine image a snapshot carries (§7). */
export interface SnapshotData {
  readonly lastIncludedIndex: number;
  readonly lastIncludedTerm: number;
  readonly members: readonly NodeId[];
  readonly state: unknown;
}
/** Figure 13, InstallSnapshot RPC (sent whole, not in chunks: the simulator has no message size limit). */
export interface InstallSnapshot {
  readonly type: "InstallSnapshot";
  readonly term: number;
  readonly leaderId: NodeId;
  readonly snapshot: SnapshotData;
}
export interface InstallSnapshotReply {
  readonly type: "InstallSnapshotReply";
  readonly term: number;
  readonly matchIndex: number;
}
/** Leadership transfer (thesis §3.10): the leader tells an up-to-date follower to start an election now. */
export interface TimeoutNow {
  readonly type: "TimeoutNow";
  readonly term: number;
}

export type RaftMessage =
  | RequestVote
  | RequestVoteReply
  | PreVote
  | PreVoteReply
  | AppendEntries
  | AppendEntriesReply
  | InstallSnapshot
  | InstallSnapshotReply
  | TimeoutNow;

export type Role = "follower" | "precandidate" | "candidate" | "leader";

/** What a client may ask a Raft server (as the `op` of a simulator client request). */
export type ClientOp =
  | string
  | { readonly type: "put" | "append"; readonly key: string; readonly value: string; readonly seq?: number }
  | { readonly type: "get"; readonly key: string }
  | { readonly type: "transfer"; readonly to: NodeId }
  | { readonly type: "add-server" | "remove-server"; readonly node: NodeId };

/** What a server answers a client. */
export type ClientResult =
  | { readonly ok: true; readonly index?: number; readonly value?: string | null }
  /**
   * "not-leader", "retry" and "bad-request" mean the command was not executed; "lost-leadership" means the
   * server stopped leading before the outcome was known: the command may still be committed by a later leader.
   */
  | {
      readonly ok: false;
      readonly error: "not-leader" | "retry" | "bad-request" | "lost-leadership";
      readonly leaderHint?: NodeId | null;
      /** Why, in words, where the error alone does not say (a refused or abandoned membership change). */
      readonly reason?: string;
    };

/** The JSON the node shows the trace and the charts. */
export interface RaftView {
  readonly id: NodeId;
  readonly role: Role;
  readonly term: number;
  readonly votedFor: NodeId | null;
  readonly leaderId: NodeId | null;
  readonly log: readonly { readonly index: number; readonly term: number; readonly command: string }[];
  readonly snapshotIndex: number;
  readonly snapshotTerm: number;
  readonly commitIndex: number;
  readonly lastApplied: number;
  readonly members: readonly NodeId[];
  /** Servers the leader is bringing up to date before they join the configuration (thesis §4.2.1); empty elsewhere. */
  readonly learners: readonly NodeId[];
  /** Virtual time at which the election timer fires (null on a leader or a node outside the configuration). */
  readonly electionDeadline: number | null;
  readonly nextIndex?: Readonly<Record<number, number>>;
  readonly matchIndex?: Readonly<Record<number, number>>;
  readonly kv: Readonly<Record<string, string>>;
}
