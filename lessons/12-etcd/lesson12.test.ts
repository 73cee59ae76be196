// Lesson 12 without etcd: the seeded schedule, the simulated replay and its measurements, the trace format, the verdict's words.

import { describe, expect, it } from "vitest";
import { leaderOf } from "@course/raft";
import { agreedAfter, describeFailover, failovers, firstLeaderAfter, leaderGapMs, outcomeCell, withSuccessors, type FaultRecord } from "./faults.js";
import type { KvOperation } from "./history.js";
import { handoffIn } from "./live/etcd-log.js";
import { comparisonTable, formatTally } from "./live/narrate.js";
import { ETCD_RUN_FORMAT, ETCD_RUN_VERSION, parseEtcdRun, serializeEtcdRun, thinSamples, type EtcdRun, type StatusSample } from "./run-trace.js";
import { checkTiming, describeStep, ETCD_DEFAULT_TIMING, faultSchedule, memberName, memberNumber, pickTarget, type FaultStep } from "./schedule.js";
import { playInSimulator, sameFaultsSimulated } from "./simulated.js";
import { judgeHistory, offendingLines } from "./verdict.js";

const FAST = { heartbeatMs: 50, electionMs: 500 };
/**
 * The liveness bound the lesson states: a leader again within three election rounds of the fault. One round is
 * at most the longest timeout (2 x electionMs) plus a vote's round trip; two survivors that time out together
 * split the vote and need another round, rarely two.
 */
const BOUND = 3 * (2 * FAST.electionMs + 50);

