// Randomized Raft runs: retrying clients, reads, membership changes and snapshots under faults; then liveness.

import { Rng, Simulation, randomFaults, type FaultAction, type Hook, type LinkConfig, type NemesisOptions, type NodeId } from "@course/sim";
import { createRaftNode, leaderOf, type ClientResult, type RaftMessage, type RaftNode, type RaftOptions } from "@course/raft";
import type { AdversaryFactory, AdversaryPlan, RaftAdversary } from "./raft-adversary.js";
import { raftAppliedOnce } from "./raft-applied-once.js";
import { raftInvariants } from "./raft-invariants.js";
import type { RandomRunResult } from "./random-run.js";

/**
 * Once the faults stop (every server up, every link working, no loss), each run must, within this many simulated
 * ms, have one leader that every member follows, every client command answered, and every member of the
 * configuration applied the same log.
 */
export const RAFT_LIVENESS_BOUND = 5000;

export interface RaftRandomOptions {
  /** Servers (3, 5 and 7 in CI); all start in the configuration. */
  readonly nodes?: number;
  /** Options every server gets, over the ones the seed picks (`raftVariant`). */
  readonly raft?: RaftOptions;
  /** Faults happen before this time (ms). */
  readonly faultsUntil?: number;
  readonly livenessBound?: number;
  /** Clients writing (and sometimes reading) one command at a time, retrying until answered. */
  readonly clients?: number;
  /** An administrator adds and removes servers while the faults last (default on). */
  readonly membership?: boolean;
  readonly rates?: NemesisOptions["rates"];
  /** The network during the faults (loss, duplication, latency spread). */
  readonly network?: Partial<LinkConfig>;
  readonly adversaries?: readonly AdversaryFactory[];
  /** Checkers run after every event (default: every Raft invariant and `raftAppliedOnce`). */
  readonly hooks?: () => readonly Hook<RaftMessage>[];
}

export interface RaftRandomResult extends RandomRunResult {
  /** The server options this seed ran with (functions left out), for the failure report. */
  readonly options: string;
  /** When the run did not recover: what was still missing at the bound. */
  readonly stuck?: string;
  /** Client commands answered, membership changes made. */
  readonly answered: number;
  readonly changes: number;
}

export const RAFT_RANDOM_NETWORK = { latency: { kind: "uniform", min: 1, max: 10 }, drop: 0.05, duplicate: 0.05 } as const;
export const RAFT_RANDOM_RATES = { crash: 1, pause: 0.5, partition: 0.8, cut: 0.5, lossy: 0.4 } as const;

/** Driver steps: clients and adversaries look at the cluster every this many virtual ms. */
const TICK = 10;
/** A client retries a refused command after this long, and one with no answer at all after RETRY_SILENT. */
const RETRY_REFUSED = 20;
const RETRY_SILENT = 150;

/** The server options a seed picks: PreVote, CheckQuorum, pipelining, snapshot interval, batch size, election no-op. */
export function raftVariant(seed: number): RaftOptions {
  const rng = new Rng(seed).fork("variant");
  return {
    preVote: rng.chance(0.5),
    checkQuorum: rng.chance(0.5),
    pipeline: rng.chance(0.8),
    snapshotEvery: rng.pick([0, 2, 3, 5, 8]),
    maxEntriesPerMessage: rng.pick([1, 3, 64]),
    noopOnElection: rng.chance(0.8),
  };
}

interface Command {
  readonly op: unknown;
  readonly attempts: number[];
  lastSentAt: number;
  target: NodeId;
}

/** A client (or the administrator): one command at a time, retried on the hinted leader or the next server until answered. */
class Client {
  current: Command | undefined;
  seq = 0;
  answered = 0;
  constructor(
    readonly name: string,
    private readonly sim: Simulation<RaftMessage>,
  ) {}

  start(op: unknown, target: NodeId): void {
    this.current = { op, attempts: [this.sim.request(target, op, this.name)], lastSentAt: this.sim.now, target };
  }

