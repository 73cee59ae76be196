// The lesson's fault schedule played in the simulator's Raft, with etcd's clocks, and the same measurements as the real run.

import { Simulation, type Message, type TraceEvent } from "@course/sim";
import { createRaftNode, finishStory, leaderOf, raftDescriber, waitForLeader, type RaftMessage, type RaftNode } from "@course/raft";
import { raftInvariants } from "@course/check";
import type { Scenario } from "../lesson.js";
import { describeFailover, failovers, withSuccessors, type FaultRecord, type LeaderReport } from "./faults.js";
import { describeStep, ETCD_DEFAULT_TIMING, faultSchedule, memberName, MEMBERS, pickTarget, type FaultSchedule, type FaultStep } from "./schedule.js";

const NODES = MEMBERS.map((_, i) => i + 1);

export interface SimulatedRun {
  readonly sim: Simulation<RaftMessage>;
  readonly faults: readonly FaultRecord[];
}

/**
 * The simulated cluster is set up as etcd 3.4 runs by default: CheckQuorum on (etcd always sets it), PreVote off
 * (etcd 3.4's default), a no-op appended by every new leader (etcd-io/raft does this in becomeLeader), and
 * election timeouts drawn from [electionMs, 2 * electionMs].
 */
export function etcdLikeCluster(seed: number, schedule: FaultSchedule): Simulation<RaftMessage> {
  const { heartbeatMs, electionMs } = schedule.timing;
  return new Simulation<RaftMessage>({
    seed,
    nodes: NODES,
    createNode: createRaftNode({ electionTimeout: { min: electionMs, max: 2 * electionMs }, heartbeatInterval: heartbeatMs, checkQuorum: true, preVote: false, noopOnElection: true }),
    hooks: raftInvariants(),
    record: true,
  });
}

const up = (sim: Simulation<RaftMessage>) => NODES.filter((n) => sim.status(n) === "up");

/** The leader of the highest term ("3:4" for server 3 in term 4), or "" when there is none. */
function leaderKey(sim: Simulation<RaftMessage>): string {
  const l = leaderOf(sim);
  return l ? `${l.id}:${l.currentTerm}` : "";
}

type Advance = (ms: number, done?: () => boolean) => void;

/**
 * Plays `schedule` on a simulated three-server cluster. A client writes to the leader every heartbeat, as the
 * real run's clients keep the log growing. Every change of leader is noted at its exact virtual moment, and the
 * records are measured from those notes as the real run's are from status answers. Times are virtual ms from
 * the first leader.
 */
export function playInSimulator(schedule: FaultSchedule, narrate = true): SimulatedRun {
  const sim = etcdLikeCluster(schedule.seed, schedule);
  const records: FaultRecord[] = [];
  const reports: LeaderReport[] = [];
  let writes = 0;
  let t0 = 0;
  let lastKey = "";

  /** Runs `ms` of virtual time (or until `done` holds) with a write every heartbeat, noting each new leader. */
  const advance: Advance = (ms, done) => {
    const end = sim.now + ms;
    while (sim.now < end && !sim.stopped && !done?.()) {
      const leader = leaderOf(sim);
      if (leader && sim.status(leader.id) === "up") sim.request(leader.id, { type: "put", key: "x", value: String(++writes) });
      const sliceEnd = Math.min(end, sim.now + schedule.timing.heartbeatMs);
      while (sim.now < sliceEnd && !sim.stopped) {
        sim.runUntil(() => leaderKey(sim) !== lastKey || done?.() === true, { timeout: sliceEnd - sim.now });
        const key = leaderKey(sim);
        if (key !== lastKey) {
          lastKey = key;
          const l = leaderOf(sim);
          if (l) reports.push({ t: sim.now - t0, leader: memberName(l.id), term: l.currentTerm });
        }
        if (done?.()) return;
      }
    }
  };

  if (narrate) sim.heading("Three servers with etcd's clocks elect a leader", "elect");
  const first = waitForLeader(sim, 10 * schedule.timing.electionMs);
  t0 = sim.now;
  lastKey = leaderKey(sim);
  if (narrate) sim.note(`${memberName(first?.id ?? 1)} leads term ${first?.currentTerm ?? "?"} after ${Math.round(t0)} ms; the schedule's clock starts now.`);
  advance(schedule.warmupMs);

  schedule.steps.forEach((step, i) => {
    advance(step.gapMs);
    const leader = leaderOf(sim);
    const target = pickTarget(step, leader?.id, up(sim));
    if (narrate) sim.heading(`Fault ${i + 1}: ${describeStep(step)}`, `fault-${i + 1}`);
    if (target === undefined) {
      if (narrate) sim.note(`No ${step.target} to hit right now; the step is skipped.`);
      return;
    }
    const termBefore = leader?.currentTerm ?? sim.node<RaftNode>(target)?.currentTerm ?? 0;
    const at = sim.now - t0;
    const endAt = hit(sim, step, target, advance, schedule.timing.electionMs) - t0;
    records.push({ step: i, kind: step.kind, member: memberName(target), role: target === leader?.id ? "leader" : "follower", at, endAt, backAt: endAt, termBefore });
  });
  advance(schedule.cooldownMs);
  return { sim, faults: withSuccessors(records, reports, sim.now - t0) };
}

