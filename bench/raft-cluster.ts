// Benchmark: a five-node Raft cluster under loss, crashes and partitions, with and without invariant checks.
// Run: npx tsx bench/raft-cluster.ts [simulated seconds] [on|off|both] [--json]
// With --json it prints one JSON line per run (what bench/run.ts's runScript parses: use "on" or "off" there).

import { randomFaults, Simulation, type Hook } from "@course/sim";
import { raftInvariants } from "@course/check";
import { createRaftNode, leaderOf, type RaftMessage } from "@course/raft";

export interface RaftBenchResult {
  readonly checks: boolean;
  readonly simulatedSeconds: number;
  readonly wallSeconds: number;
  /** User+system CPU time of this process: steadier than wall time on a shared machine. */
  readonly cpuSeconds: number;
  readonly events: number;
  readonly simSecondsPerWallSecond: number;
  readonly simSecondsPerCpuSecond: number;
  readonly eventsPerSecond: number;
  readonly committed: number;
  readonly violation: string | undefined;
}

/** 50 ms heartbeats, 10 client commands per simulated second, 10% loss, a crash or partition every few seconds. */
export function runRaftBench(simulatedSeconds: number, checks: boolean, seed = 1): RaftBenchResult {
  const nodes = [0, 1, 2, 3, 4];
  const end = simulatedSeconds * 1000;
  const sim = new Simulation<RaftMessage>({
    seed,
    nodes,
    network: { drop: 0.1 },
    createNode: createRaftNode({ heartbeatInterval: 50, snapshotEvery: 100, preVote: true, checkQuorum: true }),
    faults: randomFaults({ seed, nodes, end, rates: { crash: 0.2, partition: 0.15 }, network: { drop: 0.1 } }),
    record: false,
    isolateMessages: false,
    hooks: checks ? (raftInvariants() as Hook<RaftMessage>[]) : [],
  });
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  let seq = 0;
  for (let t = 100; t <= end && !sim.stopped; t += 100) {
    sim.runUntilTime(t);
    const leader = leaderOf(sim);
    sim.request(leader?.id ?? nodes[seq % nodes.length] as number, { type: "put", key: `k${seq % 10}`, value: String(seq), seq: ++seq }, "bench");
  }
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const committed = sim.requests.filter((r) => (r.result as { ok?: boolean } | undefined)?.ok).length;
  return {
    checks,
    simulatedSeconds: sim.now / 1000,
    wallSeconds,
    cpuSeconds,
    events: sim.stepCount,
    simSecondsPerWallSecond: sim.now / 1000 / wallSeconds,
    simSecondsPerCpuSecond: sim.now / 1000 / cpuSeconds,
    eventsPerSecond: sim.stepCount / wallSeconds,
    committed,
    violation: sim.violation === undefined ? undefined : sim.violationReport(),
  };
}

export function formatRaftBench(r: RaftBenchResult): string {
  return (
    `raft 5 nodes, invariants ${r.checks ? "on " : "off"}: ${r.simulatedSeconds.toFixed(0)} simulated s in ${r.wallSeconds.toFixed(2)} s wall (${r.cpuSeconds.toFixed(2)} s CPU) = ` +
    `${r.simSecondsPerWallSecond.toFixed(0)} simulated s per wall s (${r.simSecondsPerCpuSecond.toFixed(0)} per CPU s), ${(r.eventsPerSecond / 1000).toFixed(0)}k events/s ` +
    `(${r.events} events, ${r.committed} commands acknowledged)` +
    (r.violation ? `\n  VIOLATION: ${r.violation}` : "")
  );
}

if (process.argv[1]?.endsWith("raft-cluster.ts")) {
  const args = process.argv.slice(2).filter((a) => a !== "--json");
  const json = process.argv.includes("--json");
  const seconds = Number(args[0] ?? 600);
  const which = args[1] ?? "both";
  const modes = which === "on" ? [true] : which === "off" ? [false] : [true, false];
  for (const checks of modes) {
    // Warm the JIT with a run as long as the measured one (another seed): V8 keeps optimizing the hot paths for
    // several hundred simulated seconds, and this measures the steady speed of a long run, not the compiler.
    runRaftBench(seconds, checks, 2);
    const r = runRaftBench(seconds, checks);
    console.log(json ? JSON.stringify(r) : formatRaftBench(r));
  }
}
