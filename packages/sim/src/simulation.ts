// The deterministic simulator: runs protocol nodes over a faulty network in virtual time and records a Trace.

import { deepCopy, deepFreeze } from "./clone.js";
import { EventQueue, type QueueState } from "./event-queue.js";
import { InvariantViolationError, SimulationError, type Violation } from "./errors.js";
import { DEFAULT_LINK, Network, validateLinkConfig, type NetworkState } from "./network.js";
import type { NodeContext, NodeFactory, SimNode, StorageReader } from "./node.js";
import { Rng, type RngState } from "./rng.js";
import { MessageCounters } from "./counters.js";
import { jsonCopy } from "./json-copy.js";
import { RandomScheduler, type Choice, type PendingEvent, type PendingView, type Scheduler } from "./scheduler.js";
import type {
  ClientRequest,
  DropReason,
  FaultAction,
  LinkConfig,
  Message,
  NodeId,
  NoteStyle,
  ScheduledFault,
  ScheduledRequest,
  TraceEvent,
  TraceEventBody,
} from "./types.js";

/**
 * A check run after every step; return a Violation to stop the run. It takes any simulation so one checker
 * can serve every message type (a Simulation<RaftMessage> is not a Simulation<Message> to the type checker).
 * A checker that remembers history (leaders per term, applied entries...) must forget it when the simulation
 * replays from the start, or a rewind would compare the replay against a future it has not reached: give it a
 * `reset` (see `restartable`), which the simulator calls at every replay. To take part in checkpoints (`checkpoint`,
 * `restore`: a search that branches, a player that jumps), a checker also gives `save`, a copy of that memory, and
 * `restore`, which puts such a copy back (and forgets any cache tied to node objects). A checker without memory
 * gives a `save` that returns undefined.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Hook<M extends Message = any> = ((sim: Simulation<M>) => Violation | undefined | void) & {
  reset?: () => void;
  save?: () => unknown;
  restore?: (memory: unknown) => void;
};

/** Wraps a stateful checker so that every replay from the start gets a fresh one from `make`. */
export function restartable<M extends Message>(make: () => Hook<M>): Hook<M> {
  let inner = make();
  const hook: Hook<M> = (sim) => inner(sim);
  hook.reset = () => {
    inner = make();
  };
  if (inner.save !== undefined && inner.restore !== undefined) {
    hook.save = () => inner.save?.();
    hook.restore = (memory) => inner.restore?.(memory);
  }
  return hook;
}

/** Everything a run is replayed from, apart from the node code itself. */
export interface SimulationSpec<M extends Message = Message> {
  readonly seed: number;
  readonly nodes: readonly NodeId[];
  readonly createNode: NodeFactory<M>;
  /** Settings for every link at start; change them later with `link` faults. */
  readonly network?: Partial<LinkConfig>;
  readonly faults?: readonly ScheduledFault[];
  readonly requests?: readonly ScheduledRequest[];
  /** Keep the trace (default true). Off, the simulator only counts messages: that is the fast mode for bulk testing. */
  readonly record?: boolean;
  /** Copy every message through JSON at send time so nodes never share objects (default true). */
  readonly isolateMessages?: boolean;
  /**
   * Deep-freeze every message at send time (default false). A search that delivers one message in many branches
   * turns this on: a handler that changed a received message would otherwise change it in every branch.
   */
  readonly freezeMessages?: boolean;
  /** Count messages by type (default true); a search that never reads the counters turns it off. */
  readonly countMessages?: boolean;
  /** The source of nondeterminism (default: a RandomScheduler, which the seed drives). */
  readonly scheduler?: Scheduler;
  readonly hooks?: readonly Hook[];
}

/** An action taken during a run (a click in the browser, a call in a test), recorded so rewinds replay it. */
export type InteractiveAction =
  | FaultAction
  | { readonly type: "request"; readonly node: NodeId; readonly op: unknown; readonly client?: string }
  /** Narration from the scenario; recorded like the rest so that a rewind shows the same notes. */
  | { readonly type: "note"; readonly text: string; readonly label?: string; readonly style?: NoteStyle };

export interface RecordedAction {
  /** Applied after this many steps had run... */
  readonly afterStep: number;
  /** ...with the clock at this time. */
  readonly at: number;
  readonly action: InteractiveAction;
}

/** A client request and what became of it, for histories and linearizability checks. */
export interface RequestRecord {
  readonly request: ClientRequest;
  readonly node: NodeId;
  readonly invokedAt: number;
  replyAt?: number;
  result?: unknown;
}

export type NodeStatus = "up" | "crashed" | "paused";

/** What a queued event carries; `schedule` adds its id and time, which makes it a PendingEvent. */
type ItemBody =
  | { kind: "deliver"; msgId: number; from: NodeId; to: NodeId; msg: Message }
  | { kind: "timer"; node: NodeId; name: string; token: number }
  | { kind: "fault"; action: FaultAction }
  | { kind: "request"; node: NodeId; request: ClientRequest };

/** Queued items are never changed once queued: checkpoints share them. */
type QueueItem = ItemBody & { readonly id: number; readonly time: number };

