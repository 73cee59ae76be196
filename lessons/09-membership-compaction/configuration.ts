// Helpers for lesson 9's membership scenarios: send a change to the leader until it is taken, and say each server's configuration.

import type { Simulation } from "@course/sim";
import { leaderOf, raftNodes, serverName, type ClientResult, type RaftMessage, type RaftNode } from "@course/raft";

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
 * "S0 (leader): members [S0, S1, S2], learner S3; S1, S2: members [S0, S1, S2]": each running server's latest
 * configuration, grouped, and the learner a leader is catching up, named as the narration and the charts name servers.
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
      const who = ns.length === 1 ? `${serverName(first.id)}${first.role === "leader" ? " (leader)" : ""}` : ns.map((n) => serverName(n.id)).join(", ");
      const learners = first.learners.length === 0 ? "" : `, learner${first.learners.length === 1 ? "" : "s"} ${first.learners.map(serverName).join(", ")}`;
      return `${who}: members [${first.members.map(serverName).join(", ")}]${learners}`;
    })
    .join("; ");
}
