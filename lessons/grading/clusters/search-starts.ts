// Scripted starts for the graded exhaustive searches: the few steps that bring a small cluster to where a rule matters.

import type { ScriptStep } from "@course/explore";

const write = (value: string) => ({ type: "append", key: "x", value });

/** Basic Paxos on 3 nodes: clients ask node 0 for "a" and node 2 for "b"; node 0's phase 1 completes with nodes 0 and 1. */
export const PAXOS_TWO_PROPOSERS: readonly ScriptStep[] = [
  { request: [0, "a"] },
  { request: [2, "b"] },
  { deliver: [0, 0, "prepare"] },
  { deliver: [0, 1, "prepare"] },
  { deliver: [0, 0, "promise"] },
  { deliver: [1, 0, "promise"] },
];

/** ...then "a" is accepted by nodes 0 and 1 (chosen), and node 2's prepare reaches nodes 1 and 2. */
export const PAXOS_CHOSEN_THEN_RIVAL: readonly ScriptStep[] = [
  ...PAXOS_TWO_PROPOSERS,
  { deliver: [0, 0, "accept"] },
  { deliver: [0, 1, "accept"] },
  { deliver: [2, 1, "prepare"] },
  { deliver: [2, 2, "prepare"] },
];

/** Multi-Paxos on 3 nodes: node 0 leads, a command is accepted by nodes 0 and 1 (chosen), then node 2 starts phase 1 at nodes 1 and 2. */
export const MULTI_PAXOS_NEW_LEADER: readonly ScriptStep[] = [
  { timer: 0, name: "election" },
  { deliver: [0, 0, "prepare"] },
  { deliver: [0, 1, "prepare"] },
  { deliver: [0, 0, "promise"] },
  { deliver: [1, 0, "promise"] },
  { request: [0, { seq: 1, op: "c1" }] },
  { deliver: [0, 0, "accept"] },
  { deliver: [0, 1, "accept"] },
  { timer: 2, name: "election" },
  { deliver: [2, 1, "prepare"] },
  { deliver: [2, 2, "prepare"] },
];

/** Raft on 3 nodes: node 0 wins term 1 with node 1's vote, and a client's write reaches it (tokens the search's own writes never use). */
export const RAFT_LEADER_WITH_WRITE: readonly ScriptStep[] = [
  { timer: 0, name: "election" },
  { deliver: [0, 1, "RequestVote"] },
  { deliver: [1, 0, "RequestVoteReply"] },
  { request: [0, write("s1;")] },
];

/** ...then node 1 stores the write and acknowledges it (the leader commits it), and the leader's next heartbeat goes out. */
export const RAFT_COMMITTED_THEN_HEARTBEAT: readonly ScriptStep[] = [
  ...RAFT_LEADER_WITH_WRITE,
  { deliver: [0, 1, "AppendEntries"] },
  { deliver: [1, 0, "AppendEntriesReply"] },
  { timer: 0, name: "heartbeat" },
];

/**
 * Multi-Paxos on 3 nodes with quorum sizes `phase1` and `phase2`: node 0 leads after `phase1` promises, a command is
 * accepted by a phase-2 quorum of nodes 0, 1, ... (chosen), then node 2 gathers a phase-1 quorum of nodes 2, 1, 0 in
 * that order. When the two quorums share no node, node 2 never hears of the chosen command.
 */
export function multiPaxosTakeover(phase1: number, phase2: number): ScriptStep[] {
  const steps: ScriptStep[] = [{ timer: 0, name: "election" }];
  for (let k = 0; k < phase1; k++) steps.push({ deliver: [0, k, "prepare"] }, { deliver: [k, 0, "promise"] });
  steps.push({ request: [0, { seq: 1, op: "c0" }] });
  for (let k = 0; k < phase2; k++) steps.push({ deliver: [0, k, "accept"] });
  steps.push({ timer: 2, name: "election" });
  for (const k of [2, 1, 0].slice(0, phase1)) steps.push({ deliver: [2, k, "prepare"] }, { deliver: [k, 2, "promise"] });
  return steps;
}

/** Raft with PreVote on 3 nodes: node 0 passes its pre-vote, both others vote for it in term 1, then it crashes for good. */
export const RAFT_PREVOTE_LEADER_DIES: readonly ScriptStep[] = [
  { timer: 0, name: "election" },
  { deliver: [0, 1, "PreVote"] },
  { deliver: [1, 0, "PreVoteReply"] },
  { deliver: [0, 1, "RequestVote"] },
  { deliver: [0, 2, "RequestVote"] },
  { deliver: [1, 0, "RequestVoteReply"] },
  { crash: 0 },
];

const numbered = (seq: number, value: string) => ({ ...write(value), seq });

/**
 * Raft on 3 nodes with one client session: node 0 leads with node 1 (node 2 hears nothing), the client's command 1
 * reaches it twice (a retry) and so does command 2, and node 1 has received the first three of the leader's messages.
 */
export const RAFT_SESSION_RETRIES: readonly ScriptStep[] = [
  { timer: 0, name: "election" },
  { deliver: [0, 1, "RequestVote"] },
  { deliver: [1, 0, "RequestVoteReply"] },
  { drop: [0, 2, "RequestVote"] },
  { request: [0, numbered(1, "a1;")] },
  { request: [0, numbered(1, "a1;")] },
  { request: [0, numbered(2, "a2;")] },
  { request: [0, numbered(2, "a2;")] },
  ...Array.from({ length: 5 }, (): ScriptStep => ({ drop: [0, 2, "AppendEntries"] })),
  ...Array.from({ length: 3 }, (): ScriptStep => ({ deliver: [0, 1, "AppendEntries"] })),
];

/**
 * Raft on 3 nodes taking a snapshot every 2 entries: node 0 leads with node 1's vote, commits entries 1 and 2 with
 * node 1 and compacts them; node 2 receives entries 1, 2 and 3 (entry 3 only there), but a heartbeat it rejected
 * first (its messages reordered by duplicated copies) makes the leader send it the snapshot, now in flight.
 */
export const RAFT_SNAPSHOT_TO_LONGER_LOG: readonly ScriptStep[] = [
  { timer: 0, name: "election" },
  { deliver: [0, 1, "RequestVote"] },
  { deliver: [1, 0, "RequestVoteReply"] },
  { drop: [0, 2, "RequestVote"] },
  { request: [0, write("s1;")] },
  { request: [0, write("s2;")] },
  { deliver: [0, 1, "AppendEntries"] },
  { deliver: [0, 1, "AppendEntries"] },
  { drop: [0, 1, "AppendEntries"] },
  { deliver: [1, 0, "AppendEntriesReply"] },
  { deliver: [1, 0, "AppendEntriesReply"] },
  { deliver: [0, 2, "AppendEntries"] },
  { timer: 0, name: "heartbeat" },
  // Entries 2 and 3 to node 2 arrive after the heartbeat: copies of them, newer than it, replace the originals.
  { duplicate: [0, 2, "AppendEntries"] },
  { drop: [0, 2, "AppendEntries"] },
  { duplicate: [0, 2, "AppendEntries"] },
  { drop: [0, 2, "AppendEntries"] },
  { deliver: [0, 2, "AppendEntries"] },
  { deliver: [0, 2, "AppendEntries"] },
  { deliver: [0, 2, "AppendEntries"] },
  { deliver: [2, 0, "AppendEntriesReply"] },
];