interface Runtime<M extends Message> {
  readonly id: NodeId;
  node: SimNode<M> | undefined;
  status: NodeStatus;
  storage: Map<string, string>;
  timers: Map<string, number>;
  /**
   * Copy on write: a checkpoint shares the node object, storage and timers with the live run; the run copies
   * each one before it first changes it.
   */
  nodeShared: boolean;
  storageShared: boolean;
  timersShared: boolean;
  /** Events that arrived while the node was paused, replayed in order on resume. */
  held: ItemBody[];
  /** The view in the last state event (a JSON copy, never mutated); undefined after a crash. */
  lastView: unknown;
  readonly rng: Rng;
  readonly ctx: NodeContext<M>;
  outbox: Array<[NodeId, M]>;
  /** How many times the node has booted (1 after start-up): checkers tell a restarted node from the old one by it. */
  incarnation: number;
  /** Objects a copy of the node shares instead of copying: its context and its random numbers. */
  readonly keep: ReadonlySet<object>;
}

/** One node's part of a checkpoint. */
interface RuntimeState<M extends Message> {
  readonly node: SimNode<M> | undefined;
  readonly status: NodeStatus;
  readonly storage: Map<string, string>;
  readonly timers: Map<string, number>;
  readonly held: readonly ItemBody[];
  readonly lastView: unknown;
  readonly rng: RngState;
  readonly incarnation: number;
}

/** A saved simulation state; `Simulation.restore` returns to it, as many times as wanted. Opaque. */
export interface Checkpoint {
  /** The step count and virtual time it was taken at. */
  readonly step: number;
  readonly time: number;
}

class SimCheckpoint<M extends Message> implements Checkpoint {
  constructor(
    readonly owner: Simulation<M>,
    readonly step: number,
    readonly time: number,
    readonly state: {
      readonly nextMsgId: number;
      readonly nextTimerToken: number;
      readonly nextRequestId: number;
      /** The trace array and its length then: traces only grow at the end, so the prefix is still there. */
      readonly events: TraceEvent[];
      readonly eventCount: number;
      readonly requests: readonly RequestRecord[];
      readonly actions: RecordedAction[];
      readonly actionCount: number;
      readonly actionCursor: number;
      readonly stoppedBy: Violation | undefined;
      readonly counters: MessageCounters;
      readonly network: NetworkState;
      readonly queue: QueueState<QueueItem>;
      readonly runtimes: ReadonlyMap<NodeId, RuntimeState<M>>;
      readonly scheduler: unknown;
      readonly hooks: readonly unknown[];
    },
  ) {}
}

/**
 * One simulated run. The same spec (and the same interactive actions) always gives the same trace.
 *
 * Control: `step()` runs one event; `runUntilTime(t)`; `runUntil(predicate)`; `rewind(k)` replays from the
 * start to step k. Faults and client requests can be scripted in the spec or applied during the run.
 */
export class Simulation<M extends Message = Message> {
  readonly spec: SimulationSpec<M>;
  readonly nodeIds: readonly NodeId[];
  private readonly record: boolean;
  private readonly isolate: boolean;
  private readonly freeze: boolean;
  private readonly counting: boolean;
  private readonly scheduler: Scheduler;
  private hooks: Hook[];
  private readonly pendingView: PendingView;

  // Everything below is rebuilt by reset(), which is how rewinds replay from the start.
  private queue!: EventQueue<QueueItem>;
  private network!: Network;
  private runtimes!: Map<NodeId, Runtime<M>>;
  /** Copy on write, like node state: a checkpoint shares the counters until the run counts something. */
  private countersShared = false;
  private clock = 0;
  private steps = 0;
  private nextMsgId = 0;
  private nextTimerToken = 0;
  private nextRequestId = 0;
  private events: TraceEvent[] = [];
  private requestLog: RequestRecord[] = [];
  /** Built on demand from the log (a restore leaves it out until needed). */
  private requestById: Map<number, RequestRecord> | undefined = new Map();
  /** Copy on write: a checkpoint shares the request records until a request is made or answered. */
  private requestsShared = false;
  private recordedActions: RecordedAction[] = [];
  private actionCursor = 0;
  private stoppedBy: Violation | undefined;
  counters = new MessageCounters();

  constructor(spec: SimulationSpec<M>) {
    validateSpec(spec);
    this.spec = spec;
    this.nodeIds = [...spec.nodes];
    this.record = spec.record ?? true;
    this.isolate = spec.isolateMessages ?? true;
    this.freeze = spec.freezeMessages ?? false;
    this.counting = spec.countMessages ?? true;
    this.scheduler = spec.scheduler ?? new RandomScheduler();
    this.hooks = [...(spec.hooks ?? [])];
    this.pendingView = {
      earliest: () => {
        this.discardStaleTimers();
        return this.queue.peek();
      },
      all: () => this.pendingEvents(),
    };
    this.reset();
  }

  // ---- inspection -------------------------------------------------------------------------------

  /** Virtual time in milliseconds. */
  get now(): number {
    return this.clock;
  }
  /** How many steps (queue events) have run. */
  get stepCount(): number {
    return this.steps;
  }
  /** The trace so far (empty when recording is off). */
  get trace(): readonly TraceEvent[] {
    return this.events;
  }
  get violation(): Violation | undefined {
    return this.stoppedBy;
  }
  get stopped(): boolean {
    return this.stoppedBy !== undefined;
  }
  get requests(): readonly RequestRecord[] {
    return this.requestLog;
  }
  /** The record of client request `id` (what `request` returned), if it was sent. */
  requestRecord(id: number): RequestRecord | undefined {
    return this.requestIndex().get(id);
  }
  /** Interactive actions applied so far: with the spec, this is what a replay needs. */
  get actions(): readonly RecordedAction[] {
    return this.recordedActions;
  }
  get pending(): number {
    return this.queue.size;
  }

