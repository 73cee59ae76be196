// A Multi-Paxos run for graded simulations (3 to 7 replicas): commands under faults and leader changes, then catch-up and every answer checked.

import { Rng, type Hook, type NodeId, type ScheduledRequest, type Simulation, type Violation } from "@course/sim";
import { checkChosenOnceMultiPaxos, checkExactlyOnceMultiPaxos, multiPaxosChecker, nemesisFor, RANDOM_NETWORK } from "@course/check";
import { commandId, createMultiPaxosNode, type Command, type MultiPaxosMessage, type MultiPaxosNode, type MultiPaxosRules, type Quorums } from "@course/paxos";
import type { SeedRun } from "../graded.js";
import { clusterNodes } from "./shape.js";

export interface MultiPaxosRunOptions {
  readonly crashRate?: number;
  /** Loss on every link during the faults (default: the shared random network's 5%). */
  readonly drop?: number;
  /** How many client commands, as [min, max] (default 4-10). */
  readonly commands?: readonly [number, number];
  /** Cluster size (default: 3, 4, 5 or 7 replicas, by seed). */
  readonly nodes?: number;
  /** Quorum sizes of both phases (default majorities). */
  readonly quorums?: Quorums;
}

/** Where a new leader's merge put a client command although no promise had reported that command for that slot. */
interface Misplaced {
  readonly slot: number;
  readonly fromSlot: number;
}

/**
 * The merge, watched: every client command it proposes for a slot that no promise reported in that slot is noted
 * (by command), so a command chosen twice can be traced back to the merge that invented the second slot.
 */
function watchedMerge(merge: MultiPaxosRules["mergePhase1"], misplaced: Map<string, Misplaced[]>): MultiPaxosRules["mergePhase1"] {
  return (promises, fromSlot) => {
    const result = merge(promises, fromSlot);
    for (const [slot, v] of result.proposals) {
      if (v === null) continue;
      const reported = promises.some((p) => p.accepted.some(([s, acc]) => s === slot && acc.v !== null && commandId(acc.v) === commandId(v)));
      if (!reported) misplaced.set(commandId(v), [...(misplaced.get(commandId(v)) ?? []), { slot, fromSlot }]);
    }
    return result;
  };
}

/**
 * Chosen once (packages/check): the replicas may choose a copy of a command on their own (a deposed leader hands a
 * command it had proposed to the next leader, whose merge also re-proposes it from the promises), and their state
 * machines skip it. A copy in a slot the merge filled with a command nobody reported there is the merge's doing:
 * that stops the run.
 */
function chosenOnceByTheMerge(misplaced: Map<string, Misplaced[]>): Hook<MultiPaxosMessage> {
  const findings: Violation[] = [];
  const chosenOnce = checkChosenOnceMultiPaxos({ report: (f) => findings.push(f) });
  return (sim) => {
    chosenOnce(sim);
    for (const f of findings.splice(0)) {
      const { command, slots } = f.details as { command: string; slots: readonly number[] };
      const blame = misplaced.get(command)?.find((m) => slots.includes(m.slot));
      if (blame !== undefined) {
        return {
          checker: f.checker,
          message: `${f.message}: a new leader's merge (fromSlot ${blame.fromSlot}) proposed it for slot ${blame.slot}, where no promise reported it`,
          details: { ...(f.details as object), mergedInto: blame.slot },
        };
      }
    }
    return undefined;
  };
}

/**
 * Clients send commands to random replicas while crashes and partitions force leader changes (each one runs
 * phase 1 and the merge); each command comes from a client of its own (number 1), so no client has two
 * outstanding. Safety, exactly-once and chosen-once (as above) are checked after every event. Once everything
 * heals, one more command must be applied by every replica, and every answer a client got must name its own command
 * and the slot where the replicas executed it.
 */
export function runMultiPaxos(run: SeedRun, rules: Partial<MultiPaxosRules>, o: MultiPaxosRunOptions = {}): string | undefined {
  const nodes: readonly NodeId[] = o.nodes === undefined ? clusterNodes(run.seed) : Array.from({ length: o.nodes }, (_, i) => i);
  const faultsUntil = 1500;
  const rng = new Rng(run.seed).fork("workload");
  const requests: ScheduledRequest[] = [];
  const commands = rng.int(...(o.commands ?? [4, 10]));
  for (let i = 0; i < commands; i++) requests.push({ at: Math.round(rng.uniform(0, faultsUntil)), node: rng.pick(nodes), op: { op: `c${i + 1}`, seq: 1 }, client: `client-${i + 1}` });
  const misplaced = new Map<string, Misplaced[]>();
  const watched = rules.mergePhase1 === undefined ? rules : { ...rules, mergePhase1: watchedMerge(rules.mergePhase1, misplaced) };
  const sim = run.simulate<MultiPaxosMessage>({
    nodes,
    createNode: createMultiPaxosNode(o.quorums === undefined ? { rules: watched } : { rules: watched, quorums: o.quorums }),
    network: o.drop === undefined ? RANDOM_NETWORK : { ...RANDOM_NETWORK, drop: o.drop },
    faults: run.faults(nemesisFor(run.seed, nodes, faultsUntil, { rates: { crash: o.crashRate ?? 2.5, pause: 1, partition: 1, cut: 1, lossy: 0.7 }, duration: { min: 50, max: 600 } })),
    requests,
    hooks: [multiPaxosChecker(o.quorums === undefined ? {} : { quorums: o.quorums }), checkExactlyOnceMultiPaxos(), chosenOnceByTheMerge(misplaced)],
  });
  run.drive(sim, faultsUntil + 10, 300_000);
  if (sim.stopped) return undefined;
  sim.apply({ type: "link", config: { drop: 0, duplicate: 0 } });
  const asked = sim.request(rng.pick(nodes), { op: "final", seq: 1 }, "late");
  run.drive(sim, 4000, 300_000);
  if (sim.stopped) return undefined;
  const view = (id: NodeId) => sim.node<MultiPaxosNode>(id)?.inspect();
  const missing = nodes.filter((id) => view(id)?.log.some((c) => c?.op === "final") !== true);
  const answered = sim.requests.some((r) => r.request.id === asked && r.replyAt !== undefined);
  if (missing.length > 0 || !answered) {
    const logs = nodes.map((id) => `${id}: [${(view(id)?.log ?? []).map((c) => (c === null ? "no-op" : c.op)).join(", ")}]`).join("; ");
    return `liveness: 4 s after every fault healed, the command "final" ${answered ? "was answered but" : "was not answered and"} is missing from the log of replica(s) ${missing.join(", ") || "none"}. A hole in a log (a slot nobody re-proposed) stops every later command. Applied logs: ${logs}`;
  }
  return wrongReplies(sim, view(nodes.find((id) => view(id) !== undefined) as NodeId)?.log ?? []);
}

/** An answer names the command's op and the slot it was executed in (the first slot holding it: a later copy is skipped). */
function wrongReplies(sim: Simulation<MultiPaxosMessage>, log: readonly Command[]): string | undefined {
  for (const r of sim.requests) {
    const answer = r.result as { slot?: number; command?: string; error?: string } | undefined;
    if (answer === undefined || answer.error !== undefined) continue;
    const op = (r.request.op as { op: string }).op;
    const slot = log.findIndex((c) => c !== null && c.client === r.request.client && c.seq === 1);
    if (answer.command !== op || answer.slot !== slot) {
      return `reply: ${r.request.client}'s command '${op}' was answered ${JSON.stringify(answer)}, but it was executed in slot ${slot}: an answer names the client's own command and the slot where the state machine ran it`;
    }
  }
  return undefined;
}
