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
  ...multiPaxosElection(0, [0, 1]),
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
 * Raft on 3 nodes with one client session: node 0 leads with node 1 (node 2 hears nothing), the client's commands
 * numbered `seqs` reach it in that order (a number twice is a retry), and node 1 has received the first three of
 * the leader's messages.
 */
export function raftSessionRetries(seqs: readonly number[]): ScriptStep[] {
  return [
    { timer: 0, name: "election" },
    { deliver: [0, 1, "RequestVote"] },
    { deliver: [1, 0, "RequestVoteReply"] },
    { drop: [0, 2, "RequestVote"] },
    ...seqs.map((seq): ScriptStep => ({ request: [0, numbered(seq, `a${seq};`)] })),
    // The leader's first heartbeat and one AppendEntries per command.
    ...Array.from({ length: seqs.length + 1 }, (): ScriptStep => ({ drop: [0, 2, "AppendEntries"] })),
    ...Array.from({ length: 3 }, (): ScriptStep => ({ deliver: [0, 1, "AppendEntries"] })),
  ];
}

/** Commands 1 and 2, each retried at once. */
export const RAFT_SESSION_RETRIES: readonly ScriptStep[] = raftSessionRetries([1, 1, 2, 2]);

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

/**
 * Basic Paxos on 3 nodes: node 0's value "a" reaches node 1 alone (accepted there, not chosen); node 2 gathers
 * promises from nodes 2 and 0, which report nothing, and sends its accept requests for "b".
 */
export const PAXOS_ACCEPTED_BY_ONE_THEN_RIVAL: readonly ScriptStep[] = [
  ...PAXOS_TWO_PROPOSERS,
  { drop: [0, 2, "prepare"] },
  { deliver: [0, 1, "accept"] },
  { deliver: [2, 2, "prepare"] },
  { deliver: [2, 0, "prepare"] },
  { drop: [2, 1, "prepare"] },
  { deliver: [2, 2, "promise"] },
  { deliver: [0, 2, "promise"] },
];

/**
 * ...then nodes 2 and 0 accept "b" (chosen); node 0's own accept of "a" is refused, and its retry with a higher
 * number gathers promises from node 1 (reporting "a", the older proposal) and node 2 (reporting "b").
 */
export const PAXOS_RIVAL_CHOSEN_THEN_RETRY: readonly ScriptStep[] = [
  ...PAXOS_ACCEPTED_BY_ONE_THEN_RIVAL,
  { deliver: [2, 2, "accept"] },
  { deliver: [2, 0, "accept"] },
  { deliver: [0, 0, "accept"] },
  { deliver: [0, 0, "nack"] },
  { timer: 0, name: "retry" },
  { deliver: [0, 1, "prepare"] },
  { deliver: [0, 2, "prepare"] },
  { deliver: [1, 0, "promise"] },
  { deliver: [2, 0, "promise"] },
];

/**
 * ...or node 2 alone accepts "b"; node 2's phase times out with no refusal, and its retry gathers promises from
 * node 0 (reporting nothing) and node 1 (reporting "a").
 */
export const PAXOS_RIVAL_TIMES_OUT: readonly ScriptStep[] = [
  ...PAXOS_ACCEPTED_BY_ONE_THEN_RIVAL,
  { deliver: [2, 2, "accept"] },
  { timer: 2, name: "phase" },
  { timer: 2, name: "retry" },
  { deliver: [2, 0, "prepare"] },
  { deliver: [2, 1, "prepare"] },
  { deliver: [0, 2, "promise"] },
  { deliver: [1, 2, "promise"] },
];

/** Multi-Paxos: `leader` times out and asks `quorum` for promises, which all arrive. */
export function multiPaxosElection(leader: number, quorum: readonly number[]): ScriptStep[] {
  return [{ timer: leader, name: "election" }, ...quorum.map((k): ScriptStep => ({ deliver: [leader, k, "prepare"] })), ...quorum.map((k): ScriptStep => ({ deliver: [k, leader, "promise"] }))];
}

