// The five-node Basic Paxos cluster the lesson's scenarios run on, with the safety checker attached.

import { Simulation, type LinkConfig, type Message, type ScheduledFault } from "@course/sim";
import { createPaxosNode, type BasicPaxosInspection, type BasicPaxosNode, type PaxosMessage, type PaxosNodeOptions } from "@course/paxos";
import { paxosChecker } from "@course/check";

export const FIVE = [0, 1, 2, 3, 4] as const;

export function paxosCluster(seed: number, options: { node?: PaxosNodeOptions; faults?: ScheduledFault[]; network?: Partial<LinkConfig> } = {}): Simulation<PaxosMessage> {
  return new Simulation<PaxosMessage>({
    seed,
    nodes: FIVE,
    createNode: createPaxosNode(options.node),
    faults: options.faults ?? [],
    ...(options.network === undefined ? {} : { network: options.network }),
    hooks: [paxosChecker()],
    record: true,
  });
}

export function inspect(sim: Simulation<PaxosMessage>, id: number): BasicPaxosInspection | undefined {
  return sim.node<BasicPaxosNode>(id)?.inspect();
}

/** Nodes that have learned a value, in id order. */
export function learners(sim: Simulation<PaxosMessage>): number[] {
  return FIVE.filter((id) => inspect(sim, id)?.learned !== undefined);
}

/** The scenario API speaks of simulations of any message type. */
export function asRun<M extends Message>(run: { sim: Simulation<M>; result: string }): { sim: Simulation<Message>; result: string } {
  return run as unknown as { sim: Simulation<Message>; result: string };
}