/** Applies one fault to `target` and brings it back; returns the virtual time it came back. */
function hit(sim: Simulation<RaftMessage>, step: FaultStep, target: number, advance: Advance, electionMs: number): number {
  switch (step.kind) {
    case "kill":
      sim.apply({ type: "crash", node: target });
      advance(step.downMs);
      sim.apply({ type: "restart", node: target });
      return sim.now;
    case "pause":
      sim.apply({ type: "pause", node: target });
      advance(step.downMs);
      sim.apply({ type: "resume", node: target });
      return sim.now;
    case "restart": {
      // etcd hands leadership to the most up-to-date follower before a clean stop (thesis §3.10); so does this run.
      const node = sim.node<RaftNode>(target);
      if (node?.role === "leader") {
        const term = node.currentTerm;
        const heir = up(sim)
          .filter((n) => n !== target)
          .map((n) => sim.node<RaftNode>(n) as RaftNode)
          .sort((a, b) => b.log.lastIndex - a.log.lastIndex || a.id - b.id)[0];
        if (heir) {
          sim.request(target, { type: "transfer", to: heir.id });
          advance(2 * electionMs, () => (leaderOf(sim)?.currentTerm ?? 0) > term);
        }
      }
      sim.apply({ type: "restart", node: target });
      return sim.now;
    }
  }
}

/**
 * Narration for the simulated run that keeps to what the real run reports: faults, elections and votes, leaders
 * stepping down. The hundreds of writes and acknowledgments in between stay quiet. Servers are named m1-m3,
 * as etcd's members are.
 */
export function failoverDescriber(): (event: TraceEvent) => string | undefined {
  const raft = raftDescriber();
  return (event) => {
    const line = raft(event);
    if (event.kind === "pause") return `${memberName(event.node)} is paused (SIGSTOP): it neither answers nor sends until it continues`;
    if (event.kind === "resume") return `${memberName(event.node)} continues (SIGCONT), still believing what it believed when it stopped`;
    if (line === undefined) return undefined;
    let kept: string | undefined;
    switch (event.kind) {
      case "crash":
      case "restart":
        kept = line;
        break;
      case "send":
        kept = event.msg.type === "RequestVote" || event.msg.type === "TimeoutNow" ? line : undefined;
        break;
      case "deliver":
        kept = event.msg.type === "RequestVoteReply" ? line : undefined;
        break;
      case "drop":
        kept = event.msg.type === "RequestVote" ? line : undefined;
        break;
      case "state":
        kept = line.split("; ").filter((part) => /leader of term|steps down/.test(part)).join("; ") || undefined;
        break;
      default:
        kept = undefined;
    }
    return kept?.replace(/\bNode (\d)\b/g, "m$1");
  };
}

/** The result line: every failover, measured in virtual time. */
export function simulatedSummary(faults: readonly FaultRecord[]): string {
  const f = failovers(faults);
  return f.length === 0 ? "no leader was hit" : f.map(describeFailover).join("; ");
}

export const sameFaultsSimulated: Scenario = {
  id: "same-faults-simulated",
  title: "The real run's fault schedule, in the simulator's Raft",
  summary:
    "Three simulated servers with etcd's clocks (100 ms heartbeats, election timeouts of 1-2 s) take the same seeded faults the lesson plays against a real etcd cluster: the leader is killed and restarted, a member is paused and continued, a member is stopped cleanly and restarted. Watch how long each failover leaves the cluster without a leader.",
  protocol: "raft",
  defaultSeed: 1,
  describe: failoverDescriber(),
  run({ seed }) {
    const schedule = faultSchedule(seed, ETCD_DEFAULT_TIMING);
    const { sim, faults } = playInSimulator(schedule);
    return finishStory(sim, simulatedSummary(faults)) as { sim: Simulation<Message>; result: string };
  },
};
