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
    sim.heading("Two client writes are committed without node 4");
    sim.runUntilTime(30);
    sim.apply({ type: "cut", from: 0, to: 4 });
    sim.request(0, "x=1");
    sim.request(0, "x=2");
    sim.runUntilTime(200);
    const leader0 = sim.node<RaftNode>(0) as RaftNode;
    const last = (n: RaftNode) => `index ${n.log.lastIndex} of term ${n.log.lastTerm}`;
    const stale = sim.node<RaftNode>(4) as RaftNode;
    sim.note(
      `Nodes 0 to 3 hold entries 1 to ${leader0.log.lastIndex}: leader 0's no-op of term 1 (§8), then x=1 and x=2. Leader 0 has committed up to index ${leader0.commitIndex}. Node 4 holds ${stale.log.lastIndex === 0 ? "nothing" : `only entr${stale.log.lastIndex === 1 ? "y 1" : `ies 1 to ${stale.log.lastIndex}`}`}: the link from node 0 to node 4 failed before x=1 and x=2 were sent.`,
      { label: "commit" },
    );
    // The state above gets a step of its own before the crash (a jump to a label shows every action of its step).
    sim.step();
    sim.heading("The leader crashes; node 4 runs first");
    sim.apply({ type: "crash", node: 0 });
    sim.apply({ type: "heal" });
    sim.note(
      `Voters check §5.4.1 before granting: is the candidate's last entry from a later term, or the same term and at least as far along? Node 4's last entry is ${last(stale)}; theirs is ${last(sim.node<RaftNode>(1) as RaftNode)}.`,
      { label: "campaign" },
    );
    sim.runUntil(() => leaderOf(sim) !== undefined || sim.stopped, { timeout: 2000 });
    sim.runFor(100);
    const leader = leaderOf(sim);
    if (sim.stopped) {
      sim.note(`Node ${leader?.id ?? "?"} won term ${leader?.currentTerm ?? "?"} without x=1 and x=2, which were committed. A leader missing committed entries would overwrite them on every follower; the checker stops the run here.`, { label: "violation" });
      return finishStory(sim, `with voting that skips the log comparison, node ${leader?.id ?? "?"} won term ${leader?.currentTerm ?? "?"} holding ${leader?.log.lastIndex ?? 0} entries; the checker flags ${sim.violation?.checker}.`);
    }
    sim.note(`Node 4 could not win: the nodes that hold the committed entries refused it. Node ${leader?.id} won term ${leader?.currentTerm}, holds x=1 and x=2, and node 4 now holds them too.`, { label: "safe" });
    return finishStory(sim, `node 4 was refused; node ${leader?.id ?? "none"} leads term ${leader?.currentTerm ?? "-"} with ${leader?.log.lastIndex ?? 0} entries; node 4 now has ${sim.node<RaftNode>(4)?.log.lastIndex ?? 0}; no invariant broken.`);
  },
};
