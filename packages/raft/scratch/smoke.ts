import { Simulation } from "@course/sim";
import { createRaftNode, RaftNode } from "../src/index.js";
const sim = new Simulation({ seed: 1, nodes: [0,1,2,3,4], createNode: createRaftNode({}) });
sim.runFor(1000);
for (const id of sim.nodeIds) { const n = sim.node<RaftNode>(id)!; console.log(id, n.role, n.currentTerm, n.log.lastIndex, n.commitIndex); }
const leader = sim.nodeIds.find(i => sim.node<RaftNode>(i)!.role === "leader")!;
sim.request(leader, "x=1"); sim.request(leader, {type:"get", key:"x"});
sim.runFor(200);
console.log(sim.requests.map(r => JSON.stringify(r.result)));
for (const id of sim.nodeIds) { const n = sim.node<RaftNode>(id)!; console.log(id, n.role, n.currentTerm, n.log.lastIndex, n.commitIndex, JSON.stringify(n.kv.entries())); }
console.log(sim.trace.length, JSON.stringify(sim.counters.toJSON()));