/** ...then node 2's promises arrive (it leads, re-proposing the chosen command), the network goes quiet, and a new command reaches node 2. */
export const MULTI_PAXOS_NEW_LEADER_GETS_COMMAND: readonly ScriptStep[] = [
  ...MULTI_PAXOS_NEW_LEADER,
  { deliver: [1, 2, "promise"] },
  { deliver: [2, 2, "promise"] },
  { dropAll: true },
  { request: [2, { seq: 2, op: "c2" }] },
];

/**
 * Multi-Paxos on 3 nodes, three leaders in turn: node 0's command c1 is accepted by node 0 alone in slot 0; node 2
 * leads next (nodes 2 and 1 report nothing) and its command c2 is chosen in slot 0 by nodes 1 and 2; then node 1
 * leads with promises from nodes 1 (reporting c2) and 0 (reporting c1, the older proposal).
 */
export const MULTI_PAXOS_THIRD_LEADER: readonly ScriptStep[] = [
  ...multiPaxosElection(0, [0, 1]),
  { request: [0, { seq: 1, op: "c1" }] },
  { deliver: [0, 0, "accept"] },
  { dropAll: true },
  ...multiPaxosElection(2, [2, 1]),
  { request: [2, { seq: 2, op: "c2" }] },
  { deliver: [2, 1, "accept"] },
  { deliver: [2, 2, "accept"] },
  { dropAll: true },
  ...multiPaxosElection(1, [1, 0]),
];

/** Multi-Paxos: the start of MULTI_PAXOS_NEW_LEADER, then a new command reaches node 0, which still believes it leads. */
export const MULTI_PAXOS_OLD_LEADER_GETS_COMMAND: readonly ScriptStep[] = [...MULTI_PAXOS_NEW_LEADER, { request: [0, { seq: 2, op: "c2" }] }];

/**
 * Multi-Paxos on 3 nodes: node 0 leads and gets commands c1, c2, c3 (slots 0, 1, 2); node 1 accepts slots 0 and 2,
 * slot 1's accept is lost; the network goes quiet and node 2 leads with promises from nodes 2 and 1, which report
 * slots 0 and 2 but nothing for slot 1.
 */
export const MULTI_PAXOS_GAP: readonly ScriptStep[] = [
  ...multiPaxosElection(0, [0, 1]),
  { request: [0, { seq: 1, op: "c1" }] },
  { request: [0, { seq: 2, op: "c2" }] },
  { request: [0, { seq: 3, op: "c3" }] },
  { deliver: [0, 1, "accept"] },
  { drop: [0, 1, "accept"] },
  { deliver: [0, 1, "accept"] },
  { dropAll: true },
  ...multiPaxosElection(2, [2, 1]),
];

/**
 * Raft on 7 servers: node 0 wins term 1 with the votes of nodes 1, 2 and 3, and nodes 1 and 2 acknowledge its no-op
 * and a client's write (three of seven servers hold them); then the network goes quiet, and node 6, timing out twice
 * unheard, asks nodes 3, 4 and 5 for their votes in term 2.
 */
export const RAFT_SEVEN_SERVERS_THREE_HOLD: readonly ScriptStep[] = [
  { timer: 0, name: "election" },
  ...[1, 2, 3].map((k): ScriptStep => ({ deliver: [0, k, "RequestVote"] })),
  ...[1, 2, 3].map((k): ScriptStep => ({ deliver: [k, 0, "RequestVoteReply"] })),
  { request: [0, write("s1;")] },
  ...[1, 2].flatMap((k): ScriptStep[] => [{ deliver: [0, k, "AppendEntries"] }, { deliver: [0, k, "AppendEntries"] }]),
  ...[1, 2].flatMap((k): ScriptStep[] => [{ deliver: [k, 0, "AppendEntriesReply"] }, { deliver: [k, 0, "AppendEntriesReply"] }]),
  { dropAll: true },
  { timer: 6, name: "election" },
  { dropAll: true },
  { timer: 6, name: "election" },
  ...[3, 4, 5].map((k): ScriptStep => ({ deliver: [6, k, "RequestVote"] })),
];

/**
 * Raft on 3 nodes, two terms: node 0 leads term 1 with node 1's vote and appends two writes that reach nobody;
 * node 1 leads term 2 with node 2's vote and commits its no-op with node 2. Node 0 restarts, times out twice
 * unheard and asks node 2 for its vote in term 3: node 0's log is longer, node 2's last entry has the newer term.
 */
