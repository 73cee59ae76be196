// A Raft run for graded simulations: clients append through sessions while faults strike; then liveness, durability and every reply checked.

import { randomFaults, Rng, type NemesisOptions, type NodeFactory, type NodeId, type Simulation } from "@course/sim";
import { raftAppliedOnce, raftInvariants } from "@course/check";
import { createRaftNode, leaderOf, withStateMachine, type ApplyCommand, type ClientResult, type RaftMessage, type RaftNode, type RaftOptions } from "@course/raft";
import { StepLimitError, type SeedRun } from "../graded.js";
import { clusterNodes, entriesPerMessage } from "./shape.js";

export interface RaftRunOptions {
  readonly raft: RaftOptions;
  readonly rates?: NemesisOptions["rates"];
  /** Faults happen before this time (ms); then everything heals. */
  readonly faultsUntil?: number;
  /** Quiet time after healing in which every client must be answered and a leader must commit a last write. */
  readonly settle?: number;
  readonly clients?: number;
  /** Cluster size (default: 3, 4, 5 or 7, from the seed). */
  readonly nodes?: number;
  /** Probability a message is duplicated; latency spread (reordering). */
  readonly duplicate?: number;
  readonly maxLatency?: number;
  /** How long a fault lasts (ms, default 200-2000). */
  readonly duration?: NemesisOptions["duration"];
  /**
   * Strike the leader itself: pause whoever leads at `at` ms for `ms` ms while its clients retry elsewhere
   * ("pause"), or, once the other faults have healed, crash the leader for good ("crash"): the others must elect a
   * new one without it.
   */
  readonly leaderFault?: { readonly kind: "pause"; readonly at: number; readonly ms: number } | { readonly kind: "crash" };
  /** Replace the state machine's apply step (exercise 11); snapshots must stay off, they rebuild the course's store. */
  readonly applyCommand?: ApplyCommand;
}

export const DEFAULT_RAFT_RATES = { crash: 0.8, pause: 0.4, partition: 0.6, cut: 0.4, lossy: 0.3 } as const;

/** Events a whole run may take: far more than a healthy cluster needs, so only a livelock exhausts it. */
const STEP_BUDGET = 800_000;
/** Clients look at their answers every TICK ms; an unanswered command is sent again (same number) after RETRY ms. */
const TICK = 10;
const RETRY = 60;
/** After an answer a client thinks for up to this long before its next command. */
const MAX_THINK = 120;

/** One command as a client sends it: an append of "seq;" to the client's own key, numbered for its session. */
function appendOp(key: string, seq: number) {
  return { type: "append", key, value: `${seq};`, seq } as const;
}

/**
 * A client as sessions expect it (§8): it numbers its commands and has one outstanding at a time. It sends the
 * command, and sends it again, with the same number, to another server (the one a refusal names as leader, else the
 * next) until some server answers it ok; only then, after a pause, does it send the next. A retry that reaches a
 * leader while an earlier copy is on its way puts the command into the log twice: the state machine must run it once.
 */
class SessionClient {
  seq = 0;
  /** Request ids of the copies of the command in flight (empty when idle). */
  private copies: number[] = [];
  private sentAt = 0;
  private target: NodeId;
  private nextAt: number;

  constructor(
    readonly name: string,
    readonly key: string,
    private readonly sim: Simulation<RaftMessage>,
    private readonly nodes: readonly NodeId[],
    private readonly rng: Rng,
    start: number,
    /** It starts no new command after this time (a command in flight is still resent until answered)... */
    private readonly until: number,
    /** ...nor more than this many (the last write after the faults is one command). */
    private readonly limit = Infinity,
  ) {
    this.target = nodes[this.rng.int(0, nodes.length - 1)] as NodeId;
    this.nextAt = start;
  }

  get waiting(): boolean {
    return this.copies.length > 0;
  }

  /** The ok answer to the command in flight, if one has come. */
  private answer(): ClientResult | undefined {
    for (const id of this.copies) {
      const r = this.sim.requests[id]?.result as ClientResult | undefined;
      if (r?.ok === true) return r;
    }
    return undefined;
  }

