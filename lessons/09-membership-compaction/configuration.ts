// Helpers for lesson 9's membership scenarios: send a change to the leader until it is taken, and say each server's configuration.

import type { Simulation } from "@course/sim";
import { leaderOf, raftNodes, type ClientResult, type RaftMessage, type RaftNode } from "@course/raft";

/** Send `op` to whoever leads, once, and run until it is answered; returns the answer (undefined: no leader or no answer). */
export function askLeader(sim: Simulation<RaftMessage>, op: unknown, timeout = 500): ClientResult | undefined {
  const leader = leaderOf(sim);
  if (leader === undefined) return undefined;
  const id = sim.request(leader.id, op, "admin");
  sim.runUntil(() => sim.requests.find((r) => r.request.id === id)?.result !== undefined, { timeout });
  return sim.requests.find((r) => r.request.id === id)?.result as ClientResult | undefined;
}

/** Send `op` to whoever leads until it succeeds (a change is refused while another is pending). */
export function change(sim: Simulation<RaftMessage>, op: unknown): ClientResult | undefined {
  for (let attempt = 0; attempt < 20; attempt++) {
    const res = askLeader(sim, op);
    if (res?.ok) return res;
    sim.runFor(50);
  }
  return undefined;
}

/**
 * "server 0 (leader): members [0, 1, 2], learner 3; servers 1, 2: members [0, 1, 2]": each running server's latest
 * configuration, grouped, and the learner a leader is catching up. This is the configuration the page would draw.
 */
export function configurationText(sim: Simulation<RaftMessage>): string {
  const groups = new Map<string, RaftNode[]>();
  for (const n of raftNodes(sim)) {
    const key = `${n.role === "leader" ? `L${n.id}` : ""}|${n.members.join(", ")}|${n.learners.join(", ")}`;
    groups.set(key, [...(groups.get(key) ?? []), n]);
  }
  return [...groups.values()]
    .map((ns) => {
      const first = ns[0] as RaftNode;
      const who = ns.length === 1 ? `server ${first.id}${first.role === "leader" ? " (leader)" : ""}` : `servers ${ns.map((n) => n.id).join(", ")}`;
      const learners = first.learners.length === 0 ? "" : `, learner${first.learners.length === 1 ? "" : "s"} ${first.learners.join(", ")}`;
      return `${who}: members [${first.members.join(", ")}]${learners}`;
    })
    .join("; ");
}
