// Lesson 6, scenario 3: a follower holding entries from a dead leader's term has its log repaired by the new leader.

import { finishStory, formatCommand, lastIndexOfTerm, raftDescriber, raftNodes, scriptedTimeouts, type AppendEntriesReply, type RaftNode } from "@course/raft";
import type { Scenario } from "../lesson.js";
import { FIVE, listed, nextStep, raftCluster, server } from "../05-leader-election/cluster.js";
import { refusalsFrom } from "./real-raft.js";

export const logText = (n: RaftNode) => n.log.all().map((e) => `${e.index}:${formatCommand(e.command)}(t${e.term})`).join(" ");

export const repair: Scenario = {
  id: "repair",
  title: "Repairing a follower's conflicting log",
  summary:
    "Leader 0 gets three entries onto node 1 only, then crashes. Node 2 wins term 2 and writes its own entries at the same indices. When node 1 is reachable again it holds entries that conflict with the leader's. Two refusals find the last point where their logs agree (the second skips node 1's whole term-1 stretch at once), and node 1 deletes its conflicting entries and takes the leader's.",
  protocol: "raft",
  defaultSeed: 1,
  describe: raftDescriber(),
  run({ seed }) {
    const sim = raftCluster(
      seed,
      FIVE,
      {
        firstTimeouts: { 0: 10 },
        electionTimeoutOverride: scriptedTimeouts([
          { from: 0, to: 100, node: "others", ms: 5000 },
          { from: 100, to: Infinity, node: 2, ms: 300 },
          { from: 100, to: Infinity, node: "others", ms: 5000 },
        ]),
      },
      { latency: { kind: "fixed", ms: 5 } },
    );
    const node = (id: number) => server(sim, id) as RaftNode;
    sim.heading("Leader 0 commits a=1 everywhere");
    sim.runUntilTime(50);
    sim.request(0, "a=1");
    sim.runUntilTime(100);
    sim.note(`Every log is ${logText(node(0))}, and every server has committed it (commit index ${listed([...new Set(FIVE.map((id) => node(id).commitIndex))])}).`, { label: "committed" });

    sim.runUntilTime(150);
    sim.heading("Three entries reach only node 1, then leader 0 crashes");
    for (const to of [2, 3, 4]) sim.apply({ type: "cut", from: 0, to });
    for (const v of [1, 2, 3]) sim.request(0, `b=${v}`);
    sim.runUntilTime(200);
    const lastB = node(1).log.lastIndex;
    const firstB = lastB - 2;
    sim.apply({ type: "crash", node: 0 });
    sim.apply({ type: "heal" });
    sim.apply({ type: "isolate", node: 1 });
    sim.note(`Node 1's log: ${logText(node(1))}. Entries ${firstB}-${lastB} were only ever on nodes 0 and 1, never a majority, so they were never committed. Node 0 is down and node 1 is now cut off too.`, { label: "diverged" });

    sim.heading("Node 2 wins term 2 and writes over the same indices");
    sim.runUntil(() => node(2).role === "leader", { timeout: 1000 });
    for (const v of [1, 2, 3, 4]) sim.request(2, `c=${v}`);
    sim.runFor(100);
    const overwritten = node(2).log.entryAt(firstB);
    sim.note(`Leader 2's log: ${logText(node(2))}. Index ${firstB} now means ${overwritten ? formatCommand(overwritten.command) : "nothing"} of term 2 on the majority, and b=1 of term 1 on node 1.`, { label: "new-leader" });
    nextStep(sim);

    sim.heading("Node 1 returns: find the agreement point, then overwrite");
    const healAt = sim.trace.length;
    sim.apply({ type: "heal" });
    sim.runFor(200);
    const refused = refusalsFrom(sim.trace, 1, healAt).map((e) => e.msg as AppendEntriesReply);
    const hint = refused.filter((r) => r.conflictTerm !== undefined).at(-1);
    const lastOfTerm = hint?.conflictTerm === undefined ? undefined : lastIndexOfTerm(node(2).log, hint.conflictTerm);
    const resume = (lastOfTerm ?? 0) + 1;
    sim.note(
      `Node 1 refused ${refused.length} time(s). ${refused[0]?.conflictTerm === undefined && refused.length > 1 ? `First its log was too short for the message (it ended at index ${(refused[0]?.conflictIndex ?? 1) - 1}). ` : ""}` +
        `Its last refusal said "I hold term ${hint?.conflictTerm} from index ${hint?.conflictIndex}"; the leader's own log has term ${hint?.conflictTerm} only up to index ${lastOfTerm}, so it resumed right after it, at index ${resume}, instead of stepping back one entry per round trip. ` +
        `Node 1 then found entry ${resume} of term 2 where it held term 1, deleted that entry and everything after it, and appended the leader's entries: ${logText(node(1))}.`,
      { label: "repaired" },
    );
    nextStep(sim);

    sim.heading("The old leader comes back and is repaired the same way");
    const restartAt = sim.trace.length;
    sim.apply({ type: "restart", node: 0 });
    sim.runFor(300);
    const logs = new Set(raftNodes(sim).map(logText));
    const oldRefused = refusalsFrom(sim.trace, 0, restartAt).map((e) => e.msg as AppendEntriesReply);
    sim.note(
      `Node 0 restarted with the same log as node 1 had, and was refused and repaired the same way: ${oldRefused.length} refusal(s), the last saying it holds term ${oldRefused.at(-1)?.conflictTerm ?? "?"} from index ${oldRefused.at(-1)?.conflictIndex ?? "?"}. All ${raftNodes(sim).length} logs are now ${logs.size === 1 ? "identical" : "not yet identical"}.`,
      { label: "all-repaired" },
    );
    return finishStory(
      sim,
      `node 1's log is now ${logText(node(1))}; after ${refused.length} refusal(s) its term-1 entries b=1..b=3 are gone; all ${raftNodes(sim).length} logs identical: ${logs.size === 1 ? "yes" : "no"}.`,
    );
  },
};
