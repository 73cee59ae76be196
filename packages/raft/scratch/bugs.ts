import { randomRun } from "../../check/test/raft-cluster.js";
import { buggyRules } from "../src/index.js";
for (const [name, rules] of Object.entries(buggyRules)) {
  const found: Record<string, number> = {}; let first = -1;
  for (let seed = 1; seed <= 200; seed++) {
    const sim = randomRun({ seed, raft: { rules } });
    sim.runUntilTime(4000);
    if (sim.violation) { found[sim.violation.checker] = (found[sim.violation.checker] ?? 0) + 1; if (first < 0) first = seed; }
  }
  console.log(name, first, JSON.stringify(found));
}
