import { randomFaults, Simulation } from "@course/sim";
import * as C from "../../check/src/raft-invariants.js";
import { createRaftNode, leaderOf, type RaftMessage } from "../src/index.js";
const hooksets: Record<string, () => any[]> = { none: () => [], es: () => [C.electionSafety()], lm: () => [C.logMatching()], lc: () => [C.leaderCompleteness()], sms: () => [C.stateMachineSafety()], cim: () => [C.commitIndexMonotonic()], aed: () => [C.appliedEntriesDurable()], all: () => C.raftInvariants() };
for (const [name, mk] of Object.entries(hooksets)) {
  const nodes = [0,1,2,3,4]; const end = 300_000;
  const sim = new Simulation<RaftMessage>({ seed: 1, nodes, network: { drop: 0.1 }, createNode: createRaftNode({ snapshotEvery: 100, preVote: true, checkQuorum: true }), faults: randomFaults({ seed: 1, nodes, end, rates: { crash: 0.2, partition: 0.15 } }), record: false, isolateMessages: false, hooks: mk() });
  const c0 = process.cpuUsage(); let seq = 0;
  for (let t = 100; t <= end; t += 100) { sim.runUntilTime(t); sim.request(leaderOf(sim)?.id ?? 0, { type: "put", key: "k", value: "v", seq: ++seq }, "b"); }
  const c = process.cpuUsage(c0); console.log(name, ((c.user + c.system) / 1e6).toFixed(2));
}