  /** Moves the command along; returns its answer once it has a final one. */
  poll(): ClientResult | undefined {
    const c = this.current;
    if (c === undefined) return undefined;
    let refused: ClientResult | undefined;
    for (const id of c.attempts) {
      // Requests are recorded in the order they are made, so a request's id is its position.
      const r = this.sim.requests[id]?.result as ClientResult | undefined;
      if (r === undefined) continue;
      if (r.ok || r.error === "bad-request") {
        this.current = undefined;
        this.answered++;
        return r;
      }
      if (id === c.attempts[c.attempts.length - 1]) refused = r;
    }
    const waited = this.sim.now - c.lastSentAt;
    if ((refused !== undefined && waited >= RETRY_REFUSED) || waited >= RETRY_SILENT) {
      const hint = refused !== undefined && !refused.ok ? refused.leaderHint : undefined;
      const ids = this.sim.nodeIds;
      c.target = hint ?? (ids[(ids.indexOf(c.target) + 1) % ids.length] as NodeId);
      c.attempts.push(this.sim.request(c.target, c.op, this.name));
      c.lastSentAt = this.sim.now;
    }
    return undefined;
  }

  describe(): string {
    return this.current === undefined ? "" : `${this.name}'s ${JSON.stringify(this.current.op)} (${this.current.attempts.length} attempts)`;
  }
}

/**
 * One reproducible run. While the faults last, clients append unique tokens through sessions (and read), an
 * administrator adds or removes a server every few hundred ms, snapshots compact the logs, the nemesis crashes,
 * pauses and cuts, and the adversaries strike at the moments they look for. Then every fault is lifted and the run
 * must recover (see RAFT_LIVENESS_BOUND); the time it took is the result's recoveryTime.
 */
export function runRaftRandom(seed: number, o: RaftRandomOptions = {}): RaftRandomResult {
  const nodes = Array.from({ length: o.nodes ?? 5 }, (_, i) => i);
  const until = o.faultsUntil ?? 3000;
  const bound = o.livenessBound ?? RAFT_LIVENESS_BOUND;
  const raft = { ...raftVariant(seed), ...(o.raft ?? {}) };
  const network = { ...RAFT_RANDOM_NETWORK, ...(o.network ?? {}) };
  const sim = new Simulation<RaftMessage>({
    seed,
    nodes,
    createNode: createRaftNode(raft),
    network,
    faults: randomFaults({ seed, nodes, end: until, rates: o.rates ?? RAFT_RANDOM_RATES, network: { drop: network.drop } }),
    record: false,
    hooks: o.hooks?.() ?? [...raftInvariants(), raftAppliedOnce()],
  });
  const rng = new Rng(seed).fork("workload");
  const clients = Array.from({ length: o.clients ?? 3 }, (_, c) => new Client(`c${c}`, sim));
  const admin = new Client("admin", sim);
  const adversaries: RaftAdversary[] = (o.adversaries ?? []).map((make) => make());
  const watching = adversaries.filter((a) => a.watch !== undefined);
  const scheduled: Array<{ at: number; action: FaultAction }> = [];
  const plan: AdversaryPlan = {
    sim,
    rng: new Rng(seed).fork("adversary"),
    later: (delay, action) => {
      if (delay <= 0) return sim.apply(action);
      scheduled.push({ at: sim.now + delay, action });
      scheduled.sort((a, b) => a.at - b.at);
    },
    request: (node, op) => void sim.request(node, op, "adversary"),
  };
  let changes = 0;
  let alarmed: RaftAdversary | undefined;
  const alarm = () => {
    for (const a of watching) if (a.watch?.(sim)) alarmed = a;
    return alarmed !== undefined;
  };

  const final = new Client("final", sim);
  const tick = (faulty: boolean) => {
    final.poll();
    for (const client of clients) {
      client.poll();
      if (faulty && client.current === undefined && rng.chance(0.3)) {
        const seq = ++client.seq;
        const op = rng.chance(0.2) ? { type: "get", key: `k${rng.int(0, clients.length - 1)}` } : { type: "append", key: `k${client.name.slice(1)}`, value: `${client.name}.${seq};`, seq };
        client.start(op, leaderOf(sim)?.id ?? rng.pick(nodes));
      }
    }
    if (admin.poll()?.ok) changes++;
    if (faulty && (o.membership ?? true) && admin.current === undefined && rng.chance(TICK / 400)) {
      const members = leaderOf(sim)?.members ?? nodes;
      const outside = nodes.filter((n) => !members.includes(n));
      const add = members.length === 1 || (outside.length > 0 && rng.chance(0.5));
      admin.start({ type: add ? "add-server" : "remove-server", node: rng.pick(add ? outside : members) }, leaderOf(sim)?.id ?? rng.pick(nodes));
    }
    if (faulty) for (const a of adversaries) a.tick?.(plan, TICK);
  };

  /** Runs to `end`, stopping for the driver's ticks, scheduled adversary faults and adversary alarms. */
  const advance = (end: number, faulty: boolean, done?: () => boolean): boolean => {
    let nextTick = Math.ceil((sim.now + 1e-9) / TICK) * TICK;
    while (sim.now < end && !sim.stopped) {
      const deadline = Math.min(end, nextTick, scheduled[0]?.at ?? Infinity);
      if (faulty && watching.length > 0) sim.runUntil(alarm, { timeout: Math.max(0, deadline - sim.now) });
      else sim.runUntilTime(deadline);
      if (sim.stopped) break;
      if (alarmed !== undefined) {
        alarmed.react?.(plan);
        alarmed = undefined;
      }
      while (scheduled.length > 0 && (scheduled[0] as { at: number }).at <= sim.now) sim.apply((scheduled.shift() as { action: FaultAction }).action);
      if (sim.now >= nextTick) {
        tick(faulty);
        nextTick += TICK;
        if (done?.()) return true;
      }
    }
    return done?.() ?? false;
  };

  const result = (extra: Partial<RaftRandomResult>): RaftRandomResult => ({
    seed,
    live: true,
    options: describeOptions(raft),
    answered: clients.reduce((s, c) => s + c.answered, 0),
    changes,
    ...extra,
    ...(sim.violation ? { violation: sim.violation, report: sim.violationReport() } : {}),
  });

  advance(until, true);
  if (sim.stopped) return result({});
  // The faults stop: whatever the adversaries still had planned happens now, then every server is up and every link works.
  for (const { action } of scheduled.splice(0)) sim.apply(action);
  for (const id of nodes) if (sim.status(id) !== "up") sim.apply({ type: sim.status(id) === "paused" ? "resume" : "restart", node: id });
  sim.apply({ type: "heal" });
  sim.apply({ type: "link", config: { drop: 0, duplicate: 0 } });
  const healedAt = sim.now;
  // One last write once everything works: committing it commits every earlier entry (even without the election no-op).
  final.start({ type: "append", key: "final", value: "final.1;", seq: 1 }, leaderOf(sim)?.id ?? rng.pick(nodes));
  const everyone = [...clients, admin, final];
  const live = advance(healedAt + bound, false, () => notRecovered(sim, everyone, raft.noopOnElection !== false) === undefined);
  if (sim.stopped) return result({});
  const stuck = notRecovered(sim, everyone, raft.noopOnElection !== false);
  return live && stuck === undefined ? result({ recoveryTime: sim.now - healedAt }) : result({ live: false, stuck: stuck ?? "not recovered" });
}

