// Lesson 8, scenario 1: the election restriction (§5.4.1): a candidate missing committed entries cannot win.

import { Simulation } from "@course/sim";
import { buggyRules, createRaftNode, finishStory, leaderOf, raftDescriber, scriptedTimeouts, type RaftMessage, type RaftNode } from "@course/raft";
import { raftInvariants } from "@course/check";
import type { Scenario } from "../lesson.js";

const NODES = [0, 1, 2, 3, 4];

export const staleCandidate: Scenario = {
  id: "stale-candidate",
  title: "A candidate with a stale log cannot win",
  summary: "Node 4 misses two committed entries, then is the first to time out after the leader crashes. Every voter compares logs: node 4's last entry is older than theirs, so they refuse, and a server holding the committed entries wins instead. Switch to the variant that skips the comparison and node 4 wins, and the checker flags a leader missing committed entries.",
  protocol: "raft",
  defaultSeed: 1,
  variants: { "vote-without-up-to-date-check": "Voters grant their vote without comparing logs (§5.4.1 skipped): the stale node wins and committed entries vanish." },
  describe: raftDescriber(),
  run({ seed, variant }) {
    const rules = variant === "vote-without-up-to-date-check" ? buggyRules["vote-without-up-to-date-check"] : {};
    const sim = new Simulation<RaftMessage>({
      seed,
      nodes: NODES,
      network: { latency: { kind: "fixed", ms: 5 } },
      createNode: createRaftNode({
        rules,
        firstTimeouts: { 0: 10 },
        electionTimeoutOverride: scriptedTimeouts([
          { from: 0, to: 100, node: 4, ms: 400 },
          { from: 0, to: 100, node: "others", ms: 5000 },
          { from: 100, to: Infinity, node: 1, ms: 350 },
          { from: 100, to: Infinity, node: "others", ms: 5000 },
        ]),
      }),
      hooks: raftInvariants(),
      record: true,
    });
    sim.heading("Two entries are committed without node 4", "commit");
    sim.runUntilTime(30);
    sim.apply({ type: "cut", from: 0, to: 4 });
    sim.request(0, "x=1");
    sim.request(0, "x=2");
    sim.runUntilTime(200);
    const committed = (sim.node<RaftNode>(0) as RaftNode).commitIndex;
    sim.note(`Nodes 0 to 3 hold entries 1 and 2 and leader 0 has committed up to index ${committed}. Node 4's log is empty.`);
    sim.heading("The leader crashes; node 4 runs first", "campaign");
    sim.apply({ type: "crash", node: 0 });
    sim.apply({ type: "heal" });
    sim.note("Voters check §5.4.1 before granting: is the candidate's last entry from a later term, or the same term and at least as far along? Node 4's last entry is index 0, theirs is index 2 of term 1.");
    sim.runUntil(() => leaderOf(sim) !== undefined || sim.stopped, { timeout: 2000 });
    sim.runFor(100);
    const leader = leaderOf(sim);
    if (sim.stopped) {
      sim.note(`Node ${leader?.id ?? "?"} won without entries 1 and 2. A committed entry is missing from a leader's log, and that leader will overwrite it on every follower.`, { label: "violation" });
      return finishStory(sim, `with voting that skips the log comparison, node ${leader?.id ?? "?"} won term ${leader?.currentTerm ?? "?"} holding ${leader?.log.lastIndex ?? 0} entries; the checker flags ${sim.violation?.checker}.`);
    }
    sim.note(`Node 4 could not win: the nodes that hold the committed entries refused it. Node ${leader?.id} won and still holds both entries, and node 4 receives them from it.`, { label: "safe" });
    return finishStory(sim, `node 4 was refused; node ${leader?.id ?? "none"} leads term ${leader?.currentTerm ?? "-"} with ${leader?.log.lastIndex ?? 0} entries; node 4 now has ${sim.node<RaftNode>(4)?.log.lastIndex ?? 0}; no invariant broken.`);
  },
};
