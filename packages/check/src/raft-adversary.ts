// Adversarial fault generators for Raft's random runs: Figure 8's shapes and crashes right after a vote.

import type { FaultAction, NodeId, Rng, Simulation } from "@course/sim";
import { leaderOf, type RaftMessage, type RaftNode } from "@course/raft";

/** What an adversary may do: apply faults now or later, and send a request as a client of its own. */
export interface AdversaryPlan {
  readonly sim: Simulation<RaftMessage>;
  readonly rng: Rng;
  /** Apply `action` `delay` virtual ms from now (0: at once). Anything still pending when the faults stop is applied then. */
  later(delay: number, action: FaultAction): void;
  /** A client request of the adversary's own; nobody waits for its answer. */
  request(node: NodeId, op: unknown): void;
}

/** One generator. Each run builds fresh ones (they remember what they saw), hence the factories below. */
export interface RaftAdversary {
  readonly name: string;
  /** Checked before every simulator step: true when something just happened that `react` must answer before the next step. */
  readonly watch?: (sim: Simulation<RaftMessage>) => boolean;
  readonly react?: (plan: AdversaryPlan) => void;
  /** Called every driver tick while the faults last. */
  readonly tick?: (plan: AdversaryPlan, tickMs: number) => void;
}

export type AdversaryFactory = () => RaftAdversary;

interface Entry {
  readonly index: number;
  readonly term: number;
}

/**
 * Figure 8 (paper §5.4.2) as a randomized episode, with random servers, minorities and delays at every step:
 * (a) the leader takes entry X while it reaches only a minority and crashes; (b) the next leader takes a different
 * entry Y at the same index while cut off from everyone, and crashes; the first comes back; (c) the next leader
 * copies X to a majority and crashes the moment its commit index moves; (d) Y's server comes back, and with its
 * later last term it may win and overwrite X. Counting replicas of X in (c) declares X committed, which (d) then
 * erases. `perSecond` is how often an episode starts while none is running.
 */
export function figure8Episodes(perSecond = 1): AdversaryFactory {
  return () => {
    type Phase =
      | { readonly step: "idle" }
      | { readonly step: "b"; readonly first: NodeId; readonly x: Entry; readonly since: number }
      | { readonly step: "c"; readonly second: NodeId; readonly x: Entry; readonly since: number; third?: RaftNode; commitIndex?: number }
      | { readonly step: "d"; readonly until: number };
    let phase: Phase = { step: "idle" };
    let seq = 0;
    let strike = false;
    /** The leader takes a command while only `reach` of its followers can hear it, and crashes 1-10 ms later. */
    const crashAfterMinorityWrite = (plan: AdversaryPlan, leader: RaftNode, reach: number): Entry => {
      const kept = new Set(plan.rng.shuffle(leader.members.filter((m) => m !== leader.id)).slice(0, reach));
      const cut = plan.sim.nodeIds.filter((n) => n !== leader.id && !kept.has(n));
      for (const to of cut) plan.later(0, { type: "cut", from: leader.id, to });
      seq++;
      plan.request(leader.id, { type: "append", key: "adversary", value: `adversary.${seq};`, seq });
      const crashIn = plan.rng.uniform(1, 10);
      plan.later(crashIn, { type: "crash", node: leader.id });
      for (const to of cut) plan.later(crashIn, { type: "heal", from: leader.id, to });
      return { index: leader.log.lastIndex, term: leader.currentTerm };
    };
    return {
      name: "Figure 8 episodes",
      watch(sim) {
        if (phase.step !== "c" || phase.third === undefined) return false;
        const n = sim.node<RaftNode>(phase.third.id);
        strike = n === phase.third && n.role === "leader" && n.commitIndex > (phase.commitIndex ?? Infinity);
        return strike;
      },
      react(plan) {
        if (!strike || phase.step !== "c" || phase.third === undefined) return;
        strike = false;
        plan.later(0, { type: "crash", node: phase.third.id });
        plan.later(plan.rng.uniform(0, 20), { type: "restart", node: phase.second });
        plan.later(plan.rng.uniform(100, 600), { type: "restart", node: phase.third.id });
        phase = { step: "d", until: plan.sim.now + plan.rng.uniform(300, 1000) };
      },
      tick(plan, tickMs) {
        const { sim, rng } = plan;
        const leader = leaderOf(sim);
        switch (phase.step) {
          case "idle":
            if (leader === undefined || !rng.chance((perSecond * tickMs) / 1000)) return;
            // As in the figure, X reaches as many followers as it can without making a majority.
            phase = { step: "b", first: leader.id, x: crashAfterMinorityWrite(plan, leader, Math.max(0, Math.floor(leader.members.length / 2) - 1)), since: sim.now };
            return;
          case "b":
            if (leader !== undefined && leader.id !== phase.first && sim.isUp(leader.id)) {
              // Y must land at X's index: a leader that holds X, or whose log ends elsewhere, cannot play this part.
              if (leader.log.lastIndex !== phase.x.index - 1) {
                plan.later(0, { type: "restart", node: phase.first });
                phase = { step: "idle" };
                return;
              }
              crashAfterMinorityWrite(plan, leader, 0);
              plan.later(rng.uniform(20, 200), { type: "restart", node: phase.first });
              phase = { step: "c", second: leader.id, x: phase.x, since: sim.now };
            } else if (sim.now - phase.since > 1500) {
              plan.later(0, { type: "restart", node: phase.first });
              phase = { step: "idle" };
            }
            return;
          case "c":
            if (phase.third === undefined && leader !== undefined && leader.id !== phase.second && sim.isUp(leader.id)) {
              // The shape needs a leader that holds X; one that does not has already decided the index: start over.
              if (leader.log.termAt(phase.x.index) === phase.x.term) {
                phase.third = leader;
                phase.commitIndex = leader.commitIndex;
              } else {
                plan.later(0, { type: "restart", node: phase.second });
                phase = { step: "idle" };
              }
            } else if (sim.now - phase.since > 2000) {
              plan.later(0, { type: "restart", node: phase.second });
              phase = { step: "idle" };
            }
            return;
          case "d":
            if (sim.now >= phase.until) phase = { step: "idle" };
            return;
        }
      },
    };
  };
}