/** Why the run has not recovered yet, or undefined once it has. */
function notRecovered(sim: Simulation<RaftMessage>, clients: readonly Client[], noop: boolean): string | undefined {
  const leader = leaderOf(sim);
  if (leader === undefined) return "no leader";
  const waiting = clients.find((c) => c.current !== undefined);
  if (waiting !== undefined) return `unanswered: ${waiting.describe()}`;
  if (leader.learners.length > 0) return `leader ${leader.id} is still adding server ${leader.learners.join(", ")}`;
  // Without the election no-op a leader cannot commit entries of earlier terms until it commits one of its own
  // (§5.4.2): entries that arrived after the last client command may stay uncommitted, and that is Raft, not a fault.
  if (leader.commitIndex < leader.log.lastIndex && (noop || leader.log.lastTerm === leader.currentTerm)) {
    return `leader ${leader.id} has entries up to ${leader.log.lastIndex} but commit index ${leader.commitIndex}`;
  }
  const state = JSON.stringify(leader.kv.toJSON());
  for (const m of leader.members) {
    const n = sim.node<RaftNode>(m);
    if (n === undefined) return `member ${m} is down`;
    if (n.leaderId !== leader.id || n.currentTerm !== leader.currentTerm) return `member ${m} follows ${n.leaderId ?? "nobody"} in term ${n.currentTerm}, not leader ${leader.id} of term ${leader.currentTerm}`;
    if (n.lastApplied !== leader.commitIndex) return `member ${m} applied up to ${n.lastApplied} of ${leader.commitIndex}`;
    if (n.members.join() !== leader.members.join()) return `member ${m} uses configuration [${n.members.join(", ")}], leader ${leader.id} [${leader.members.join(", ")}]`;
    if (JSON.stringify(n.kv.toJSON()) !== state) return `member ${m}'s state machine differs from leader ${leader.id}'s`;
  }
  return undefined;
}

function describeOptions(raft: RaftOptions): string {
  return Object.entries(raft)
    .filter(([, v]) => typeof v !== "function" && typeof v !== "object")
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(" ");
}