  /**
   * Every event waiting to run (messages in flight, armed timers, scripted faults and requests), earliest first;
   * with `sorted` false, in no particular (but deterministic) order, which is cheaper.
   */
  pendingEvents(sorted = true): PendingEvent[] {
    const out: PendingEvent[] = [];
    for (const e of sorted ? this.queue.sorted() : this.queue.items()) if (e.kind !== "timer" || !this.isStaleTimer(e)) out.push(e);
    return out;
  }

  /** How many times a node has booted: 1 after start-up, one more at every restart. */
  incarnation(node: NodeId): number {
    return this.runtime(node, "incarnation").incarnation;
  }

  status(node: NodeId): NodeStatus {
    return this.runtime(node, "status").status;
  }
  isUp(node: NodeId): boolean {
    return this.runtime(node, "isUp").status === "up";
  }
  /** The live node object (undefined while crashed). Checkers read protocol state through it. */
  node<N extends SimNode<M> = SimNode<M>>(id: NodeId): N | undefined {
    return this.runtime(id, "node").node as N | undefined;
  }
  /** A node's durable storage, readable even while it is crashed. */
  storage(node: NodeId): StorageReader {
    const rt = this.runtime(node, "storage");
    return storageReader(() => rt.storage);
  }
  /** A node's durable storage as stored: JSON text by key (read only; shared with checkpoints). */
  storedJson(node: NodeId): ReadonlyMap<string, string> {
    return this.runtime(node, "storedJson").storage;
  }
  /** Directed links that are currently cut. */
  blockedLinks(): Array<[NodeId, NodeId]> {
    return this.network.blockedPairs();
  }
  link(from: NodeId, to: NodeId): LinkConfig {
    return this.network.link(from, to);
  }
  addHook(hook: Hook): void {
    this.hooks.push(hook);
  }

  // ---- control ----------------------------------------------------------------------------------

  /**
   * Run one step: whatever the scheduler chooses (with the default scheduler, the earliest event). Returns false
   * when nothing is left to run or a checker stopped the run.
   */
  step(): boolean {
    if (this.stoppedBy) return false;
    this.applyDueActions();
    this.discardStaleTimers();
    const choice = this.scheduler.next(this.pendingView);
    if (choice === undefined) return false;
    this.perform(choice);
    this.runHooks();
    this.applyDueActions();
    this.discardStaleTimers();
    return true;
  }

  private perform(choice: Choice): void {
    if (choice.kind === "fault" || choice.kind === "request") {
      if (choice.kind === "fault") validateFaultAction(choice.action, `${choice.action?.type} fault`, (id, where) => void this.runtime(id as NodeId, where));
      else this.runtime(choice.node, "client request");
      this.advanceClock(choice.at);
      this.steps++;
      if (choice.kind === "fault") this.applyFault(choice.action);
      else this.handle({ kind: "request", node: choice.node, request: this.newRequest(choice.op, choice.client) });
      return;
    }
    if (choice.kind === "run") {
      const top = this.queue.peekEntry();
      const entry = top !== undefined && top.order === choice.event ? this.queue.pop() : this.queue.remove(choice.event);
      if (entry === undefined) throw new SimulationError(`run: no pending event with id ${choice.event}`);
      if (choice.at === undefined) this.clock = entry.time;
      else this.advanceClock(choice.at);
      this.steps++;
      this.handle(entry.item);
      return;
    }
    const item = this.queue.find(choice.event)?.item;
    if (item === undefined) throw new SimulationError(`${choice.kind}: no pending event with id ${choice.event}`);
    if (item.kind !== "deliver") throw new SimulationError(`${choice.kind}: event ${choice.event} is a ${item.kind}, not a message in flight`);
    this.advanceClock(choice.at);
    this.steps++;
    if (choice.kind === "drop") {
      this.queue.remove(choice.event);
      return this.drop(item, "loss");
    }
    // A duplicate: the message stays in flight and a copy joins it.
    this.duplicate(item, this.clock);
  }

  /** Queue an event; it gets its id (the queue's order) and time here. */
  private schedule(time: number, body: ItemBody): void {
    this.queue.push(time, { ...body, id: this.queue.nextId, time } as QueueItem);
  }

  /** A copy of a message in flight, delivered at `at`, with its own message id. */
  private duplicate(item: { msgId: number; from: NodeId; to: NodeId; msg: Message }, at: number): void {
    const copyId = this.nextMsgId++;
    this.count()?.duplicated(item.msg.type);
    if (this.record) this.emit({ kind: "duplicate", msgId: item.msgId, copyId, from: item.from, to: item.to, deliverAt: at });
    const copy = this.isolate ? this.isolated(item.msg) : item.msg;
    this.schedule(at, { kind: "deliver", msgId: copyId, from: item.from, to: item.to, msg: copy });
  }

  /** A private copy of a message (through JSON), frozen when the run shares messages between branches. */
  private isolated(msg: Message): Message {
    const copy = JSON.parse(JSON.stringify(msg)) as Message;
    return this.freeze ? deepFreeze(copy) : copy;
  }

  /** The counters, copied first if a checkpoint shares them; undefined when the run does not count. */
  private count(): MessageCounters | undefined {
    if (!this.counting) return undefined;
    if (this.countersShared) {
      this.counters = this.counters.clone();
      this.countersShared = false;
    }
    return this.counters;
  }

  private advanceClock(at: number | undefined): void {
    if (at !== undefined && at > this.clock) this.clock = at;
  }

  /** Time of the next event that will really run (timers that were reset or cancelled are skipped). */
  private nextEventTime(): number {
    this.discardStaleTimers();
    return this.queue.peekTime();
  }

