import { randomRun, leaderOf, lostOrDuplicatedWrites } from "../../check/test/raft-cluster.js";
import type { RaftNode } from "../src/index.js";
const n = Number(process.env.N ?? 200);
const opts = JSON.parse(process.env.OPTS ?? "{}");
let bad = 0; let noLeader = 0; const t0 = process.hrtime.bigint(); let steps = 0;
for (let seed = Number(process.env.START ?? 1); seed < Number(process.env.START ?? 1) + n; seed++) {
  const sim = randomRun({ seed, raft: opts });
  sim.runUntilTime(4000);
  if (sim.violation) { bad++; console.log("seed", seed, sim.violationReport()); continue; }
  const l = leaderOf(sim);
  if (l === undefined) { noLeader++; console.log("seed", seed, "no leader"); continue; }
  const id = sim.request(l, { type: "append", key: "final", value: "z;", seq: 1 }, "final");
  sim.runFor(1000);
  const rec = sim.requests.find(r => r.request.id === id)!;
  const leader = sim.node<RaftNode>(l)!;
  const p = lostOrDuplicatedWrites(sim, leader);
  if (!(rec.result as any)?.ok || p.length) { console.log("seed", seed, JSON.stringify(rec.result), p.slice(0,3)); bad++; }
  steps += sim.stepCount;
}
console.log({ bad, noLeader, ms: Number(process.hrtime.bigint() - t0) / 1e6, steps });
