// The five-server Raft key-value cluster the lesson runs on, with Raft's invariants checked after every event.

import { Simulation, type Message, type ScheduledFault } from "@course/sim";
import { createRaftNode, type RaftMessage, type RaftNode, type RaftOptions } from "@course/raft";
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
