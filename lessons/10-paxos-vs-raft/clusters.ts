// The three five-node clusters the lesson compares, on one simulator and one network, each with its safety checker.

import { Simulation, type LinkConfig, type Message } from "@course/sim";
import { createMultiPaxosNode, createPaxosNode, type MultiPaxosMessage, type MultiPaxosNodeOptions, type PaxosMessage, type PaxosNodeOptions } from "@course/paxos";
import { createRaftNode, type RaftMessage, type RaftOptions } from "@course/raft";
import { checkExactlyOnceMultiPaxos, multiPaxosChecker, paxosChecker, raftInvariants } from "@course/check";

export const FIVE = [0, 1, 2, 3, 4] as const;

/** Each scenario picks a network; the default is the simulator's (1-10 ms per message, no loss). */
export interface ClusterOptions {
  readonly network?: Partial<LinkConfig>;
}

export function basicPaxosCluster(seed: number, node: PaxosNodeOptions = {}, options: ClusterOptions = {}): Simulation<PaxosMessage> {
  return new Simulation<PaxosMessage>({ seed, nodes: FIVE, createNode: createPaxosNode(node), hooks: [paxosChecker()], record: true, ...(options.network ? { network: options.network } : {}) });
}

export function multiPaxosCluster(seed: number, node: MultiPaxosNodeOptions = {}, options: ClusterOptions = {}): Simulation<MultiPaxosMessage> {
  return new Simulation<MultiPaxosMessage>({ seed, nodes: FIVE, createNode: createMultiPaxosNode(node), hooks: [multiPaxosChecker(), checkExactlyOnceMultiPaxos()], record: true, ...(options.network ? { network: options.network } : {}) });
}

export function raftCluster(seed: number, node: RaftOptions = {}, options: ClusterOptions = {}): Simulation<RaftMessage> {
  return new Simulation<RaftMessage>({ seed, nodes: FIVE, createNode: createRaftNode(node), hooks: raftInvariants(), record: true, ...(options.network ? { network: options.network } : {}) });
}

/** The reply to a client request, if it came. */
export function replyOf<M extends Message>(sim: Simulation<M>, requestId: number): { at: number; result: unknown } | undefined {
  const r = sim.requests.find((q) => q.request.id === requestId);
  return r?.replyAt === undefined ? undefined : { at: r.replyAt, result: r.result };
}

export function asRun<M extends Message>(run: { sim: Simulation<M>; result: string }): { sim: Simulation<Message>; result: string } {
  return run as unknown as { sim: Simulation<Message>; result: string };
}
