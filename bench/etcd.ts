// Bench section "etcd": time to a new leader after each kind of fault, on a real etcd cluster and in the simulator, median over runs.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { failovers, leaderGapMs, type FaultRecord } from "@course/lessons/12-etcd/faults.js";
import { parseEtcdRun } from "@course/lessons/12-etcd/run-trace.js";
import { ETCD_DEFAULT_TIMING, faultSchedule } from "@course/lessons/12-etcd/schedule.js";
import { playInSimulator } from "@course/lessons/12-etcd/simulated.js";
import { median, type SectionResult } from "./run.js";

const here = dirname(fileURLToPath(import.meta.url));
/** Real runs take about 15 s each with etcd's default clocks; ETCD_BENCH_RUNS changes how many. */
const REAL_RUNS = Number(process.env.ETCD_BENCH_RUNS ?? 8);
const SIMULATED_RUNS = 500;

/** One real run of the lesson in its own process (as `npm run lesson 12 -- --seed N --trace FILE`). */
function realRun(seed: number, dir: string): FaultRecord[] {
  const trace = join(dir, `run-${seed}.json`);
  try {
    execFileSync(process.execPath, ["--import", "tsx", join(here, "../packages/cli/src/lesson.ts"), "12", "--seed", String(seed), "--trace", trace, "--port", "36000"], { stdio: "ignore", env: { ...process.env, INIT_CWD: here } });
  } catch (e) {
    // Status 1 is a run whose history the checker rejected: its failovers were still measured.
    if ((e as { status?: number }).status !== 1) throw e;
  }
  return [...parseEtcdRun(readFileSync(trace, "utf8")).faults];
}

function gapsByKind(records: readonly FaultRecord[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const f of failovers(records)) {
    const gap = leaderGapMs(f);
    if (gap === undefined) continue;
    out.set(f.kind, [...(out.get(f.kind) ?? []), gap]);
  }
  return out;
}

const KINDS = [
  ["kill", "SIGKILL the leader"],
  ["pause", "SIGSTOP the leader"],
  ["restart", "SIGTERM the leader (clean stop)"],
] as const;

export async function bench(): Promise<SectionResult> {
  const dir = mkdtempSync(join(tmpdir(), "bench-etcd-"));
  const real: FaultRecord[] = [];
  try {
    for (let seed = 1; seed <= REAL_RUNS; seed++) {
      process.stderr.write(`  etcd: real run ${seed}/${REAL_RUNS}\r`);
      real.push(...realRun(seed, dir));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stderr.write("\n");
  const simulated: FaultRecord[] = [];
  for (let seed = 1; seed <= SIMULATED_RUNS; seed++) simulated.push(...playInSimulator(faultSchedule(seed, ETCD_DEFAULT_TIMING), false).faults);
  const realGaps = gapsByKind(real);
  const simGaps = gapsByKind(simulated);
  const cell = (xs: readonly number[] | undefined) => (xs && xs.length > 0 ? Math.round(median(xs)) : "-");
  const range = (xs: readonly number[] | undefined) => (xs && xs.length > 0 ? `${Math.round(Math.min(...xs))}..${Math.round(Math.max(...xs))}` : "-");
  return {
    title: `Time to a new leader (ms), etcd 3.4 vs the simulator's Raft, etcd's default clocks (heartbeat ${ETCD_DEFAULT_TIMING.heartbeatMs} ms, election timeout ${ETCD_DEFAULT_TIMING.electionMs} ms)`,
    rows: KINDS.map(([kind, label]) => ({
      fault: label,
      "etcd faults": realGaps.get(kind)?.length ?? 0,
      "etcd median": cell(realGaps.get(kind)),
      "etcd min..max": range(realGaps.get(kind)),
      "simulator faults": simGaps.get(kind)?.length ?? 0,
      "simulator median": cell(simGaps.get(kind)),
      "simulator min..max": range(simGaps.get(kind)),
    })),
    notes: [
      `etcd: ${REAL_RUNS} runs of \`npm run lesson 12 -- --seed N\` (seeds 1-${REAL_RUNS}), each member's status polled every 50 ms; simulator: the same schedules for seeds 1-${SIMULATED_RUNS}, virtual time`,
      "every schedule kills the leader once; whether the pause and the clean stop hit the leader or a follower depends on the seed",
    ],
  };
}
