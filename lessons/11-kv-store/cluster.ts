// The five-server Raft key-value cluster the lesson runs on, with Raft's invariants checked after every event.

import { Simulation, type Message, type ScheduledFault } from "@course/sim";
import { createRaftNode, type LogEntry, type RaftMessage, type RaftNode, type RaftOptions } from "@course/raft";
import { raftInvariants } from "@course/check";

export const FIVE = [0, 1, 2, 3, 4] as const;
export const FIRST_LEADER = 0;

/**
 * Node 0 times out first, so the story starts with a known leader. A new leader commits a no-op at once
 * (§8), so entries of earlier terms, and reads, do not wait for the next client write.
 */
export function kvCluster(seed: number, options: RaftOptions = {}, faults: readonly ScheduledFault[] = []): Simulation<RaftMessage> {
  return new Simulation<RaftMessage>({
    seed,
    nodes: FIVE,
    faults,
    createNode: createRaftNode({ noopOnElection: true, firstTimeouts: { [FIRST_LEADER]: 10 }, ...options }),
    hooks: raftInvariants(),
    record: true,
  });
}

export function server(sim: Simulation<RaftMessage>, id: number): RaftNode | undefined {
  return sim.node<RaftNode>(id);
}

export function asRun(run: { sim: Simulation<RaftMessage>; result: string }): { sim: Simulation<Message>; result: string } {
  return run as unknown as { sim: Simulation<Message>; result: string };
}

/** The no-op a leader appended first in its current term (paper §8), if it has one. */
export function electionNoop(leader: RaftNode): LogEntry | undefined {
  return leader.log.all().find((e) => e.term === leader.currentTerm && e.command.kind === "noop");
}

/** Says what the `[i:no-op]` in the narration is, where a leader's first one appears. */
export function explainNoop(sim: Simulation<RaftMessage>, leader: RaftNode, label?: string): void {
  const noop = electionNoop(leader);
  if (noop === undefined) return;
  sim.note(
    `The [${noop.index}:no-op] above is node ${leader.id}'s first entry as leader of term ${noop.term} (paper §8). It changes no key, but it is an entry of the leader's own term, and a leader counts copies only for entries of its own term (lesson 8): once the no-op is committed, every entry before it is committed too, and the leader knows how far the log is committed, which a ReadIndex read needs before it can start.`,
    label === undefined ? {} : { label },
  );
}