  /** A reset or cancelled timer stays in the heap; drop it when it reaches the top so it never counts as a step. */
  private discardStaleTimers(): void {
    for (;;) {
      const top = this.queue.peek();
      if (top === undefined || top.kind !== "timer" || !this.isStaleTimer(top)) return;
      this.queue.pop();
    }
  }

  /** Run every event up to and including `time`, then move the clock to `time`. */
  runUntilTime(time: number): void {
    if (!Number.isFinite(time)) throw new SimulationError(`runUntilTime needs a finite time, got ${time}`);
    while (!this.stoppedBy && this.nextEventTime() <= time) {
      if (!this.step()) break;
    }
    if (!this.stoppedBy && time > this.clock) this.clock = time;
  }

  /** Run for `ms` more virtual milliseconds. */
  runFor(ms: number): void {
    this.runUntilTime(this.clock + ms);
  }

  /**
   * Step until `predicate` holds (checked before each step too). Gives up, returning false, when the clock
   * would pass `timeout` ms from now, after `maxSteps` steps, or when the run stops.
   */
  runUntil(predicate: (sim: this) => boolean, limits: { timeout?: number; maxSteps?: number } = {}): boolean {
    const deadline = this.clock + (limits.timeout ?? 60_000);
    const maxSteps = this.steps + (limits.maxSteps ?? 10_000_000);
    for (;;) {
      if (predicate(this)) return true;
      if (this.stoppedBy || this.steps >= maxSteps) return false;
      if (this.nextEventTime() > deadline) {
        this.clock = Math.max(this.clock, deadline);
        return predicate(this);
      }
      if (!this.step()) return predicate(this);
    }
  }

  /** Replay from the start to just after step `k` (interactive actions up to there are replayed too). */
  rewind(k: number): void {
    if (!Number.isInteger(k) || k < 0) throw new SimulationError(`rewind needs a step number >= 0, got ${k}`);
    const actions = this.recordedActions;
    this.reset();
    this.recordedActions = actions;
    this.applyDueActions();
    while (this.steps < k && this.step()) {
      // step() does the work
    }
  }

  /** Apply a fault or send a client request now; it is recorded so that rewinds and replays repeat it. */
  apply(action: InteractiveAction): void {
    const checkNode = (id: unknown, where: string) => {
      if (typeof id !== "number" || !this.runtimes.has(id)) {
        throw new SimulationError(`${where}: unknown node id ${String(id)} (nodes are ${this.nodeIds.join(", ")})`);
      }
    };
    if (action.type === "request") checkNode(action.node, "client request");
    else if (action.type === "note") {
      if (typeof action.text !== "string") throw new SimulationError("note needs a text string");
    } else validateFaultAction(action, `${action.type} fault`, checkNode);
    // An action taken after a rewind forks history: actions recorded later than this point no longer happen.
    this.recordedActions = this.recordedActions.slice(0, this.actionCursor);
    this.recordedActions.push({ afterStep: this.steps, at: this.clock, action });
    this.applyDueActions();
  }

  /** Send a client request now. Returns its id (see `requests` for the reply). */
  request(node: NodeId, op: unknown, client = "client"): number {
    const id = this.nextRequestId;
    this.apply({ type: "request", node, op, client });
    return id;
  }

  /** Add a narration line to the trace (from the scenario, not from a node). `label` marks a point to jump to. */
  note(text: string, options: { label?: string; style?: NoteStyle } = {}): void {
    this.apply({ type: "note", text, ...options });
  }

  /** A phase heading in the narration. */
  heading(text: string, label?: string): void {
    this.note(text, label === undefined ? { style: "heading" } : { style: "heading", label });
  }

  /** Throw a readable InvariantViolationError if a checker stopped the run. */
  assertNoViolation(): void {
    if (this.stoppedBy) throw new InvariantViolationError(this.stoppedBy, this.violationReport());
  }

  violationReport(): string {
    const v = this.stoppedBy;
    if (!v) return "no violation";
    const details = v.details === undefined ? "" : `\n  details: ${JSON.stringify(v.details)}`;
    return `${v.checker} violated at ${formatTime(this.clock)} (step ${this.steps}, seed ${this.spec.seed}): ${v.message}${details}`;
  }

  // ---- checkpoints ------------------------------------------------------------------------------

  /**
   * Saves the whole state of the run: nodes, durable storage, timers, events in flight, network, clock, random
   * numbers, counters, the trace so far and every checker's memory. `restore(checkpoint)` comes back to it, any
   * number of times, in any order: a search branches this way, and a player jumps without replaying from the start.
   * Cheap: node objects, storage and counters are shared with the live run until the run changes them. Node objects
   * read through `node()` are shared with checkpoints: read them, never change them outside the simulator.
   */
  checkpoint(): Checkpoint {
    const hooks = this.hooks.map((hook, i) => {
      if (hook.save === undefined || hook.restore === undefined) {
        throw new SimulationError(`checker #${i} (${hook.name || "anonymous"}) cannot be checkpointed: give it save() and restore() (see Hook)`);
      }
      return hook.save();
    });
    const runtimes = new Map<NodeId, RuntimeState<M>>();
    for (const rt of this.runtimes.values()) {
      rt.nodeShared = rt.node !== undefined;
      rt.storageShared = true;
      rt.timersShared = true;
      runtimes.set(rt.id, {
        node: rt.node,
        status: rt.status,
        storage: rt.storage,
        timers: rt.timers,
        held: rt.held.length === 0 ? EMPTY : rt.held.slice(),
        lastView: rt.lastView,
        rng: rt.rng.save(),
        incarnation: rt.incarnation,
      });
    }
    this.countersShared = true;
    return new SimCheckpoint(this, this.steps, this.clock, {
      nextMsgId: this.nextMsgId,
      nextTimerToken: this.nextTimerToken,
      nextRequestId: this.nextRequestId,
      events: this.events,
      eventCount: this.events.length,
      requests: this.sharedRequests(),
      actions: this.recordedActions,
      actionCount: this.recordedActions.length,
      actionCursor: this.actionCursor,
      stoppedBy: this.stoppedBy,
      counters: this.counters,
      network: this.network.save(),
      queue: this.queue.save((item) => item.kind !== "timer" || !this.isStaleTimer(item)),
      runtimes,
      scheduler: this.scheduler.save(),
      hooks,
    });
  }