  /** Move on: note an answer, resend a command that has waited too long, or start the next one. */
  tick(): void {
    const now = this.sim.now;
    if (this.waiting) {
      if (this.answer() !== undefined) {
        this.copies = [];
        this.nextAt = now + this.rng.uniform(0, MAX_THINK);
      } else if (now - this.sentAt >= RETRY) {
        const last = this.sim.requests[this.copies[this.copies.length - 1] as number]?.result as ClientResult | undefined;
        const hint = last !== undefined && !last.ok ? last.leaderHint : undefined;
        this.target = hint ?? (this.nodes[(this.nodes.indexOf(this.target) + 1) % this.nodes.length] as NodeId);
        this.send();
      }
      return;
    }
    if (now < this.nextAt || now >= this.until || this.seq >= this.limit) return;
    this.seq++;
    this.send();
  }

  private send(): void {
    // Requests are recorded in the order they are made, so a request's id is its position in sim.requests.
    this.copies.push(this.sim.request(this.target, appendOp(this.key, this.seq), this.name));
    this.sentAt = this.sim.now;
  }

  describe(): string {
    return `client ${this.name}'s command ${this.seq} (sent ${this.copies.length} times)`;
  }
}

/**
 * Runs the cluster under the nemesis with every Raft invariant and the applied-once check after every event, then
 * heals everything and requires every client to be answered, a leader to commit one more write, every server to
 * catch up, every acknowledged write to be applied exactly once, and every answer to carry the right value.
 * Returns a failure sentence, or undefined (a violation stops the run and is reported by the harness).
 */
export function runRaft(run: SeedRun, o: RaftRunOptions): string | undefined {
  const nodes = o.nodes === undefined ? clusterNodes(run.seed) : Array.from({ length: o.nodes }, (_, i) => i);
  const faultsUntil = o.faultsUntil ?? 2500;
  const raft: RaftOptions = { maxEntriesPerMessage: entriesPerMessage(run.seed), ...o.raft };
  const sim = run.simulate<RaftMessage>({
    nodes,
    createNode: o.applyCommand === undefined ? createRaftNode(raft) : withStateMachine(createRaftNode(raft), o.applyCommand),
    network: { latency: { kind: "uniform", min: 1, max: o.maxLatency ?? 12 }, duplicate: o.duplicate ?? 0.02 },
    faults: run.faults(randomFaults({ seed: run.seed, nodes, end: faultsUntil, rates: o.rates ?? DEFAULT_RAFT_RATES, ...(o.duration === undefined ? {} : { duration: o.duration }) })),
    hooks: [...raftInvariants(), raftAppliedOnce()],
  });
  const rng = new Rng(run.seed).fork("clients");
  const clients = Array.from({ length: o.clients ?? 2 }, (_, c) => new SessionClient(`c${c}`, `k${c}`, sim, nodes, rng, 20 + c * 7, faultsUntil));
  const budget = { steps: STEP_BUDGET };
  const pause = o.leaderFault?.kind === "pause" ? o.leaderFault : undefined;
  let paused: NodeId | undefined;
  const tick = () => {
    if (pause !== undefined && paused === undefined && sim.now >= pause.at) {
      const leader = leaderOf(sim);
      if (leader !== undefined && sim.status(leader.id) === "up") {
        paused = leader.id;
        sim.apply({ type: "pause", node: paused });
      }
    }
    if (paused !== undefined && pause !== undefined && sim.now >= pause.at + pause.ms && sim.status(paused) === "paused") sim.apply({ type: "resume", node: paused });
    for (const c of clients) c.tick();
  };
  drive(run, sim, faultsUntil + 10, budget, tick);
  if (sim.stopped) return undefined;
  if (paused !== undefined && sim.status(paused) === "paused") sim.apply({ type: "resume", node: paused });
  sim.apply({ type: "link", config: { drop: 0, duplicate: 0 } });
  const settle = o.settle ?? 3000;
  const healedAt = sim.now;

  // Crash the leader for good once everything else works: the others must elect a new one on their own.
  let dead: NodeId | undefined;
  if (o.leaderFault?.kind === "crash") {
    drive(run, sim, healedAt + 1000, budget, tick, () => leaderOf(sim) !== undefined);
    if (sim.stopped) return undefined;
    dead = leaderOf(sim)?.id;
    if (dead === undefined) return `liveness: 1 s after every fault had healed there was no leader to crash (${roles(sim, nodes)})`;
    sim.apply({ type: "crash", node: dead });
  }
  const alive = nodes.filter((id) => id !== dead);
  const crashedAt = sim.now;

  // Every client's command in flight must be answered, then a last write, sent once, must commit.
  const final = new SessionClient("final", "final", sim, alive, rng, sim.now, Infinity, 1);
  clients.push(final);
  const done = () => clients.every((c) => !c.waiting) && final.seq === 1;
  drive(run, sim, sim.now + settle, budget, tick, done);
  if (sim.stopped) return undefined;
  if (!done()) {
    const waiting = clients.filter((c) => c.waiting).map((c) => c.describe());
    const after = dead === undefined ? `${settle} ms after every fault healed` : `${Math.round(sim.now - crashedAt)} ms after leader ${dead} crashed for good (every other fault healed)`;
    return `liveness: ${after}, ${waiting.join(" and ")} still had no answer (${roles(sim, nodes)})`;
  }
  const lastWrite = sim.requests.find((r) => r.request.client === "final" && (r.result as ClientResult | undefined)?.ok === true);
  const index = (lastWrite?.result as { index?: number } | undefined)?.index;
  drive(run, sim, sim.now + 1000, budget, tick);
  if (sim.stopped) return undefined;
  return behind(sim, alive, index) ?? wrongReplies(sim) ?? lostWrites(sim, alive) ?? finalValuesOutOfOrder(sim, alive);
}

