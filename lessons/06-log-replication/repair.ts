// Lesson 6, scenario 3: a follower holding entries from a dead leader's term has its log repaired by the new leader.

import { Simulation } from "@course/sim";
import { createRaftNode, finishStory, formatCommand, lastIndexOfTerm, raftDescriber, raftNodes, scriptedTimeouts, type AppendEntriesReply, type RaftMessage, type RaftNode } from "@course/raft";
import { raftInvariants } from "@course/check";
import type { Scenario } from "../lesson.js";

const NODES = [0, 1, 2, 3, 4];
const logText = (n: RaftNode) => n.log.all().map((e) => `${e.index}:${formatCommand(e.command)}(t${e.term})`).join(" ");

export const repair: Scenario = {
  id: "repair",
  title: "Repairing a follower's conflicting log",
  summary: "Leader 0 gets three entries onto node 1 only, then crashes. Node 2 wins term 2 and writes its own entries at the same indices. When node 1 is reachable again it holds entries that conflict with the leader's. The leader finds the last point where their logs agree in two refusals (skipping a whole term at a time), and node 1 deletes its conflicting entries and takes the leader's.",
  protocol: "raft",
  defaultSeed: 1,
  describe: raftDescriber(),
  run({ seed }) {
    const sim = new Simulation<RaftMessage>({
      seed,
      nodes: NODES,
      network: { latency: { kind: "fixed", ms: 5 } },
      createNode: createRaftNode({
        pipeline: true,
        firstTimeouts: { 0: 10 },
        electionTimeoutOverride: scriptedTimeouts([
          { from: 0, to: 100, node: "others", ms: 5000 },
          { from: 100, to: Infinity, node: 2, ms: 300 },
          { from: 100, to: Infinity, node: "others", ms: 5000 },
        ]),
      }),
      hooks: raftInvariants(),
      record: true,
    });
    const node = (id: number) => sim.node<RaftNode>(id) as RaftNode;
    sim.heading("Leader 0 commits a=1 everywhere", "commit");
    sim.runUntilTime(50);
    sim.request(0, "a=1");
    sim.runUntilTime(150);
    sim.heading("Three entries reach only node 1, then leader 0 crashes", "diverge");
    for (const to of [2, 3, 4]) sim.apply({ type: "cut", from: 0, to });
    for (const v of [1, 2, 3]) sim.request(0, `b=${v}`);
    sim.runUntilTime(200);
    const lastB = node(1).log.lastIndex;
    const firstB = lastB - 2;
    sim.apply({ type: "crash", node: 0 });
    sim.apply({ type: "heal" });
    sim.apply({ type: "isolate", node: 1 });
    sim.note(`Node 1's log: ${logText(node(1))}. Entries ${firstB}-${lastB} were never on a majority, so they were never committed. Node 1 is now cut off too.`);
    sim.heading("Node 2 wins term 2 and writes over the same indices", "new-leader");
    sim.runUntil(() => node(2).role === "leader", { timeout: 1000 });
    for (const v of [1, 2, 3, 4]) sim.request(2, `c=${v}`);
    sim.runFor(100);
    const overwritten = node(2).log.entryAt(firstB);
    sim.note(`Leader 2's log: ${logText(node(2))}. Index ${firstB} now means ${overwritten ? formatCommand(overwritten.command) : "nothing"} of term 2 on the majority, and b=1 of term 1 on node 1.`);
    sim.heading("Node 1 returns: find the agreement point, then overwrite", "repair");
    const healAt = sim.trace.length;
    sim.apply({ type: "heal" });
    sim.runFor(200);
    const refused = sim.trace.slice(healAt).flatMap((e) => (e.kind === "deliver" && e.from === 1 && e.msg.type === "AppendEntriesReply" && !(e.msg as AppendEntriesReply).success ? [e.msg as AppendEntriesReply] : []));
    const refusals = refused.length;
    const hint = refused.filter((r) => r.conflictTerm !== undefined).at(-1);
    const lastOfTerm = hint?.conflictTerm === undefined ? undefined : lastIndexOfTerm(node(2).log, hint.conflictTerm);
    sim.note(
      `Node 1 refused ${refusals} time(s). Its last refusal said "I hold term ${hint?.conflictTerm} from index ${hint?.conflictIndex}"; the leader's own log has term ${hint?.conflictTerm} only up to index ${lastOfTerm}, so it resumed right after it, at index ${(lastOfTerm ?? 0) + 1}, instead of stepping back one entry per round trip. ` +
        `Node 1 then found entry ${(lastOfTerm ?? 0) + 1} of term 2 where it held term 1, deleted that entry and everything after it, and appended the leader's entries.`,
      { label: "repaired" },
    );
    sim.heading("The old leader comes back and is repaired the same way", "old-leader");
    sim.apply({ type: "restart", node: 0 });
    sim.runFor(300);
    const logs = new Set(raftNodes(sim).map(logText));
    return finishStory(
      sim,
      `node 1's log is now ${logText(node(1))}; after ${refusals} refusal(s) its term-1 entries b=1..b=3 are gone; all ${raftNodes(sim).length} logs identical: ${logs.size === 1 ? "yes" : "no"}.`,
    );
  },
};