  /** Return to a checkpoint of this simulation (the checkpoint stays valid). */
  restore(checkpoint: Checkpoint): void {
    if (!(checkpoint instanceof SimCheckpoint) || checkpoint.owner !== this) throw new SimulationError("restore: that checkpoint was taken from another simulation");
    const cp = checkpoint.state as SimCheckpoint<M>["state"];
    if (cp.hooks.length !== this.hooks.length) throw new SimulationError(`restore: the checkpoint has ${cp.hooks.length} checkers' memory but the simulation now has ${this.hooks.length} checkers`);
    this.clock = checkpoint.time;
    this.steps = checkpoint.step;
    this.nextMsgId = cp.nextMsgId;
    this.nextTimerToken = cp.nextTimerToken;
    this.nextRequestId = cp.nextRequestId;
    if (cp.eventCount > 0 || this.events.length > 0) this.events = cp.events.slice(0, cp.eventCount);
    this.requestLog = cp.requests as RequestRecord[];
    this.requestById = undefined;
    this.requestsShared = true;
    this.recordedActions = cp.actions.length === cp.actionCount ? cp.actions : cp.actions.slice(0, cp.actionCount);
    this.actionCursor = cp.actionCursor;
    this.stoppedBy = cp.stoppedBy;
    this.counters = cp.counters;
    this.countersShared = true;
    this.network.restore(cp.network);
    this.queue.restore(cp.queue);
    for (const rt of this.runtimes.values()) {
      const saved = cp.runtimes.get(rt.id) as RuntimeState<M>;
      rt.node = saved.node;
      rt.nodeShared = saved.node !== undefined;
      rt.status = saved.status;
      rt.storage = saved.storage;
      rt.storageShared = true;
      rt.timers = saved.timers;
      rt.timersShared = true;
      if (saved.held.length > 0 || rt.held.length > 0) rt.held = saved.held.slice();
      rt.lastView = saved.lastView;
      rt.rng.restore(saved.rng);
      rt.incarnation = saved.incarnation;
      if (rt.outbox.length > 0) rt.outbox = [];
    }
    this.scheduler.restore(cp.scheduler);
    this.hooks.forEach((hook, i) => hook.restore?.(cp.hooks[i]));
  }

  /** The request records for a checkpoint: shared with the live run, which copies them before it changes them. */
  private sharedRequests(): readonly RequestRecord[] {
    this.requestsShared = true;
    return this.requestLog;
  }

  /** The request records, copied first if a checkpoint shares them. */
  private ownRequests(): RequestRecord[] {
    if (this.requestsShared) {
      this.requestLog = this.requestLog.map((r) => ({ ...r }));
      this.requestById = undefined;
      this.requestsShared = false;
    }
    return this.requestLog;
  }

  private requestIndex(): Map<number, RequestRecord> {
    return (this.requestById ??= new Map(this.requestLog.map((r) => [r.request.id, r])));
  }

  /** A node's durable storage, copied first if a checkpoint shares it. */
  private storageOf(rt: Runtime<M>): Map<string, string> {
    if (rt.storageShared) {
      rt.storage = new Map(rt.storage);
      rt.storageShared = false;
    }
    return rt.storage;
  }

  /** A node's armed timers, copied first if a checkpoint shares them. */
  private timersOf(rt: Runtime<M>): Map<string, number> {
    if (rt.timersShared) {
      rt.timers = new Map(rt.timers);
      rt.timersShared = false;
    }
    return rt.timers;
  }

  // ---- internals --------------------------------------------------------------------------------

  private reset(): void {
    const spec = this.spec;
    const root = new Rng(spec.seed);
    this.queue = new EventQueue<QueueItem>();
    this.network = new Network(spec.nodes, { ...DEFAULT_LINK, ...(spec.network ?? {}) });
    this.scheduler.reset(spec.seed);
    this.clock = 0;
    this.steps = 0;
    this.nextMsgId = 0;
    this.nextTimerToken = 0;
    this.nextRequestId = 0;
    this.events = [];
    this.requestLog = [];
    this.requestById = new Map();
    this.requestsShared = false;
    this.recordedActions = [];
    this.actionCursor = 0;
    this.stoppedBy = undefined;
    this.counters = new MessageCounters();
    this.countersShared = false;
    this.runtimes = new Map();
    for (const hook of this.hooks ?? []) hook.reset?.();
    for (const id of spec.nodes) {
      const rt: Runtime<M> = {
        id,
        node: undefined,
        status: "up",
        storage: new Map(),
        timers: new Map(),
        nodeShared: false,
        storageShared: false,
        timersShared: false,
        held: [],
        lastView: undefined,
        rng: root.fork(`node:${id}`),
        ctx: undefined as unknown as NodeContext<M>,
        outbox: [],
        incarnation: 0,
        keep: new Set(),
      };
      const ctx = this.makeContext(rt);
      (rt as { ctx: NodeContext<M> }).ctx = ctx;
      (rt as { keep: ReadonlySet<object> }).keep = new Set<object>([ctx, ctx.rng, ctx.storage, ctx.nodes]);
      this.runtimes.set(id, rt);
    }
    for (const f of spec.faults ?? []) this.schedule(f.at, { kind: "fault", action: f.action });
    for (const r of spec.requests ?? []) this.schedule(r.at, { kind: "request", node: r.node, request: this.newRequest(r.op, r.client) });
    for (const rt of this.runtimes.values()) this.boot(rt);
  }