/** Run to virtual time `until` in TICK steps, calling `onTick` at each, within a total step budget; stop early when `done` holds. */
function drive(run: SeedRun, sim: Simulation<RaftMessage>, until: number, budget: { steps: number }, onTick: () => void, done?: () => boolean): void {
  while (sim.now < until && !sim.stopped) {
    if (done?.()) return;
    if (budget.steps <= 0) throw new StepLimitError(`the cluster ran ${STEP_BUDGET} events and virtual time only reached ${Math.round(sim.now)} ms: messages are bouncing back and forth without progress (a livelock?)`);
    const before = sim.stepCount;
    run.drive(sim, Math.min(TICK, until - sim.now), budget.steps);
    budget.steps -= sim.stepCount - before;
    onTick();
  }
}

function roles(sim: Simulation<RaftMessage>, nodes: readonly NodeId[]): string {
  return nodes
    .map((id) => {
      const n = sim.node<RaftNode>(id);
      return n === undefined ? `${id}: down` : `${id}: ${n.role} term ${n.currentTerm} log ${n.log.lastIndex} commit ${n.commitIndex}`;
    })
    .join(", ");
}

/** Every live server must hold the last write's entry (in its log or folded into a snapshot) a second after it committed. */
function behind(sim: Simulation<RaftMessage>, nodes: readonly NodeId[], index: number | undefined): string | undefined {
  if (index === undefined) return undefined;
  // The committed entry's term, from any server that knows the entry is committed and still has its term (entries
  // folded into a snapshot have lost theirs); by State Machine Safety they all agree.
  const term = nodes
    .map((id) => sim.node<RaftNode>(id))
    .map((n) => (n !== undefined && n.commitIndex >= index ? n.log.termAt(index) : undefined))
    .find((t) => t !== undefined);
  // An entry folded into a snapshot is held too (snapshots only cover committed entries, §7).
  const holds = (n: RaftNode | undefined) => n !== undefined && (n.log.snapshotIndex >= index || (n.log.termAt(index) !== undefined && (term === undefined || n.log.termAt(index) === term)));
  const lagging = nodes.filter((id) => !holds(sim.node<RaftNode>(id)));
  if (lagging.length === 0) return undefined;
  const state = lagging.map((id) => {
    const n = sim.node<RaftNode>(id) as RaftNode;
    return `${id}: log ends at ${n.log.lastIndex} (term ${n.log.lastTerm}), entry ${index} has term ${n.log.termAt(index) ?? "none"}`;
  });
  return `catch-up: 1 s after the last write committed at index ${index}${term === undefined ? "" : ` (term ${term})`}, with every server up and every link working, server(s) ${state.join("; ")} still did not hold it. The leader must repair lagging or divergent followers.`;
}

