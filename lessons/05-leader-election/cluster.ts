// The Raft clusters of lessons 5-7: recorded simulations of Raft servers, with the safety invariants checked after every event.

import { Simulation, type LinkConfig, type NodeId } from "@course/sim";
import { createRaftNode, type RaftMessage, type RaftNode, type RaftOptions } from "@course/raft";
import { raftInvariants } from "@course/check";

export const FIVE: readonly NodeId[] = [0, 1, 2, 3, 4];

/** A recorded run of Raft servers with these options; every link as `network` says (random 1-10 ms by default). */
export function raftCluster(seed: number, nodes: readonly NodeId[], raft: RaftOptions = {}, network?: Partial<LinkConfig>): Simulation<RaftMessage> {
  return new Simulation<RaftMessage>({ seed, nodes, createNode: createRaftNode(raft), hooks: raftInvariants(), record: true, ...(network === undefined ? {} : { network }) });
}

/** A live server, or undefined while it is down. */
export function server(sim: Simulation<RaftMessage>, id: NodeId): RaftNode | undefined {
  return sim.node<RaftNode>(id);
}

/**
 * Runs the next event. A jump to a label shows every event of the label's step and every action taken before the
 * next step; a scenario calls this after a labeled note so that what it does next is not part of that state.
 */
export function nextStep(sim: Simulation<RaftMessage>): void {
  sim.step();
}

/** "1, 3 and 4". */
export function listed(ids: readonly (number | string)[]): string {
  return ids.length <= 1 ? ids.join("") : `${ids.slice(0, -1).join(", ")} and ${ids.at(-1)}`;
}