  private newRequest(op: unknown, client = "client"): ClientRequest {
    return { id: this.nextRequestId++, client, op };
  }

  private runtime(id: NodeId, what: string): Runtime<M> {
    const rt = this.runtimes.get(id);
    if (!rt) throw new SimulationError(`${what}: unknown node id ${id} (nodes are ${this.nodeIds.join(", ")})`);
    return rt;
  }

  private applyDueActions(): void {
    while (this.actionCursor < this.recordedActions.length) {
      const rec = this.recordedActions[this.actionCursor] as RecordedAction;
      if (rec.afterStep > this.steps) return;
      this.actionCursor++;
      if (rec.at > this.clock) this.clock = rec.at;
      const a = rec.action;
      if (a.type === "request") {
        this.handle({ kind: "request", node: a.node, request: this.newRequest(a.op, a.client) });
      } else if (a.type === "note") {
        if (this.record) this.emit({ kind: "note", text: a.text, ...(a.label === undefined ? {} : { label: a.label }), ...(a.style === undefined ? {} : { style: a.style }) });
      } else {
        this.handle({ kind: "fault", action: a });
      }
      this.runHooks();
    }
  }

  private isStaleTimer(item: { readonly node: NodeId; readonly name: string; readonly token: number }): boolean {
    const rt = this.runtimes.get(item.node) as Runtime<M>;
    return rt.timers.get(item.name) !== item.token;
  }

  private handle(item: ItemBody): void {
    switch (item.kind) {
      case "deliver":
        return this.deliver(item);
      case "timer": {
        const rt = this.runtimes.get(item.node) as Runtime<M>;
        if (rt.status === "paused") {
          rt.held.push(item);
          return;
        }
        this.timersOf(rt).delete(item.name);
        if (this.record) this.emit({ kind: "timer", node: rt.id, name: item.name });
        this.invoke(rt, (node, ctx) => node.onTimer(item.name, ctx));
        return;
      }
      case "fault":
        return this.applyFault(item.action);
      case "request":
        return this.clientRequest(item.node, item.request);
    }
  }

  private deliver(item: Extract<ItemBody, { kind: "deliver" }>): void {
    const rt = this.runtimes.get(item.to) as Runtime<M>;
    if (rt.status === "crashed") return this.drop(item, "crashed");
    if (rt.status === "paused") {
      rt.held.push(item);
      return;
    }
    if (this.network.isBlocked(item.from, item.to)) return this.drop(item, "partition");
    this.count()?.delivered(item.msg.type);
    if (this.record) this.emit({ kind: "deliver", msgId: item.msgId, from: item.from, to: item.to, msg: item.msg });
    this.invoke(rt, (node, ctx) => node.onMessage(item.from, item.msg as M, ctx));
  }

  private drop(item: { msgId: number; from: NodeId; to: NodeId; msg: Message }, reason: DropReason): void {
    this.count()?.dropped(item.msg.type);
    if (this.record) this.emit({ kind: "drop", msgId: item.msgId, from: item.from, to: item.to, msg: item.msg, reason });
  }

  private clientRequest(node: NodeId, request: ClientRequest): void {
    const rt = this.runtime(node, "client request");
    // The client's invocation time is when it sent the request, even if a paused node handles it later:
    // linearizability checks depend on it.
    if (!this.requestIndex().has(request.id)) {
      const record: RequestRecord = { request, node, invokedAt: this.clock };
      this.ownRequests().push(record);
      this.requestIndex().set(request.id, record);
      if (this.record) this.emit({ kind: "client-request", node, request });
    }
    if (rt.status === "paused") {
      rt.held.push({ kind: "request", node, request });
      return;
    }
    if (rt.status === "crashed") return; // the client hears nothing, as from a dead server
    this.invoke(rt, (n, ctx) => {
      if (!n.onClientRequest) throw new SimulationError(`node ${node} does not accept client requests`);
      n.onClientRequest(request, ctx);
    });
  }

  private applyFault(action: FaultAction): void {
    const net = this.network;
    switch (action.type) {
      case "crash": {
        const rt = this.runtime(action.node, "crash");
        if (rt.status === "crashed") return;
        this.crash(rt);
        return;
      }
      case "restart": {
        const rt = this.runtime(action.node, "restart");
        if (rt.status !== "crashed") this.crash(rt); // restarting a live node is a reboot: a crash, then a restart
        rt.status = "up";
        if (this.record) this.emit({ kind: "restart", node: rt.id });
        this.boot(rt);
        return;
      }
      case "pause": {
        const rt = this.runtime(action.node, "pause");
        if (rt.status !== "up") return;
        rt.status = "paused";
        if (this.record) this.emit({ kind: "pause", node: rt.id });
        return;
      }
      case "resume": {
        const rt = this.runtime(action.node, "resume");
        if (rt.status !== "paused") return;
        rt.status = "up";
        if (this.record) this.emit({ kind: "resume", node: rt.id });
        const held = rt.held;
        rt.held = [];
        for (const h of held) this.schedule(this.clock, h);
        return;
      }
      case "partition":
        net.partition(action.groups);
        if (this.record) this.emit({ kind: "partition", groups: action.groups });
        return;
      case "cut":
        net.cut(action.from, action.to);
        if (this.record) this.emit({ kind: "cut", from: action.from, to: action.to });
        return;
      case "isolate":
        net.isolate(action.node);
        if (this.record) this.emit({ kind: "isolate", node: action.node });
        return;
      case "heal":
        net.heal(action.from, action.to);
        if (this.record) this.emit(action.from === undefined ? { kind: "heal" } : { kind: "heal", from: action.from, to: action.to as NodeId });
        return;
      case "link":
        validateLinkConfig(action.config, "link fault");
        net.configure(action.config, action.from, action.to);
        if (this.record) this.emit({ kind: "link", from: action.from, to: action.to, config: action.config } as TraceEventBody);
        return;
      default:
        throw new SimulationError(`unknown fault type ${JSON.stringify((action as { type: unknown }).type)}`);
    }
  }

