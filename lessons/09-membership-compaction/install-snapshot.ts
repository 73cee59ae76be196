// Lesson 9, scenario 3: a follower that fell behind a compacted log is brought up to date with InstallSnapshot.

import { Simulation } from "@course/sim";
import { createRaftNode, finishStory, raftDescriber, waitForLeader, type RaftMessage, type RaftNode } from "@course/raft";
import { raftInvariants } from "@course/check";
import type { Scenario } from "../lesson.js";

export const installSnapshot: Scenario = {
  id: "install-snapshot",
  title: "A lagging follower gets the snapshot",
  summary: "A follower is down while the others commit twelve writes and compact their logs. When it returns, the entries it needs no longer exist in the leader's log, so the leader sends its snapshot (Figure 13) and then the entries after it.",
  protocol: "raft",
  defaultSeed: 1,
  describe: raftDescriber(),
  run({ seed }) {
    const sim = new Simulation<RaftMessage>({ seed, nodes: [0, 1, 2], createNode: createRaftNode({ snapshotEvery: 5 }), hooks: raftInvariants(), record: true });
    const leader = waitForLeader(sim, 2000) as RaftNode;
    const lagging = [0, 1, 2].find((n) => n !== leader.id) as number;
    sim.heading(`Server ${lagging} is down while twelve writes commit`);
    sim.apply({ type: "crash", node: lagging });
    for (let k = 1; k <= 12; k++) {
      sim.request(leader.id, `k${k % 4}=${k}`);
      sim.runFor(30);
    }
    sim.runFor(100);
    sim.note(`The leader's log now starts after index ${leader.log.snapshotIndex}: entries 1 to ${leader.log.snapshotIndex} exist only inside its snapshot.`, { label: "behind" });
    sim.heading(`Server ${lagging} returns`);
    sim.apply({ type: "restart", node: lagging });
    const before = (sim.node<RaftNode>(lagging) as RaftNode).log.lastIndex;
    sim.note(`Server ${lagging} is back with ${before === 0 ? "an empty log" : `a log that ends at index ${before}`}; the leader's log starts after index ${leader.log.snapshotIndex}.`, { label: "return" });
    sim.runUntil(() => (sim.node<RaftNode>(lagging)?.lastApplied ?? 0) >= leader.lastApplied, { timeout: 1000 });
    sim.runFor(100);
    const f = sim.node<RaftNode>(lagging) as RaftNode;
    const snapshots = sim.trace.filter((e) => e.kind === "deliver" && e.to === lagging && e.msg.type === "InstallSnapshot").length;
    sim.note(
      `Server ${lagging} replaced its ${before === 0 ? "empty log" : `log (which ended at index ${before})`} with the snapshot (Figure 13: its log did not contain the snapshot's last entry, so nothing was kept), loaded the state machine from it, then took the remaining entries by AppendEntries.`,
      { label: "installed" },
    );
    return finishStory(
      sim,
      `server ${lagging} received ${snapshots} InstallSnapshot message(s) up to index ${f.log.snapshotIndex}, applied up to ${f.lastApplied} (leader ${leader.lastApplied}); same data as the leader: ${JSON.stringify(f.kv.entries()) === JSON.stringify(leader.kv.entries()) ? "yes" : "no"}.`,
    );
  },
};
