// A busy five-node run with every kind of fault, used by the determinism tests (also runnable alone: prints the trace hash).

import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { randomFaults, serializeTrace, Simulation, toTraceFile } from "../src/index.js";
import { gossipFactory } from "./probe-node.js";

export function gossipRun(seed: number): Simulation {
  const nodes = [0, 1, 2, 3, 4];
  const network = { latency: { kind: "exponential", min: 1, mean: 10, max: 200 }, drop: 0.05, duplicate: 0.05 } as const;
  const faults = randomFaults({ seed, nodes, end: 4000, rates: { crash: 1, pause: 1, partition: 1, cut: 1, lossy: 0.5 }, network });
  const sim = new Simulation({ seed, nodes, createNode: gossipFactory, network, faults });
  sim.runUntilTime(5000);
  return sim;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const seed = Number(process.argv[2] ?? 1);
  process.stdout.write(createHash("sha256").update(serializeTrace(toTraceFile(gossipRun(seed), "gossip"))).digest("hex") + "\n");
}
