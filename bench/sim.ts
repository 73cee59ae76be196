// Simulator overhead benchmark: message deliveries per wall-clock second with trivial echo nodes.
// Run one configuration per process (so peak memory is its own): tsx bench/sim.ts <config> <deliveries>.

import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Simulation } from "@course/sim";
import { echoNodes } from "../packages/sim/examples/echo.js";

export const SIM_CONFIGS = {
  "recording off, shared messages": { record: false, isolateMessages: false },
  "recording off (bulk testing default)": { record: false, isolateMessages: true },
  "recording on": { record: true, isolateMessages: true },
} as const;
export type SimConfigName = keyof typeof SIM_CONFIGS;

export interface SimSample {
  deliveries: number;
  seconds: number;
  perSecond: number;
  peakRssMb: number;
}

/** One timed run: five echo nodes bounce pings until `deliveries` messages have been delivered. */
export function runSimOnce(config: SimConfigName, deliveries: number): SimSample {
  const nodes = [0, 1, 2, 3, 4];
  // Each pong makes the next ping; node 0 counts pongs across its four chains, two deliveries per pong.
  const sim = new Simulation({ seed: 1, nodes, createNode: echoNodes(Math.ceil(deliveries / 2)), ...SIM_CONFIGS[config] });
  const start = process.hrtime.bigint();
  while (sim.step()) {
    // run until the echo chains finish
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const delivered = sim.counters.total().delivered;
  return { deliveries: delivered, seconds, perSecond: delivered / seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

/** Wall time of rewinding a recorded run to step 10,000 (a replay from the start), in milliseconds. */
export function rewindMs(steps: number): number {
  const sim = new Simulation({ seed: 1, nodes: [0, 1, 2, 3, 4], createNode: echoNodes(steps) });
  sim.runUntil((s) => s.stepCount >= steps, { timeout: 1e12 });
  sim.rewind(0);
  const start = process.hrtime.bigint();
  sim.rewind(steps);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1]);

if (isMain && process.argv[2] === "rewind") {
  rewindMs(2000); // warm up the JIT
  process.stdout.write(JSON.stringify({ ms: rewindMs(Number(process.argv[3] ?? 10_000)) }) + "\n");
} else if (isMain && process.argv[2]) {
  const config = process.argv[2] as SimConfigName;
  if (!(config in SIM_CONFIGS)) throw new Error(`unknown config ${config}; use one of: ${Object.keys(SIM_CONFIGS).join(" | ")}`);
  runSimOnce(config, 20_000); // warm up the JIT
  process.stdout.write(JSON.stringify(runSimOnce(config, Number(process.argv[3] ?? 1_000_000))) + "\n");
}