export const RAFT_LONGER_OLDER_LOG_CAMPAIGNS: readonly ScriptStep[] = [
  ...RAFT_LEADER_WITH_WRITE,
  { request: [0, write("s2;")] },
  { dropAll: true },
  { timer: 1, name: "election" },
  { deliver: [1, 2, "RequestVote"] },
  { deliver: [2, 1, "RequestVoteReply"] },
  { deliver: [1, 2, "AppendEntries"] },
  { deliver: [2, 1, "AppendEntriesReply"] },
  { dropAll: true },
  { crash: 0 },
  { restart: 0 },
  { timer: 0, name: "election" },
  { dropAll: true },
  { timer: 0, name: "election" },
  { deliver: [0, 2, "RequestVote"] },
];

/**
 * ...then the network copies the leader's first AppendEntries to node 1; node 1 receives the first and the second
 * (the no-op and the write) and acknowledges both (the leader commits them), the copy of the first still in flight;
 * node 2 hears nothing.
 */
export const RAFT_ACKED_THEN_LATE_COPY: readonly ScriptStep[] = [
  ...RAFT_LEADER_WITH_WRITE,
  { duplicate: [0, 1, "AppendEntries"] },
  { deliver: [0, 1, "AppendEntries"] },
  { deliver: [0, 1, "AppendEntries"] },
  { deliver: [1, 0, "AppendEntriesReply"] },
  { deliver: [1, 0, "AppendEntriesReply"] },
  { drop: [0, 2, "RequestVote"] },
  { drop: [0, 2, "AppendEntries"] },
  { drop: [0, 2, "AppendEntries"] },
];

/**
 * Raft on 3 nodes sending one entry per AppendEntries: node 0 leads term 1 and gets two writes; node 1 stores the
 * no-op and both writes and acknowledges them (the leader commits index 3); node 2's copies are lost, so after the
 * leader's heartbeat it refuses and gets the log again one entry at a time, each message carrying leaderCommit 3.
 */
export const RAFT_CATCH_UP_ONE_ENTRY_AT_A_TIME: readonly ScriptStep[] = [
  ...RAFT_LEADER_WITH_WRITE,
  { request: [0, write("s2;")] },
  ...[0, 1, 2].map((): ScriptStep => ({ deliver: [0, 1, "AppendEntries"] })),
  ...[0, 1, 2].map((): ScriptStep => ({ deliver: [1, 0, "AppendEntriesReply"] })),
  ...[0, 1, 2].map((): ScriptStep => ({ drop: [0, 2, "AppendEntries"] })),
  { timer: 0, name: "heartbeat" },
  { deliver: [0, 2, "AppendEntries"] },
  { deliver: [2, 0, "AppendEntriesReply"] },
];

/**
 * Raft on 3 nodes: node 2 leads term 1 (node 1's vote) and appends a write nobody else gets; node 1 leads term 2
 * (node 0's vote) and gets two writes; node 1's copies to node 2 are lost, and node 2, whose log (two entries of term 1)
 * is shorter than the heartbeat's prevLogIndex, refuses it: its entries conflict, though the refusal only says where its log ends.
 */
export const RAFT_STALE_FOLLOWER_TOO_SHORT: readonly ScriptStep[] = [
  { timer: 2, name: "election" },
  { deliver: [2, 1, "RequestVote"] },
  { deliver: [1, 2, "RequestVoteReply"] },
  { request: [2, write("z;")] },
  { dropAll: true },
  { timer: 1, name: "election" },
  { deliver: [1, 0, "RequestVote"] },
  { deliver: [0, 1, "RequestVoteReply"] },
  { request: [1, write("s1;")] },
  { request: [1, write("s2;")] },
  { drop: [1, 2, "RequestVote"] },
  ...[0, 1, 2].map((): ScriptStep => ({ drop: [1, 2, "AppendEntries"] })),
  { timer: 1, name: "heartbeat" },
  { deliver: [1, 2, "AppendEntries"] },
  { deliver: [2, 1, "AppendEntriesReply"] },
];