/**
 * A server crashes the moment a number it shows (its vote, its commit index...) changes and `strikes` holds, with
 * `probability`, and restarts `downtime` ms later (drawn uniformly). The number is read before every step.
 */
function crashWhenChanged(name: string, probability: number, downtime: readonly [number, number], watched: (n: RaftNode) => number, strikes: (n: RaftNode) => boolean): AdversaryFactory {
  return () => {
    const last = new Map<NodeId, { node: RaftNode; value: number }>();
    let target: NodeId | undefined;
    return {
      name,
      watch(sim) {
        for (const id of sim.nodeIds) {
          const n = sim.node<RaftNode>(id);
          if (n === undefined) continue;
          const seen = last.get(id);
          const value = watched(n);
          if (seen === undefined || seen.node !== n) {
            last.set(id, { node: n, value });
            continue;
          }
          if (seen.value === value) continue;
          seen.value = value;
          if (strikes(n)) {
            target = id;
            return true;
          }
        }
        return false;
      },
      react(plan) {
        if (target !== undefined && plan.rng.chance(probability)) {
          plan.later(0, { type: "crash", node: target });
          plan.later(plan.rng.uniform(downtime[0], downtime[1]), { type: "restart", node: target });
        }
        target = undefined;
      },
    };
  };
}

/**
 * Figure 8's last step: a leader crashes the moment its commit index moves, before it has told anyone, and stays
 * down a while; whoever wins next must still hold every committed entry (Leader Completeness, §5.4).
 */
export function crashAfterCommit(probability = 0.2): AdversaryFactory {
  return crashWhenChanged("leader crash right after a commit", probability, [50, 600], (n) => n.commitIndex, (n) => n.role === "leader");
}

/**
 * A voter crashes the moment it has granted a vote and restarts within `maxDowntime` ms, while other candidates'
 * requests of the same term may still be on the way (Figure 2: votedFor must be on disk before the reply leaves).
 * With `probability` it strikes a given vote.
 */
export function crashAfterVote(probability = 0.5, maxDowntime = 6): AdversaryFactory {
  const vote = (n: RaftNode) => n.currentTerm * 65_536 + (n.votedFor === null ? 0 : n.votedFor + 1);
  return crashWhenChanged("crash right after a vote", probability, [0, maxDowntime], vote, (n) => n.votedFor !== null && n.votedFor !== n.id);
}

/**
 * Election timeouts on a shared grid until `until` (then the usual random ones): servers that last heard from the
 * leader at about the same time stand for election in the same millisecond, so split votes and two candidates in
 * one term, rare with random timeouts, become common. At each grid point a pseudo-random third of the servers
 * wait one more slot, so that some server is left to vote. A pure function of (server, time), as replays need.
 */
export function gridTimeouts(until: number, grid = 100, min = 150): (node: NodeId, now: number) => number | undefined {
  return (node, now) => {
    if (now >= until) return undefined;
    const at = Math.ceil((now + min) / grid) * grid;
    const slot = Math.round(at / grid);
    const late = (Math.imul(node + 1, 0x9e3779b1) ^ Math.imul(slot, 0x85ebca6b)) >>> 0;
    return at + (late % 3 === 0 ? grid : 0) - now;
  };
}