/**
 * Every ok answer to an append must carry the key's value right after that command: a client appends "1;", "2;",
 * ... to its own key, one command at a time, so after command n the value is "1;2;...;n;" (and a retried command
 * is answered with the result it had the first time).
 */
function wrongReplies(sim: Simulation<RaftMessage>): string | undefined {
  for (const r of sim.requests) {
    const res = r.result as ClientResult | undefined;
    const op = r.request.op as { key?: string; seq?: number };
    if (res?.ok !== true || op.seq === undefined || op.key === undefined) continue;
    const expected = Array.from({ length: op.seq }, (_, k) => `${k + 1};`).join("");
    if (res.value !== expected) {
      return `reply: ${r.request.client}'s command ${op.seq} (append "${op.seq};" to ${op.key}) was answered ${JSON.stringify(res.value)}, but after its commands 1 to ${op.seq}, each applied once, ${op.key} is "${expected}": a command's result is the key's value right after it ran, and a retry gets that same result`;
    }
  }
  return undefined;
}

/** The server that has applied the most entries: every acknowledged write is in its state machine. */
function mostApplied(sim: Simulation<RaftMessage>, nodes: readonly NodeId[]): RaftNode | undefined {
  let best: RaftNode | undefined;
  for (const id of nodes) {
    const n = sim.node<RaftNode>(id);
    if (n !== undefined && (best === undefined || n.lastApplied > best.lastApplied)) best = n;
  }
  return best;
}

/** Every acknowledged append must be in the state machine exactly once. */
function lostWrites(sim: Simulation<RaftMessage>, nodes: readonly NodeId[]): string | undefined {
  const best = mostApplied(sim, nodes);
  if (best === undefined) return "every server is down at the end";
  for (const r of sim.requests) {
    const res = r.result as ClientResult | undefined;
    const op = r.request.op as { type?: string; key?: string; value?: string };
    if (!res?.ok || op.type !== "append" || op.key === undefined || op.value === undefined) continue;
    const value = best.kv.get(op.key) ?? "";
    const count = value.split(";").filter((p) => `${p};` === op.value).length;
    if (count !== 1) return `durability: the write ${op.key} += "${op.value}" was acknowledged to its client but appears ${count} times in the state machine of server ${best.id} ("${value}")`;
  }
  return undefined;
}

/**
 * The final values must be linearizable with the clients' history. Each key has one client that appends "1;", "2;",
 * ... one command at a time, so the only linearizable final value is "1;2;...;m;": the commands in the order they
 * were sent, m at least the last one answered (lostWrites checks those are there) and at most the last one sent (a
 * command never answered may or may not have taken effect). Any other value puts commands out of real-time order,
 * or holds one that was never sent.
 */
function finalValuesOutOfOrder(sim: Simulation<RaftMessage>, nodes: readonly NodeId[]): string | undefined {
  const best = mostApplied(sim, nodes);
  if (best === undefined) return undefined;
  const sent = new Map<string, number>();
  for (const r of sim.requests) {
    const op = r.request.op as { type?: string; key?: string; seq?: number };
    if (op.type === "append" && op.key !== undefined && op.seq !== undefined) sent.set(op.key, Math.max(sent.get(op.key) ?? 0, op.seq));
  }
  for (const [key, last] of sent) {
    const value = best.kv.get(key) ?? "";
    const m = value.split(";").length - 1;
    const inOrder = Array.from({ length: m }, (_, k) => `${k + 1};`).join("");
    if (value !== inOrder || m > last) {
      return `linearizability: the final value of ${key} on server ${best.id} is "${value}", but its client sent commands 1 to ${last} one at a time, so it must read "1;2;...;m;" for some m up to ${last}: each command that took effect, in the order they were sent`;
    }
  }
  return undefined;
}