  /** Volatile state, timers and anything held while paused are lost; durable storage stays. */
  private crash(rt: Runtime<M>): void {
    const held = rt.held;
    rt.node = undefined;
    rt.nodeShared = false;
    rt.status = "crashed";
    rt.timers = new Map();
    rt.timersShared = false;
    rt.held = [];
    rt.outbox = [];
    rt.lastView = undefined;
    if (this.record) this.emit({ kind: "crash", node: rt.id });
    for (const h of held) if (h.kind === "deliver") this.drop(h, "crashed");
  }

  private boot(rt: Runtime<M>): void {
    rt.incarnation++;
    this.invoke(rt, (_node, ctx) => {
      rt.node = this.spec.createNode(ctx);
      rt.nodeShared = false;
    }, true);
  }

  /** Run a node handler, then flush its outbox: storage writes made in the handler are already durable. */
  private invoke(rt: Runtime<M>, fn: (node: SimNode<M>, ctx: NodeContext<M>) => void, booting = false): void {
    if (!booting && rt.node === undefined) return;
    if (rt.nodeShared) {
      rt.node = deepCopy(rt.node, rt.keep);
      rt.nodeShared = false;
    }
    fn(rt.node as SimNode<M>, rt.ctx);
    const outbox = rt.outbox;
    if (outbox.length > 0) {
      rt.outbox = [];
      for (const [to, msg] of outbox) this.transmit(rt.id, to, msg);
    }
    if (this.record && rt.node?.view) {
      // The JSON copy of the view, sharing the parts that did not change with the last one (a long log, say).
      const view = jsonCopy(rt.lastView, rt.node.view());
      if (view !== rt.lastView) {
        rt.lastView = view;
        this.emit({ kind: "state", node: rt.id, view });
      }
    }
  }

  private transmit(from: NodeId, to: NodeId, original: M): void {
    const msgId = this.nextMsgId++;
    let msg: Message = original;
    let bytes = 0;
    if (this.isolate || this.record) {
      const json = JSON.stringify(original);
      bytes = json.length;
      msg = JSON.parse(json) as Message;
    }
    if (this.freeze) deepFreeze(msg);
    this.count()?.sent(msg.type, bytes);
    // Partitions never block a node's messages to itself; an explicit cut of the self-link does (to lose a node's own vote, say).
    const fate = this.scheduler.transmit({ from, to, msg, link: this.network.link(from, to), now: this.clock, blocked: this.network.isBlocked(from, to) });
    if (this.record) this.emit({ kind: "send", msgId, from, to, msg, deliverAt: fate.deliverAt });
    if (fate.lost !== undefined) return this.drop({ msgId, from, to, msg }, fate.lost);
    this.queue.push(fate.deliverAt, { kind: "deliver", msgId, from, to, msg, id: this.queue.nextId, time: fate.deliverAt });
    if (fate.copyAt !== undefined) this.duplicate({ msgId, from, to, msg }, fate.copyAt);
  }

  private runHooks(): void {
    if (this.stoppedBy) return;
    for (const hook of this.hooks) {
      const v = hook(this);
      if (v) {
        this.stoppedBy = v;
        if (this.record) {
          const body: TraceEventBody =
            v.details === undefined
              ? { kind: "violation", checker: v.checker, message: v.message }
              : { kind: "violation", checker: v.checker, message: v.message, details: v.details };
          this.emit(body);
        }
        return;
      }
    }
  }

  private emit(body: TraceEventBody): void {
    this.events.push({ seq: this.events.length, step: this.steps, time: this.clock, ...body } as TraceEvent);
  }

