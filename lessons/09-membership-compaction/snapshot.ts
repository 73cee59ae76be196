// Lesson 9, scenario 2: a snapshot replaces a prefix of the log on every server (§7).

import { Simulation } from "@course/sim";
import { createRaftNode, finishStory, KvStore, raftDescriber, raftNodes, waitForLeader, type KvImage, type RaftMessage, type RaftNode } from "@course/raft";
import { raftInvariants } from "@course/check";
import type { Scenario } from "../lesson.js";

const EVERY = 5;

export const snapshot: Scenario = {
  id: "snapshot",
  title: "A snapshot replaces a prefix of the log",
  summary: `Each server independently snapshots its state machine once ${EVERY} applied entries have piled up in its log: the snapshot records the last index and term it covers, and the entries before it are deleted from the log and from disk.`,
  protocol: "raft",
  defaultSeed: 1,
  describe: raftDescriber(),
  run({ seed }) {
    const sim = new Simulation<RaftMessage>({ seed, nodes: [0, 1, 2], createNode: createRaftNode({ snapshotEvery: EVERY }), hooks: raftInvariants(), record: true });
    sim.heading("Twelve writes");
    const leader = waitForLeader(sim, 2000) as RaftNode;
    for (let k = 1; k <= 12; k++) {
      sim.request(leader.id, `k${k % 4}=${k}`);
      sim.runFor(30);
    }
    sim.runFor(200);
    sim.heading("What each server keeps");
    for (const n of raftNodes(sim)) {
      const held = KvStore.from(n.snapshot?.state as KvImage | undefined).entries();
      sim.note(`Server ${n.id}: snapshot up to index ${n.log.snapshotIndex} (term ${n.log.snapshotTerm}) holding ${JSON.stringify(held)}, then ${n.log.length} log entr${n.log.length === 1 ? "y" : "ies"}; its state machine, with those applied, holds ${JSON.stringify(n.kv.entries())}.`);
    }
    sim.note("The snapshot holds the state those entries produced (and the client sessions), so a restart loads it instead of replaying them. Only applied, hence committed, entries are ever folded in.", { label: "kept" });
    const n = sim.node<RaftNode>(leader.id) as RaftNode;
    return finishStory(sim, `${n.lastApplied} entries applied; each server's log now starts after index ${raftNodes(sim).map((s) => s.log.snapshotIndex).join("/")} and holds ${raftNodes(sim).map((s) => s.log.length).join("/")} entries.`);
  },
};
