// Lesson 12's real run: a three-member etcd cluster under the seeded fault schedule, its clients' history checked.

import { writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { Rng } from "@course/sim";
import type { LiveIo, LiveRunOptions } from "../../lesson.js";
import { agreedAfter, withSuccessors, type FaultRecord } from "../faults.js";
import { ETCD_RUN_FORMAT, ETCD_RUN_VERSION, serializeEtcdRun, thinSamples, type EtcdRun, type RunEvent } from "../run-trace.js";
import { checkTiming, describeStep, ETCD_DEFAULT_TIMING, faultSchedule, isVariant, MEMBERS, type FaultSchedule, type Timing } from "../schedule.js";
import { playInSimulator } from "../simulated.js";
import { judgeHistory, offendingLines } from "../verdict.js";
import { EtcdCluster } from "./cluster.js";
import { etcdVersion, findEtcd, INSTALL_HINT, oldEnough } from "./etcd-binary.js";
import { memberNames, status } from "./gateway.js";
import { guardCluster } from "./guard.js";
import { comparisonTable, Narrator, seconds } from "./narrate.js";
import { playStep, type NemesisContext } from "./nemesis.js";
import { StatusWatcher } from "./watcher.js";
import { Workload, type ClientRole } from "./workload.js";

export const DEFAULT_PORT = 23790;
export const DEFAULT_ROUNDS = 5;
const KEYS = ["x", "y", "z"];
/** How long after the last fault the cluster may take to have every member answering and one leader again. */
export const recoveryBoundMs = (t: Timing) => 10 * t.electionMs;
function recovery(agreedAt: number | undefined, from: number, boundMs: number): EtcdRun["recovery"] {
  const afterMs = agreedAt === undefined ? undefined : agreedAt - from;
  return afterMs !== undefined && afterMs <= boundMs ? { boundMs, afterMs } : { boundMs };
}

/** A check between stale-read rounds holds up the clients, so it gets little time; "unknown" just means go on. */
const MID_RUN_CHECK_MS = 2000;
/** Each member's status is asked for this often; failover times are measured to this resolution. */
const POLL_MS = 50;

interface Settings {
  readonly timing: Timing;
  readonly basePort: number;
  readonly rounds: number;
}

function settings(extra: LiveRunOptions["extra"]): Settings | string {
  const timing = { heartbeatMs: Number(extra.heartbeat ?? ETCD_DEFAULT_TIMING.heartbeatMs), electionMs: Number(extra["election-timeout"] ?? ETCD_DEFAULT_TIMING.electionMs) };
  const bad = checkTiming(timing);
  if (bad) return bad;
  const basePort = Number(extra.port ?? DEFAULT_PORT);
  if (basePort < 1024 || basePort > 65000) return `--port must be between 1024 and 65000 (got ${basePort})`;
  return { timing, basePort, rounds: Number(extra.rounds ?? DEFAULT_ROUNDS) };
}

/** Runs the lesson against real etcd processes. Exit status: 0 as the lesson expects, 1 otherwise, 2 cannot start. */
export async function runLive(options: LiveRunOptions, io: LiveIo): Promise<number> {
  // With --json the trace goes to stdout, so the story goes to stderr.
  const say = options.json ? (line: string) => void process.stderr.write(`${line}\n`) : io.out;
  const out: LiveIo = { ...io, out: say };
  const s = settings(options.extra);
  if (typeof s === "string") {
    say(`error: ${s}`);
    return 2;
  }
  if (options.variant !== undefined && !isVariant(options.variant)) {
    say(`error: lesson 12 has no variant "${options.variant}"`);
    return 2;
  }
  const bin = findEtcd(process.env);
  if (bin === undefined) {
    say(INSTALL_HINT);
    return 2;
  }
  const version = await etcdVersion(bin).catch(() => undefined);
  if (version === undefined || !oldEnough(version)) {
    say(`${bin} is etcd ${version ?? "of an unknown version"}; lesson 12 needs etcd 3.4 or newer.\n\n${INSTALL_HINT}`);
    return 2;
  }
  const schedule = faultSchedule(options.seed, s.timing, { ...(options.variant === "stale-read" ? { variant: "stale-read" as const } : {}), rounds: s.rounds });
  const cluster = await EtcdCluster.create({ bin, basePort: s.basePort, timing: s.timing });
  const guard = guardCluster(cluster, say);
  try {
    const recorded = await play(cluster, schedule, version, guard.signal, guard.abort, out);
    // Nothing of the cluster is needed any more: free the machine before the checker's search.
    await cluster.destroy();
    say(io.format.dim(`every etcd process stopped; ${cluster.dir} removed`));
    say(io.format.dim("checking the history for linearizability..."));
    const run: EtcdRun = { ...recorded, verdict: judgeHistory(recorded.history), simulated: playInSimulator(schedule, false).faults };
    report(run, out);
    if (options.trace) {
      writeFileSync(options.trace, serializeEtcdRun(run));
      say(io.format.dim(`trace written to ${options.trace}: a recorded real run, the kind lesson 12's page draws (the trace viewer reads simulator traces only)`));
    }
    if (options.json) process.stdout.write(`${serializeEtcdRun(run)}\n`);
    const expected = schedule.variant === "stale-read" ? "illegal" : "ok";
    return run.verdict.verdict === expected && run.recovery.afterMs !== undefined ? 0 : 1;
  } catch (e) {
    // An abort carries the real reason (a signal, a member that died); the error that surfaced is only its echo.
    const reason = guard.signal.aborted ? (guard.signal.reason as Error) : (e as Error);
    if (guard.interrupted) {
      // The signal handler is removing the cluster and exits the process when it is done.
      await new Promise(() => {});
    }
    say(io.format.bad(`error: ${reason.message}`));
    // A member that died has already shown its log in the message; otherwise every member's last lines may say why.
    if (!/its log ends/.test(reason.message)) for (const m of cluster.members) say(io.format.dim(`${m.name}'s last log lines:\n${cluster.logTail(m.name)}`));
    return 1;
  } finally {
    await cluster.destroy();
    guard.dispose();
  }
}

/** Polls until every member answers and one leads; resolves the member names by id. */
async function waitForCluster(cluster: EtcdCluster, timing: Timing, signal: AbortSignal): Promise<Map<string, string>> {
  const deadline = Date.now() + Math.max(30_000, 20 * timing.electionMs);
  let last = "no member answered";
  while (Date.now() < deadline) {
    signal.throwIfAborted();
    try {
      const all = await Promise.all(cluster.members.map((m) => status(cluster.endpoint(m.name), AbortSignal.any([signal, AbortSignal.timeout(1000)]))));
      if (all.every((x) => x.leaderId !== undefined)) return await memberNames(cluster.endpoint(MEMBERS[0]), AbortSignal.any([signal, AbortSignal.timeout(2000)]));
      last = "no leader yet";
    } catch (e) {
      last = (e as Error).message;
    }
    await sleep(100, undefined, { signal });
  }
  throw new Error(`the cluster did not come up in time (${last})`);
}

/** Everything the real run records; the verdict and the simulated replay are added once the cluster is gone. */
type Recorded = Omit<EtcdRun, "verdict" | "simulated">;

async function play(cluster: EtcdCluster, schedule: FaultSchedule, etcdVersionText: string, signal: AbortSignal, abort: (e: Error) => void, io: LiveIo): Promise<Recorded> {
  const say = io.out;
  const { timing } = schedule;
  say(`etcd ${etcdVersionText}, three members on 127.0.0.1; heartbeat ${timing.heartbeatMs} ms, election timeout ${timing.electionMs} ms`);
  say(`data directories and logs in ${cluster.dir}`);
  cluster.onUnexpectedExit((member, code, sig) => abort(new Error(`${member} exited on its own (${sig ?? `exit code ${code}`}); its log ends:\n${cluster.logTail(member)}`)));
  for (const [name, pid] of cluster.startAll()) {
    const m = cluster.member(name);
    say(`started ${name}: pid ${pid}, clients on port ${m.clientPort}, peers on port ${m.peerPort}`);
  }
  const names = await waitForCluster(cluster, timing, signal);
  say(`the schedule (seed ${schedule.seed}${schedule.variant ? `, variant ${schedule.variant}` : ""}):`);
  schedule.steps.forEach((step, i) => say(`  ${i + 1}. after ${(step.gapMs / 1000).toFixed(1)} s: ${describeStep(step)}`));

  const t0 = performance.now();
  const clock = () => performance.now() - t0;
  const watcher = new StatusWatcher({ members: MEMBERS, endpoint: (m) => cluster.endpoint(m), names, clock, pollMs: POLL_MS });
  const events: RunEvent[] = [];
  const narrator = new Narrator(io, MEMBERS, clock, (m) => watcher.latestOf(m), () => watcher.leader());
  const event = (e: RunEvent) => {
    events.push(e);
    if (e.kind !== "back") narrator.event(e);
  };
  narrator.header(Math.max(500, timing.electionMs));
  watcher.onSample((x) => narrator.sample(x));
  watcher.start();
  await watcher.waitFor(() => watcher.answering().length === MEMBERS.length && watcher.leader() !== undefined, 10 * timing.electionMs, signal);
  signal.throwIfAborted();

  // The stale-read variant reads only from one follower, the one the schedule pauses, and writes elsewhere.
  const stale = schedule.variant === "stale-read";
  const leaderNow = watcher.leader()?.member;
  const victim = stale ? MEMBERS.find((m) => m !== leaderNow) : undefined;
  const roles: ClientRole[] = stale ? ["writer", "writer", "reader", "reader"] : ["mixed", "mixed", "mixed"];
  const workload = new Workload({
    roles,
    keys: stale ? ["x"] : KEYS,
    rng: new Rng(schedule.seed).fork("clients"),
    clock,
    // Long enough to outlast a paused member, so a read queued on it is answered when it runs again.
    timeoutMs: 3 * timing.electionMs,
    pauseMs: [Math.round(timing.heartbeatMs / 5), Math.round(timing.heartbeatMs / 2)],
    serializableReads: stale,
    targets: (role) => {
      if (role === "reader" && victim) return [victim];
      const order = [...MEMBERS].filter((m) => m !== victim);
      // Start each client at a different member; a refusal moves it on to the next.
      return order;
    },
    endpoint: (m) => cluster.endpoint(m),
  });
  workload.onCompletion((c) => narrator.completion(c));
  workload.start();
  const ctx: NemesisContext = { cluster, watcher, timing, clock, signal, names, event };
  const faults: FaultRecord[] = [];
  let rounds = 0;
  let faultsEnd = 0;
  try {
    await sleep(schedule.warmupMs, undefined, { signal });
    for (const [i, step] of schedule.steps.entries()) {
      const record = await playStep(step, i, ctx, victim);
      if (record) faults.push(record);
      rounds = i + 1;
      // A stale read, once in the history, stays there: stop as soon as the checker can see one. The reads that
      // waited on the frozen member are answered as it continues: give their answers time to arrive first.
      if (stale) {
        await sleep(2 * timing.heartbeatMs, undefined, { signal });
        if (judgeHistory(workload.historySoFar(), MID_RUN_CHECK_MS).verdict === "illegal") break;
      }
    }
    // Liveness: once the last member hit is back in business, all must answer and agree on a leader within the bound.
    faultsEnd = faults.at(-1)?.endAt ?? clock();
    const agreed = () => agreedAfter(watcher.samples, MEMBERS, faultsEnd) !== undefined;
    await watcher.waitFor(agreed, recoveryBoundMs(timing), signal);
    signal.throwIfAborted();
    await sleep(schedule.cooldownMs, undefined, { signal });
  } finally {
    narrator.stop();
    await workload.stop();
    await watcher.stop();
  }
  const durationMs = clock();
  say(`${seconds(durationMs)} | clients stopped: ${workload.history.length} operations in the history (${workload.history.filter((o) => o.output.unknown).length} with no answer), ${workload.unreached} request${workload.unreached === 1 ? "" : "s"} refused at connect`);
  return {
    format: ETCD_RUN_FORMAT,
    version: ETCD_RUN_VERSION,
    seed: schedule.seed,
    ...(schedule.variant ? { variant: schedule.variant } : {}),
    etcdVersion: etcdVersionText,
    timing,
    members: [...MEMBERS],
    schedule: stale ? { ...schedule, steps: schedule.steps.slice(0, rounds) } : schedule,
    pollMs: POLL_MS,
    durationMs,
    status: thinSamples(watcher.samples, 200),
    events,
    faults: withSuccessors(faults, watcher.samples, durationMs),
    history: workload.history,
    recovery: recovery(agreedAfter(watcher.samples, MEMBERS, faultsEnd), faultsEnd, recoveryBoundMs(timing)),
    ...(stale ? { rounds } : {}),
  };
}

/** The failovers measured on both sides, then the verdict with the offending operations, if any. */
function report(run: EtcdRun, io: LiveIo): void {
  const say = io.out;
  say("");
  say(io.format.emphasis("The same faults, real and simulated: who led next, and how long the cluster had no leader"));
  for (const row of comparisonTable(run.schedule.steps, run.faults, run.simulated)) say(`  ${row}`);
  say(io.format.dim(`  etcd: from the signal to the first status answer naming the new leader (each member asked every ${run.pollMs} ms);`));
  say(io.format.dim(`  simulator: from the fault to the virtual moment a server became leader. Both draw election timeouts from`));
  say(io.format.dim(`  ${run.timing.electionMs}-${2 * run.timing.electionMs} ms, so single runs vary: \`npm run bench -- etcd\` measures medians over many.`));
  say("");
  if (run.rounds !== undefined) {
    const caught = run.verdict.verdict === "illegal";
    say(`${caught ? "caught" : "not caught"} after ${run.rounds} pause round${run.rounds === 1 ? "" : "s"} of the follower the readers use`);
  }
  const { recovery } = run;
  say(
    recovery.afterMs === undefined
      ? io.format.bad(`NOT RECOVERED: ${recovery.boundMs} ms after the last member hit came back, the members still did not all answer and agree on a leader`)
      : `recovered: ${Math.round(recovery.afterMs)} ms after the last member hit was started again or continued, every member answered and named the same leader (bound ${recovery.boundMs} ms)`,
  );
  const line = `RESULT: ${run.verdict.text}`;
  say(io.format.emphasis(run.verdict.verdict === (run.variant === "stale-read" ? "illegal" : "ok") ? io.format.good(line) : io.format.bad(line)));
  for (const l of offendingLines(run)) say(`  ${l}`);
}