describe("the fault schedule", () => {
  it("is a function of the seed and the clocks", () => {
    expect(faultSchedule(7, FAST)).toEqual(faultSchedule(7, FAST));
    const many = new Set(Array.from({ length: 20 }, (_, seed) => JSON.stringify(faultSchedule(seed, FAST).steps)));
    expect(many.size).toBeGreaterThan(10);
  });

  it("hits the cluster once with each kind of fault, always killing the leader, for every seed", () => {
    for (let seed = 0; seed < 200; seed++) {
      const s = faultSchedule(seed, ETCD_DEFAULT_TIMING);
      expect(s.steps.map((x) => x.kind).sort(), `seed ${seed}`).toEqual(["kill", "pause", "restart"]);
      expect(s.steps.find((x) => x.kind === "kill")?.target).toBe("leader");
      for (const step of s.steps) {
        expect(step.gapMs).toBeGreaterThanOrEqual(ETCD_DEFAULT_TIMING.electionMs);
        // A killed or paused member stays away longer than the longest election timeout (2 x electionMs).
        if (step.kind !== "restart") expect(step.downMs).toBeGreaterThan(2 * ETCD_DEFAULT_TIMING.electionMs);
        else expect(step.downMs).toBe(0);
      }
    }
  });

  it("scales every length with the election timeout", () => {
    const slow = faultSchedule(3, ETCD_DEFAULT_TIMING);
    const fast = faultSchedule(3, FAST);
    expect(fast.steps.map((s) => [s.kind, s.target])).toEqual(slow.steps.map((s) => [s.kind, s.target]));
    for (const [i, s] of fast.steps.entries()) expect(Math.abs(s.downMs * 2 - (slow.steps[i] as FaultStep).downMs)).toBeLessThanOrEqual(1);
  });

  it("stale-read: pauses one follower, the given number of rounds", () => {
    const s = faultSchedule(1, FAST, { variant: "stale-read", rounds: 3 });
    expect(s.variant).toBe("stale-read");
    expect(s.steps).toHaveLength(3);
    expect(s.steps.every((x) => x.kind === "pause" && x.target === "follower" && x.follower === 0)).toBe(true);
  });

  it("picks the target from who leads when the step runs", () => {
    const kill: FaultStep = { kind: "kill", target: "leader", follower: 0, gapMs: 0, downMs: 0 };
    const second: FaultStep = { ...kill, target: "follower", follower: 1 };
    expect(pickTarget(kill, 2, [1, 2, 3])).toBe(2);
    expect(pickTarget(kill, undefined, [1, 2, 3])).toBeUndefined();
    expect(pickTarget(second, 2, [3, 1, 2])).toBe(3);
    expect(pickTarget({ ...second, follower: 0 }, 2, [1, 2, 3])).toBe(1);
    expect(pickTarget({ ...second, follower: 5 }, 1, [1, 3])).toBe(3); // modulo the followers there are
    expect(pickTarget(second, 1, [1])).toBeUndefined();
    expect(pickTarget(second, undefined, [2, 3])).toBe(3);
  });

  it("names members as etcd does and numbers them as the simulator does", () => {
    expect([1, 2, 3].map(memberName)).toEqual(["m1", "m2", "m3"]);
    expect(memberNumber("m3")).toBe(3);
    expect(() => memberName(0)).toThrow(/no member 0/);
    expect(() => memberName(4)).toThrow(RangeError);
  });

  it("accepts etcd's clocks and refuses what etcd would", () => {
    expect(checkTiming(ETCD_DEFAULT_TIMING)).toBeUndefined();
    expect(checkTiming({ heartbeatMs: 100, electionMs: 499 })).toMatch(/at least 5 heartbeats \(500 ms/);
    expect(checkTiming({ heartbeatMs: 5, electionMs: 1000 })).toMatch(/heartbeat/);
    expect(checkTiming({ heartbeatMs: 100, electionMs: 60_000 })).toMatch(/at most 50000/);
  });

  it("describes each step, long and short", () => {
    const step: FaultStep = { kind: "pause", target: "follower", follower: 0, gapMs: 1000, downMs: 2400 };
    expect(describeStep(step)).toBe("SIGSTOP a follower, SIGCONT 2.4 s later");
    expect(describeStep(step, true)).toBe("SIGSTOP a follower");
    expect(describeStep({ ...step, kind: "restart", target: "leader" }, true)).toBe("SIGTERM the leader");
  });
});

describe("the schedule in the simulator", () => {
  it("replays the same run from the seed", () => {
    const a = playInSimulator(faultSchedule(4, FAST), false);
    const b = playInSimulator(faultSchedule(4, FAST), false);
    expect(a.faults).toEqual(b.faults);
    expect(a.sim.trace.length).toBe(b.sim.trace.length);
  });

  it("keeps Raft's invariants, and every leader it hits is replaced within the bound, for many seeds", () => {
    for (let seed = 1; seed <= 30; seed++) {
      const schedule = faultSchedule(seed, FAST);
      const { sim, faults } = playInSimulator(schedule, false);
      const replay = `npm run lesson 12 -- --scenario same-faults-simulated --seed ${seed}`;
      expect(sim.violation, replay).toBeUndefined();
      expect(faults.map((f) => f.step), replay).toEqual([0, 1, 2]);
      for (const f of failovers(faults)) {
        // Liveness: a follower's timeout is at most 2 x electionMs, one vote round adds a few ms; a clean stop hands over at once.
        const gap = leaderGapMs(f);
        expect(gap, `${replay}: ${describeFailover(f)}`).toBeDefined();
        expect(gap as number, `${replay}: ${describeFailover(f)}`).toBeLessThanOrEqual(f.kind === "restart" ? FAST.electionMs : BOUND);
        expect(f.newTerm as number).toBeGreaterThan(f.termBefore as number);
      }
      // After the last fault, one leader leads every server, and they agree on the log up to its commit index.
      const leader = leaderOf(sim);
      expect(leader, replay).toBeDefined();
      for (const id of sim.nodeIds) expect(sim.status(id), replay).toBe("up");
    }
  });

  it("is a registered scenario with the fault steps as jump labels and a measured result line", () => {
    const run = sameFaultsSimulated.run({ seed: sameFaultsSimulated.defaultSeed });
    const labels = run.sim.trace.flatMap((e) => (e.kind === "note" && e.label ? [e.label] : []));
    expect(labels).toEqual(["elect", "fault-1", "fault-2", "fault-3"]);
    expect(run.result).toMatch(/^leader m\d killed: m\d led term \d+ after \d+ ms/);
  });
});

const sample = (t: number, member: string, up: boolean, leader?: string, term?: number): StatusSample => ({ t, member, up, ...(leader ? { leader, term, index: t } : {}) });

describe("measurements from status samples", () => {
  it("finds the first report of a leader in a later term, from the fault until the next one", () => {
    const samples = [sample(0, "m2", true, "m1", 2), sample(10, "m2", true, "m1", 2), sample(20, "m3", false), sample(30, "m3", true, "m1", 3), sample(40, "m2", true, "m3", 3), sample(50, "m3", true, "m3", 3)];
    expect(firstLeaderAfter(samples, 5, 100, 2)?.t).toBe(30); // the hit member may win the next term itself
    expect(firstLeaderAfter(samples, 35, 100, 2)?.t).toBe(40);
    expect(firstLeaderAfter(samples, 5, 30, 2)).toBeUndefined(); // the window ends where the next fault begins
    expect(firstLeaderAfter(samples, 0, 100, 3)).toBeUndefined();
    expect(firstLeaderAfter([sample(5, "m1", false)], 0, 100, 0)).toBeUndefined();
    const records: FaultRecord[] = [
      { step: 0, kind: "kill", member: "m1", role: "leader", at: 5, endAt: 25, termBefore: 2 },
      { step: 1, kind: "pause", member: "m3", role: "leader", at: 45, endAt: 48, termBefore: 3 },
    ];
    const filled = withSuccessors(records, samples, 60);
    expect(filled[0]).toMatchObject({ newLeader: "m1", newLeaderAt: 30, newTerm: 3 });
    expect(filled[1]?.newLeader).toBeUndefined();
  });

  it("finds when every member answers again and names one leader, from a given moment on", () => {
    const reports = [sample(0, "m1", true, "m1", 2), sample(0, "m2", true, "m1", 2), sample(0, "m3", false), sample(60, "m3", true, "m2", 3), sample(70, "m1", true, "m2", 3), sample(80, "m2", true, "m2", 3)];
    const members = ["m1", "m2", "m3"];
    expect(agreedAfter(reports, members, 0)).toBe(80);
    expect(agreedAfter(reports, members, 90)).toBeUndefined(); // nothing reported from then on
    expect(agreedAfter(reports.slice(0, 5), members, 0)).toBeUndefined(); // m2 still names m1
    expect(agreedAfter([sample(0, "m1", true), sample(0, "m2", true), sample(0, "m3", true)], members, 0)).toBeUndefined(); // nobody leads
  });

  it("keeps every change when thinning samples, and one sample per period otherwise", () => {
    const samples = [sample(0, "m1", true, "m1", 2), sample(50, "m1", true, "m1", 2), sample(100, "m1", true, "m1", 2), sample(150, "m1", false), sample(200, "m1", false), sample(260, "m1", true, "m2", 3), sample(300, "m2", true, "m2", 3)];
    expect(thinSamples(samples, 100).map((s) => `${s.member}@${s.t}`)).toEqual(["m1@0", "m1@100", "m1@150", "m1@260", "m2@300"]);
  });

  it("says how long a failover took, on each side of the table", () => {
    const f: FaultRecord = { step: 0, kind: "kill", member: "m1", role: "leader", at: 1000, endAt: 3000, termBefore: 2, newLeader: "m3", newLeaderAt: 1666.4, newTerm: 3 };
    expect(leaderGapMs(f)).toBeCloseTo(666.4);
    expect(describeFailover(f)).toBe("leader m1 killed: m3 led term 3 after 666 ms");
    expect(outcomeCell(f)).toBe("m1 -> m3 (term 3) in 666 ms");
    const quiet: FaultRecord = { step: 1, kind: "pause", member: "m2", role: "follower", at: 0, endAt: 1 };
    expect(outcomeCell(quiet)).toBe("follower m2; no new leader");
    expect(outcomeCell(undefined)).toMatch(/skipped/);
    expect(failovers([f, quiet])).toEqual([f]);
    const table = comparisonTable(faultSchedule(1, FAST).steps.slice(0, 2), [f], []);
    expect(table).toHaveLength(3);
    expect(table[1]).toContain("m1 -> m3 (term 3) in 666 ms");
  });

  it("tallies the clients' operations in words", () => {
    expect(formatTally({ get: 0, put: 0, cas: 0, refused: 0, unknown: 2, unreached: 1 })).toBe("nothing answered, 2 no answer, 1 connection refused");
    expect(formatTally({ get: 3, put: 2, cas: 1, refused: 1, unknown: 0, unreached: 0 })).toBe("6 answered (3 get, 2 put, 1 cas, 1 cas refused)");
  });
});

const op = (id: number, client: number, call: number, ret: number, input: KvOperation["input"], output: KvOperation["output"]): KvOperation => ({ id, client, call, return: ret, input, output });

describe("etcd's own log", () => {
  it("tells which member a stopping leader handed over to, with etcd's own timing", () => {
    const log = [
      '{"level":"info","ts":"2026-11-29T23:28:58.185Z","caller":"etcdserver/server.go:1456","msg":"leadership transfer starting","transferee-member-id":"25c8d123053cc765"}',
      "panic: not JSON",
      '{"level":"info","ts":"2026-11-29T23:28:58.287Z","caller":"etcdserver/server.go:1477","msg":"leadership transfer finished","old-leader-member-id":"e5460d412cf8cee6","new-leader-member-id":"25c8d123053cc765","took":"101.511922ms"}',
    ].join("\n");
    expect(handoffIn(log)).toEqual({ toMemberId: BigInt("0x25c8d123053cc765").toString(10), took: "101.511922ms" });
    expect(handoffIn('{"msg":"stopping server"}')).toBeUndefined();
    expect(handoffIn("")).toBeUndefined();
  });
});

/** A stale read: #2 returns the value #0 wrote, though #1 overwrote it before #2 was sent. */
const history = [op(0, 0, 0, 10, { op: "put", key: "x", value: "0" }, { ok: true }), op(1, 1, 20, 30, { op: "put", key: "x", value: "1" }, { ok: true }), op(2, 2, 40, 50, { op: "get", key: "x" }, { value: "0" }), op(3, 3, 5, Infinity, { op: "cas", key: "x", expected: null, value: "3" }, { unknown: true })];

describe("the recorded run", () => {
  const header = { format: ETCD_RUN_FORMAT, version: ETCD_RUN_VERSION };

  it("stores the history as the checker records histories, an unknown outcome's return as null, and reads it back", () => {
    const text = serializeEtcdRun({ ...header, history } as unknown as EtcdRun);
    expect(JSON.parse(text).history.model).toBe("kv");
    expect(JSON.parse(text).history.operations[3].return).toBeNull();
    expect(parseEtcdRun(text).history).toEqual(history);
    expect(parseEtcdRun(JSON.parse(text)).history[3]?.return).toBe(Infinity);
  });

  it("refuses a file that is not a recorded run, of another version, or with a malformed history", () => {
    expect(() => parseEtcdRun({ format: "course-trace" })).toThrow(/not a recorded etcd run/);
    expect(() => parseEtcdRun({ ...header, version: 99 })).toThrow(/version 99/);
    expect(() => parseEtcdRun({ ...header, history: { model: "kv", operations: [{ ...history[0], call: Number.NaN }] } })).toThrow();
    expect(() => parseEtcdRun({ ...header, history: { model: "cas-register", operations: [] } })).toThrow(/kv model/);
  });
});

describe("the verdict", () => {
  it("finds the stale read and says which write it saw and which later write it missed", () => {
    const verdict = judgeHistory(history);
    expect(verdict.verdict).toBe("illegal");
    expect(verdict.key).toBe("x");
    expect(verdict.text).toMatch(/^NOT linearizable: no order of the 4 operations on 'x'/);
    expect(verdict.unplaceable).toContain(2);
    expect([...(verdict.partitionIds ?? [])].sort()).toEqual([0, 1, 2, 3]);
    const lines = offendingLines({ history, verdict });
    expect(lines[0]).toBe('#2 client 2: get(x) -> "0", sent at 0.040 s, answered at 0.050 s');
    expect(lines[1]).toBe('    it saw the value written by #0 (put(x, "0")), answered at 0.010 s');
    expect(lines[2]).toBe('    but #1 (put(x, "1")) had been answered at 0.030 s, before this read was sent');
  });

  it("accepts the same history when the read saw the newer write, and counts the unanswered operations", () => {
    const fixed = history.map((o) => (o.id === 2 ? { ...o, output: { value: "1" } } : o));
    const verdict = judgeHistory(fixed);
    expect(verdict).toEqual({ verdict: "ok", text: "linearizable: one order of all 4 operations on 1 key (1 of them unanswered) explains every answer the clients got" });
    expect(offendingLines({ history: fixed, verdict })).toEqual([]);
  });

  it("an unanswered compare-and-set explains a later read of its value only if it could have succeeded", () => {
    const read3 = op(4, 4, 60, 70, { op: "get", key: "x" }, { value: "3" });
    const fresh = op(2, 2, 40, 50, { op: "get", key: "x" }, { value: "1" });
    // Expecting "1" after put x=1: it may have run between #1 and the read, so reading "3" is fine.
    const possible = op(3, 3, 35, Infinity, { op: "cas", key: "x", expected: "1", value: "3" }, { unknown: true });
    expect(judgeHistory([...history.slice(0, 2), fresh, possible, read3]).verdict).toBe("ok");
    // Expecting "absent": x was written before any moment it could have run after, so "3" cannot have been written.
    expect(judgeHistory([...history.slice(0, 2), fresh, history[3] as KvOperation, read3]).verdict).toBe("illegal");
  });

  it("says undecided when its time is up, instead of a verdict it does not have", () => {
    // Twenty concurrent writes and a read of a value none wrote: proving that takes every order of the writes.
    const writes = Array.from({ length: 20 }, (_, i) => op(i, i, 0, 100, { op: "put", key: "x", value: String(i) }, { ok: true }));
    const verdict = judgeHistory([...writes, op(20, 20, 200, 210, { op: "get", key: "x" }, { value: "nobody wrote this" })], 0);
    expect(verdict.verdict).toBe("unknown");
    expect(verdict.text).toMatch(/^undecided: the checker stopped at its limit \(0 s\)/);
  });
});