  private makeContext(rt: Runtime<M>): NodeContext<M> {
    const sim = this;
    const reader = storageReader(() => rt.storage);
    return {
      id: rt.id,
      get now() {
        return sim.clock;
      },
      nodes: this.nodeIds,
      rng: rt.rng,
      storage: reader,
      persist(key, value) {
        if (value === undefined) throw new SimulationError(`node ${rt.id}: persist("${key}", undefined): use unpersist to delete a key`);
        const json = JSON.stringify(value);
        sim.storageOf(rt).set(key, json);
        if (sim.record) sim.emit({ kind: "persist", node: rt.id, key, value: JSON.parse(json) as unknown });
      },
      unpersist(key) {
        sim.storageOf(rt).delete(key);
        if (sim.record) sim.emit({ kind: "persist", node: rt.id, key, value: null });
      },
      send(to, msg) {
        if (!sim.runtimes.has(to)) {
          throw new SimulationError(`node ${rt.id} sent ${msg.type} to unknown node ${to} (nodes are ${sim.nodeIds.join(", ")})`);
        }
        if (typeof msg?.type !== "string") throw new SimulationError(`node ${rt.id} sent a message without a string "type" field`);
        rt.outbox.push([to, msg]);
      },
      broadcast(msg) {
        for (const to of sim.nodeIds) if (to !== rt.id) this.send(to, msg);
      },
      setTimer(name, delay) {
        if (typeof delay !== "number" || !Number.isFinite(delay) || delay < 0) {
          throw new SimulationError(`node ${rt.id}: timer "${name}" needs a finite delay >= 0 ms, got ${String(delay)}`);
        }
        const token = ++sim.nextTimerToken;
        sim.timersOf(rt).set(name, token);
        const fireAt = sim.clock + delay;
        // Built whole rather than through schedule's spread: a search sets timers at nearly every step.
        sim.queue.push(fireAt, { kind: "timer", node: rt.id, name, token, id: sim.queue.nextId, time: fireAt });
        if (sim.record) sim.emit({ kind: "timer-set", node: rt.id, name, fireAt });
      },
      cancelTimer(name) {
        if (rt.timers.has(name) && sim.timersOf(rt).delete(name) && sim.record) sim.emit({ kind: "timer-cancel", node: rt.id, name });
      },
      reply(requestId, result) {
        const known = sim.requestIndex().get(requestId);
        if (!known) throw new SimulationError(`node ${rt.id} replied to unknown client request ${requestId}`);
        if (known.replyAt !== undefined) return; // the client already has its answer
        sim.ownRequests();
        const rec = sim.requestIndex().get(requestId) as RequestRecord;
        rec.replyAt = sim.clock;
        rec.result = result;
        if (sim.record) sim.emit({ kind: "client-reply", node: rt.id, requestId, client: rec.request.client, result });
      },
      note(text, label) {
        if (sim.record) sim.emit(label === undefined ? { kind: "note", node: rt.id, text } : { kind: "note", node: rt.id, text, label });
      },
    };
  }
}

const EMPTY: readonly never[] = Object.freeze([]);

/** Reads through `map()` at every call: copy on write may replace a node's storage map. */
function storageReader(map: () => Map<string, string>): StorageReader {
  return {
    get<T>(key: string): T | undefined {
      const json = map().get(key);
      return json === undefined ? undefined : (JSON.parse(json) as T);
    },
    has: (key) => map().has(key),
    keys: () => [...map().keys()],
  };
}

export function formatTime(ms: number): string {
  return `${Number.isInteger(ms) ? ms : ms.toFixed(2)} ms`;
}

function validateSpec<M extends Message>(spec: SimulationSpec<M>): void {
  if (!Number.isInteger(spec.seed)) throw new SimulationError(`seed must be an integer, got ${String(spec.seed)}`);
  if (!Array.isArray(spec.nodes) || spec.nodes.length === 0) throw new SimulationError("nodes must be a non-empty array of node ids");
  const ids = new Set<NodeId>();
  for (const id of spec.nodes) {
    if (!Number.isInteger(id)) throw new SimulationError(`node ids must be integers, got ${String(id)}`);
    if (ids.has(id)) throw new SimulationError(`node id ${id} appears twice`);
    ids.add(id);
  }
  if (typeof spec.createNode !== "function") throw new SimulationError("createNode must be a function that builds a node");
  if (spec.network) validateLinkConfig(spec.network, "network");
  const checkNode = (id: unknown, where: string) => {
    if (typeof id !== "number" || !ids.has(id)) {
      throw new SimulationError(`${where}: unknown node id ${String(id)} (nodes are ${spec.nodes.join(", ")})`);
    }
  };
  const checkTime = (at: unknown, where: string) => {
    if (typeof at !== "number" || !Number.isFinite(at) || at < 0) throw new SimulationError(`${where}: time must be a finite number >= 0, got ${String(at)}`);
  };
  (spec.faults ?? []).forEach((f, i) => {
    const where = `fault #${i} (${f.action?.type ?? "?"} at ${String(f.at)})`;
    checkTime(f.at, where);
    validateFaultAction(f.action, where, checkNode);
  });
  (spec.requests ?? []).forEach((r, i) => {
    const where = `client request #${i}`;
    checkTime(r.at, where);
    checkNode(r.node, where);
  });
}

export function validateFaultAction(action: FaultAction, where: string, checkNode: (id: unknown, where: string) => void): void {
  switch (action?.type) {
    case "crash":
    case "restart":
    case "pause":
    case "resume":
    case "isolate":
      return checkNode(action.node, where);
    case "cut":
      checkNode(action.from, where);
      return checkNode(action.to, where);
    case "heal":
      if ((action.from === undefined) !== (action.to === undefined)) throw new SimulationError(`${where}: heal needs both from and to, or neither`);
      if (action.from !== undefined) checkNode(action.from, where);
      if (action.to !== undefined) checkNode(action.to, where);
      return;
    case "partition":
      if (!Array.isArray(action.groups)) throw new SimulationError(`${where}: partition needs groups, an array of arrays of node ids`);
      for (const g of action.groups) for (const id of g) checkNode(id, where);
      return;
    case "link":
      if (action.from !== undefined) checkNode(action.from, where);
      if (action.to !== undefined) checkNode(action.to, where);
      validateLinkConfig(action.config ?? {}, where);
      return;
    default:
      throw new SimulationError(`${where}: unknown fault type ${JSON.stringify((action as { type?: unknown })?.type)} (use crash, restart, pause, resume, partition, cut, isolate, heal or link)`);
  }
}
