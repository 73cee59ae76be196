// Lesson 6, scenario 2: the same run with real Raft: follower 4 refuses x=2 without x=1; the leader backs up.

import { Simulation } from "@course/sim";
import { createRaftNode, finishStory, formatCommand, raftDescriber, scriptedTimeouts, type AppendEntriesReply, type RaftMessage, type RaftNode } from "@course/raft";
import { raftInvariants } from "@course/check";
import type { Scenario } from "../lesson.js";

const NODES = [0, 1, 2, 3, 4];
const LEADER = 2;

export const realRaft: Scenario = {
  id: "real-raft",
  title: "The same run in real Raft",
  summary: "Same cluster, same losses. The new leader first commits a no-op of its own term with nodes 0 and 4 (index 1). Then 'x=1' (index 2) again reaches only node 0. When 'x=2' arrives at node 4, it carries 'follows index 2 of term 1', and node 4 has no index 2: it refuses. The leader backs up, sends x=1 and x=2 together, and once a majority holds index 3 both entries are committed. 'x=3' again reaches only node 0 and waits.",
  protocol: "raft",
  defaultSeed: 1,
  describe: raftDescriber(),
  run({ seed }) {
    const sim = new Simulation<RaftMessage>({
      seed,
      nodes: NODES,
      network: { latency: { kind: "fixed", ms: 5 } },
      // Pipelining (sending the next entries before the previous ones are acknowledged, as etcd does) is what lets x=2 go out before x=1 is known to have arrived.
      createNode: createRaftNode({ pipeline: true, firstTimeouts: { [LEADER]: 10 }, electionTimeoutOverride: scriptedTimeouts([{ from: 0, to: Infinity, node: "others", ms: 5000 }]) }),
      hooks: raftInvariants(),
      record: true,
    });
    const leader = () => sim.node<RaftNode>(LEADER) as RaftNode;
    sim.heading("Alive nodes: [0, 2, 4]; node 2 is elected", "election");
    sim.apply({ type: "crash", node: 1 });
    sim.apply({ type: "crash", node: 3 });
    sim.runUntilTime(40);
    const noop = leader().log.lastIndex;
    sim.note(`Raft numbers log entries from 1, the demo from 0. A new Raft leader first appends a no-op of its own term (§8, index ${noop}), so the demo's log[0] is Raft's index ${noop + 1}.`);
    sim.heading("x=1 reaches only node 0", "x1");
    sim.apply({ type: "cut", from: LEADER, to: 4 });
    sim.request(LEADER, "x=1");
    sim.runUntilTime(75);
    const x1 = leader().log.lastIndex;
    sim.note(`Index ${x1} is on nodes 2 and 0: two of five, and three are needed. Commit index stays ${leader().commitIndex}. So far this matches the toy.`);
    sim.heading("x=2: node 4 refuses, the leader backs up", "x2");
    sim.apply({ type: "heal", from: LEADER, to: 4 });
    sim.request(LEADER, "x=2");
    const x2 = x1 + 1;
    sim.runUntil(() => leader().commitIndex >= x2, { timeout: 200 });
    const refusals = sim.trace.filter((e) => e.kind === "deliver" && e.from === 4 && e.msg.type === "AppendEntriesReply" && !(e.msg as AppendEntriesReply).success).length;
    sim.note(
      `The consistency check made node 4 refuse ${refusals} time(s) until the leader sent what it lacked. Now index ${x2} is on nodes 2, 0 and 4, a majority, and it belongs to the leader's current term, so the leader commits index ${x2}, and with it index ${x1}: a commit index covers every entry before it.`,
      { label: "backup" },
    );
    sim.runFor(60);
    sim.heading("x=3 reaches only node 0", "x3");
    sim.apply({ type: "cut", from: LEADER, to: 4 });
    sim.request(LEADER, "x=3");
    sim.runFor(100);
    const l = leader();
    const committed = l.log.all().filter((e) => e.index <= l.commitIndex).map((e) => `'${formatCommand(e.command)}'`);
    const pending = l.log.all().filter((e) => e.index > l.commitIndex).map((e) => `'${formatCommand(e.command)}'`);
    sim.note(`Index ${x2 + 1} waits on two nodes. It is not lost: the leader keeps offering it to node 4, and it will commit as soon as that link heals.`);
    const aeWithEntries = sim.trace.filter((e) => e.kind === "deliver" && e.msg.type === "AppendEntries" && (e.msg as RaftMessage & { entries?: unknown[] }).entries?.length).length;
    return finishStory(
      sim,
      `leader=${LEADER}, committed=[${committed.join(", ")}], not yet committed=[${pending.join(", ")}], follower 4 refused ${refusals} time(s); ${aeWithEntries} AppendEntries with entries delivered.`,
    );
  },
};
