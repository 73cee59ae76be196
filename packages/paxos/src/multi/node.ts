// A Multi-Paxos replica: acceptor and learner for every slot, follower or leader, executing the log in order, each command once.

import { canonicalText, type ClientRequest, type NodeContext, type NodeFactory, type NodeId, type SimNode } from "@course/sim";
import { compareBallots, formatBallot, sameBallot, type Ballot } from "../ballot.js";
import type { MultiAcceptorState } from "./acceptor.js";
import { formatClientCommand, formatCommand } from "./describe.js";
import type { SlotTally } from "./learner.js";
import { canonicalTally } from "../basic/learner.js";
import type { ClientCommand, Command, Heartbeat, MAccept, MNack, MPrepare, MPromise, MultiPaxosMessage, SlotAccepted } from "./messages.js";
import { quorumsFor, type Quorums } from "./quorums.js";
import { withMultiPaxosRules, type MultiPaxosRules } from "./rules.js";
import { clientCommandOf, sameCommand, type Sessions } from "./sessions.js";

export interface MultiPaxosNodeOptions {
  readonly rules?: Partial<MultiPaxosRules>;
  /**
   * The liveness fix (default true): election timeouts are random, and a candidate that is refused steps back
   * and waits for its next timeout. Off, every node waits the same fixed time and a refused candidate retries
   * at once with a higher number, which lets two candidates pre-empt each other forever.
   */
  readonly electionFix?: boolean;
  /** A follower that hears nothing from a leader for this long (ms, default 150; up to twice that with the fix) campaigns. */
  readonly electionTimeout?: number;
  /** How often a leader sends heartbeats and re-sends unfinished accepts (ms, default 30). */
  readonly heartbeatInterval?: number;
  /** This node campaigns at time 0 instead of waiting for a timeout. */
  readonly initialLeader?: NodeId;
  /**
   * How many promises make a leader (`phase1`) and how many acceptances choose a slot's value (`phase2`);
   * each defaults to a majority. Any sizes from 1 to the cluster size are accepted, including pairs that do not
   * intersect, so that a run can show what breaks.
   */
  readonly quorums?: Partial<Quorums>;
}

export type MultiRole = "follower" | "candidate" | "leader";

/** What checkers, tests and scenarios may read from a live replica. */
export interface MultiPaxosInspection {
  readonly role: MultiRole;
  readonly ballot?: Ballot;
  readonly leader?: NodeId;
  readonly acceptor: MultiAcceptorState;
  /** The applied log: the replicated state machine's input, slot by slot (null = no-op). */
  readonly log: readonly Command[];
  /** The slots whose command the state machine executed, in order: a copy of a command executed earlier is skipped. */
  readonly executed: readonly number[];
  /** Per client: its latest executed command number and where it was executed. */
  readonly sessions: Sessions;
  /** The quorum sizes this replica uses. */
  readonly quorums: Quorums;
  /** Slots known to be chosen but not yet applied (a hole before them). */
  readonly chosenAhead: ReadonlyMap<number, Command>;
  /** Slots below this have been garbage-collected from the acceptor and learner state. */
  readonly gcBelow: number;
  /** Bumped on every change of acceptor state or log, so checkers can skip unchanged replicas. */
  readonly version: number;
  /** Commands waiting for a leader. */
  readonly pending: number;
  /** While campaigning: the acceptors that have promised this node's number. */
  readonly promisedBy: readonly NodeId[];
}

export interface MultiPaxosNode extends SimNode<MultiPaxosMessage> {
  inspect(): MultiPaxosInspection;
}

interface PendingCommand {
  readonly command: ClientCommand;
  readonly requestId: number;
}

const PROMISED_KEY = "promised";
const ROUND_KEY = "round";
const LOG_KEY = "log";
const ACCEPTED_PREFIX = "acc:";
const CATCH_UP_BATCH = 50;

export function createMultiPaxosNode(options: MultiPaxosNodeOptions = {}): NodeFactory<MultiPaxosMessage> {
  return (ctx) => new MultiPaxosReplica(ctx, options);
}

class MultiPaxosReplica implements MultiPaxosNode {
  private readonly rules: MultiPaxosRules;
  private readonly fix: boolean;
  private readonly electionTimeout: number;
  private readonly heartbeatInterval: number;
  private readonly quorums: Quorums;
  private acceptor: MultiAcceptorState;
  private log: Command[];
  private executed: number[] = [];
  private sessions: Sessions = new Map();
  private round: number;
  private chosenAhead = new Map<number, Command>();
  private tally: SlotTally = new Map();
  private gcBelow = 0;
  private version = 0;
  private role: MultiRole = "follower";
  private ballot: Ballot | undefined;
  private leader: NodeId | undefined;
  private promises = new Map<NodeId, MPromise>();
  private phase1From = 0;
  private rejections: Ballot[] = [];
  private nextSlot = 0;
  /** The leader's own proposals in flight, with the client request waiting on each. */
  private proposals = new Map<number, { command: Command; requestId?: number; sentAt: number }>();
  private pending: PendingCommand[] = [];
  private appliedBy = new Map<NodeId, number>();

  constructor(ctx: NodeContext<MultiPaxosMessage>, options: MultiPaxosNodeOptions) {
    this.rules = withMultiPaxosRules(options.rules);
    this.fix = options.electionFix ?? true;
    this.electionTimeout = options.electionTimeout ?? 150;
    this.heartbeatInterval = options.heartbeatInterval ?? 30;
    this.quorums = quorumsFor(ctx.nodes.length, options.quorums);
    // Only what was persisted survives a restart.
    const accepted = new Map<number, SlotAccepted>();
    for (const key of ctx.storage.keys()) {
      if (key.startsWith(ACCEPTED_PREFIX)) accepted.set(Number(key.slice(ACCEPTED_PREFIX.length)), ctx.storage.get<SlotAccepted>(key) as SlotAccepted);
    }
    const promised = ctx.storage.get<Ballot>(PROMISED_KEY);
    this.acceptor = promised === undefined ? { accepted } : { promised, accepted };
    this.log = ctx.storage.get<Command[]>(LOG_KEY) ?? [];
    // The state machine is rebuilt by executing the durable log again, skipping the same copies as before.
    this.log.forEach((command, slot) => this.execute(slot, command));
    this.round = ctx.storage.get<number>(ROUND_KEY) ?? 0;
    const startsNow = options.initialLeader === ctx.id && ctx.now === 0;
    ctx.setTimer("election", startsNow ? 0 : this.electionDelay(ctx));
  }

  /** Rebuilt only after the node handled something: checkers ask every node after every step. */
  private inspection: MultiPaxosInspection | undefined;

  inspect(): MultiPaxosInspection {
    this.inspection ??= this.buildInspection();
    return this.inspection;
  }

  private buildInspection(): MultiPaxosInspection {
    return {
      role: this.role,
      ...(this.ballot === undefined ? {} : { ballot: this.ballot }),
      ...(this.leader === undefined ? {} : { leader: this.leader }),
      acceptor: this.acceptor,
      log: this.log,
      executed: this.executed,
      sessions: this.sessions,
      quorums: this.quorums,
      chosenAhead: this.chosenAhead,
      gcBelow: this.gcBelow,
      version: this.version,
      pending: this.pending.length,
      promisedBy: [...this.promises.keys()].sort((a, b) => a - b),
    };
  }

  view(): unknown {
    // Commands appear as their op; a copy the state machine skipped is marked, so a chart shows why it is there twice.
    const ran = new Set(this.executed);
    const op = (v: Command) => (v === null ? null : v.op);
    return {
      role: this.role,
      ballot: formatBallot(this.ballot),
      leader: this.leader ?? null,
      promised: formatBallot(this.acceptor.promised),
      accepted: Object.fromEntries([...this.acceptor.accepted].sort(([a], [b]) => a - b).map(([slot, a]) => [slot, { n: formatBallot(a.n), v: op(a.v) }])),
      log: this.log.map((v, slot) => (v === null || ran.has(slot) ? op(v) : `${v.op} (dup)`)),
      chosenAhead: Object.fromEntries([...this.chosenAhead].map(([slot, v]) => [slot, op(v)])),
      gcBelow: this.gcBelow,
    };
  }

  /**
   * Everything that decides what this replica does next (for an exhaustive search). Ballots order node ids, so ids
   * are never renamed; `version` (a change counter for checkers) and send times are left out.
   */
  canonical(): string {
    const proposals = new Map([...this.proposals].map(([slot, p]) => [slot, [p.command, p.requestId]]));
    return canonicalText([this.acceptor, this.log, this.executed, this.sessions, this.round, this.chosenAhead, new Map([...this.tally].map(([slot, t]) => [slot, canonicalTally(t)])), this.gcBelow, this.role, this.ballot, this.leader, this.promises, this.phase1From, this.rejections, this.nextSlot, proposals, this.pending, this.appliedBy]);
  }

  onClientRequest(request: ClientRequest, ctx: NodeContext<MultiPaxosMessage>): void {
    this.inspection = undefined;
    const command = clientCommandOf(request);
    if ("error" in command) return ctx.reply(request.id, command);
    this.route({ command, requestId: request.id }, ctx);
  }

  onMessage(from: NodeId, msg: MultiPaxosMessage, ctx: NodeContext<MultiPaxosMessage>): void {
    this.inspection = undefined;
    switch (msg.type) {
      case "prepare":
        return this.onPrepare(from, msg, ctx);
      case "accept":
        return this.onAccept(from, msg, ctx);
      case "promise":
        return this.onPromise(from, msg, ctx);
      case "nack":
        return this.onNack(msg, ctx);
      case "accepted": {
        const step = this.rules.learnSlot(this.tally, from, msg, this.quorums.phase2);
        this.tally = step.tally;
        if (step.chosen !== undefined) this.learn(step.chosen.slot, step.chosen.v, ctx);
        return;
      }
      case "heartbeat":
        return this.onHeartbeat(from, msg, ctx);
      case "status":
        this.appliedBy.set(from, msg.applied);
        return;
      case "catchup":
        if (msg.from < this.log.length) ctx.send(from, { type: "chosen", entries: this.log.slice(msg.from, msg.from + CATCH_UP_BATCH).map((v, i) => [msg.from + i, v] as const) });
        return;
      case "chosen":
        for (const [slot, v] of msg.entries) this.learn(slot, v, ctx);
        return;
      case "forward":
        return this.route({ command: msg.command, requestId: msg.requestId }, ctx);
    }
  }

  onTimer(name: string, ctx: NodeContext<MultiPaxosMessage>): void {
    this.inspection = undefined;
    if (name === "election") {
      ctx.setTimer("election", this.electionDelay(ctx));
      if (this.role === "candidate") {
        ctx.note(`Node ${ctx.id}: not enough promises for n=${formatBallot(this.ballot)}: got ${this.promises.size}, need ${this.quorums.phase1}. Leadership not established; it will try again.`);
      }
      if (this.role !== "leader") this.campaign(ctx);
    } else if (name === "heartbeat" && this.role === "leader") {
      this.sendHeartbeats(ctx);
      ctx.setTimer("heartbeat", this.heartbeatInterval);
    }
  }

  // ---- acceptor ---------------------------------------------------------------------------------

  private onPrepare(from: NodeId, msg: MPrepare, ctx: NodeContext<MultiPaxosMessage>): void {
    const { state, reply } = this.rules.onMultiPrepare(this.acceptor, msg);
    this.saveAcceptor(state, undefined, ctx);
    ctx.send(from, reply);
    // Promising someone else a higher number means this node's own leadership (or campaign) is over.
    if (reply.type === "promise" && from !== ctx.id && this.role !== "follower" && compareBallots(msg.n, this.ballot) > 0) {
      // With the fix, step back and let the rival finish; without it, jump straight above the rival (the livelock).
      if (this.fix || this.role === "leader") this.stepDown(ctx);
      else {
        this.rejections.push(msg.n);
        this.campaign(ctx, false);
        ctx.note(`Node ${ctx.id} sees node ${from}'s higher n=${formatBallot(msg.n)} and at once campaigns again, with n=${formatBallot(this.ballot)}.`);
      }
    }
  }

  private onAccept(from: NodeId, msg: MAccept, ctx: NodeContext<MultiPaxosMessage>): void {
    const { state, reply } = this.rules.onMultiAccept(this.acceptor, msg);
    this.saveAcceptor(state, msg.slot, ctx);
    if (reply.type === "nack") {
      ctx.send(from, reply);
      return;
    }
    for (const to of ctx.nodes) ctx.send(to, reply);
    if (from !== ctx.id) this.followLeader(from, msg.n, ctx);
  }

  private saveAcceptor(state: MultiAcceptorState, slot: number | undefined, ctx: NodeContext<MultiPaxosMessage>): void {
    if (state === this.acceptor) return;
    const before = this.acceptor;
    this.acceptor = state;
    this.version++;
    if (!sameBallot(before.promised, state.promised)) {
      const durable = this.rules.durablePromise(state.promised);
      if (durable === undefined) ctx.unpersist(PROMISED_KEY);
      else ctx.persist(PROMISED_KEY, durable);
    }
    if (slot !== undefined) {
      const entry = state.accepted.get(slot);
      if (entry !== undefined && entry !== before.accepted.get(slot)) ctx.persist(ACCEPTED_PREFIX + slot, entry);
    }
  }

  // ---- learner and state machine ----------------------------------------------------------------

  private learn(slot: number, v: Command, ctx: NodeContext<MultiPaxosMessage>): void {
    if (slot < this.log.length || this.chosenAhead.has(slot)) return;
    this.chosenAhead.set(slot, v);
    if (!this.chosenAhead.has(this.log.length)) return; // a hole before it: wait
    // Apply in slot order only (the state machine must see the same sequence everywhere), into fresh arrays
    // so that inspections taken earlier stay as they were.
    const log = [...this.log];
    const applied: Array<[number, Command]> = [];
    while (this.chosenAhead.has(log.length)) {
      const s = log.length;
      const command = this.chosenAhead.get(s) as Command;
      this.chosenAhead.delete(s);
      log.push(command);
      applied.push([s, command]);
    }
    this.log = log;
    this.executed = [...this.executed];
    this.version++;
    ctx.persist(LOG_KEY, log);
    for (const [s, command] of applied) {
      const first = this.execute(s, command);
      if (first !== undefined && first !== s && this.role === "leader" && command !== null) {
        ctx.note(`Leader ${ctx.id} applies slot ${s}: ${formatClientCommand(command)} again, a copy of the command it executed in slot ${first}. It knows the copy by its client and number and does not execute it a second time.`);
      }
      this.answerClient(s, command, first, ctx);
    }
  }

  /**
   * The state machine: run a client command unless its session shows it already ran. Returns the slot where the
   * command was first executed (undefined for a no-op, or a copy of a command older than its client's latest).
   */
  private execute(slot: number, command: Command): number | undefined {
    if (command === null) return undefined;
    const run = this.rules.executeOnce(this.sessions, slot, command);
    this.sessions = run.sessions;
    if (run.execute) this.executed.push(slot);
    return run.slot;
  }

  /**
   * Slot `slot` was applied with `command`, first executed at `first`: answer the client waiting on this node's
   * proposal there, or, when another leader's value won the slot, try the client's command again.
   */
  private answerClient(slot: number, command: Command, first: number | undefined, ctx: NodeContext<MultiPaxosMessage>): void {
    const mine = this.proposals.get(slot);
    if (mine === undefined) return;
    this.proposals.delete(slot);
    if (mine.requestId === undefined || mine.command === null) return;
    if (sameCommand(mine.command, command)) {
      if (first !== undefined) ctx.reply(mine.requestId, { slot: first, command: mine.command.op });
      return;
    }
    this.route({ command: mine.command, requestId: mine.requestId }, ctx);
  }

  /**
   * A command the state machine has already executed is answered from its client's session with the first
   * execution's result, and never proposed again. True when the command needs nothing more.
   */
  private answerIfExecuted(p: PendingCommand, ctx: NodeContext<MultiPaxosMessage>): boolean {
    const session = this.sessions.get(p.command.client);
    if (session === undefined || p.command.seq > session.seq) return false;
    // An older number than the session's was answered before its client moved on: nobody waits for it.
    if (p.command.seq === session.seq) ctx.reply(p.requestId, { slot: session.slot, command: p.command.op });
    return true;
  }

  // ---- leader election and phase 1 --------------------------------------------------------------

  private electionDelay(ctx: NodeContext<MultiPaxosMessage>): number {
    return this.fix ? ctx.rng.uniform(this.electionTimeout, 2 * this.electionTimeout) : this.electionTimeout;
  }

  /** Phase 1a for every slot not yet applied here, with a fresh, durable proposal number. */
  private campaign(ctx: NodeContext<MultiPaxosMessage>, announce = true): void {
    const ballot = this.rules.nextProposalNumber(this.rejections, Math.max(this.round, this.acceptor.promised?.round ?? 0), ctx.id);
    this.round = ballot.round;
    ctx.persist(ROUND_KEY, ballot.round);
    this.role = "candidate";
    this.ballot = ballot;
    this.leader = undefined;
    this.rejections = [];
    this.promises = new Map();
    this.phase1From = this.log.length;
    if (announce) ctx.note(`Node ${ctx.id} campaigns for leadership with n=${formatBallot(ballot)}, for every slot from ${this.phase1From} on.`);
    for (const to of ctx.nodes) ctx.send(to, { type: "prepare", n: ballot, from: this.phase1From });
  }

  private onPromise(from: NodeId, msg: MPromise, ctx: NodeContext<MultiPaxosMessage>): void {
    if (this.role !== "candidate" || !sameBallot(msg.n, this.ballot)) return;
    this.promises.set(from, msg);
    if (this.promises.size < this.quorums.phase1) return;
    this.becomeLeader(ctx);
  }

  private becomeLeader(ctx: NodeContext<MultiPaxosMessage>): void {
    const merge = this.rules.mergePhase1([...this.promises.values()], this.phase1From);
    this.role = "leader";
    this.leader = ctx.id;
    this.proposals = new Map();
    this.appliedBy = new Map();
    this.nextSlot = Math.max(merge.nextSlot, this.log.length);
    const reproposed = merge.proposals.filter(([, v]) => v !== null).map(([s, v]) => `${s}=${formatCommand(v)}`);
    const gaps = merge.proposals.filter(([, v]) => v === null).map(([s]) => s);
    ctx.note(
      `Node ${ctx.id} is leader with n=${formatBallot(this.ballot)} (promises from ${[...this.promises.keys()].sort((a, b) => a - b).join(", ")}). ` +
        (merge.proposals.length === 0
          ? "No acceptor reported an open slot, so there is nothing to recover."
          : `It re-proposes ${reproposed.length ? reproposed.join(", ") : "nothing"}${gaps.length ? ` and fills slot${gaps.length > 1 ? "s" : ""} ${gaps.join(", ")} with a no-op` : ""}.`),
    );
    for (const [slot, v] of merge.proposals) this.sendAccept(slot, v, undefined, ctx);
    for (const p of this.pending.splice(0)) this.propose(p, ctx);
    this.sendHeartbeats(ctx);
    ctx.setTimer("heartbeat", this.heartbeatInterval);
  }

  private onNack(msg: MNack, ctx: NodeContext<MultiPaxosMessage>): void {
    if (this.role === "follower" || !sameBallot(msg.n, this.ballot)) return;
    this.rejections.push(msg.promised);
    ctx.note(`Node ${ctx.id}: n=${formatBallot(msg.n)} was refused (an acceptor promised n=${formatBallot(msg.promised)}).`);
    if (this.fix || this.role === "leader") this.stepDown(ctx);
    else this.campaign(ctx); // without the fix: straight back in with a higher number
  }

  private stepDown(ctx: NodeContext<MultiPaxosMessage>): void {
    const wasLeader = this.role === "leader";
    this.role = "follower";
    this.leader = undefined;
    ctx.cancelTimer("heartbeat");
    // Commands this node was carrying go back to the queue, to be forwarded to whoever leads next.
    const unanswered: ClientCommand[] = [];
    for (const [, p] of this.proposals) {
      if (p.requestId === undefined || p.command === null) continue;
      this.pending.push({ command: p.command, requestId: p.requestId });
      unanswered.push(p.command);
    }
    this.proposals = new Map();
    if (wasLeader && unanswered.length > 0) {
      ctx.note(`Node ${ctx.id} is no longer leader. Its clients still wait for ${unanswered.map(formatClientCommand).join(", ")}: it will hand ${unanswered.length > 1 ? "them" : "it"} to the next leader.`);
    }
  }

  // ---- leader: phase 2, heartbeats, garbage collection -------------------------------------------

  /** A client command goes to the leader: answered if already executed, proposed here if this node leads, else forwarded, else held. */
  private route(p: PendingCommand, ctx: NodeContext<MultiPaxosMessage>): void {
    if (this.answerIfExecuted(p, ctx)) return;
    if (this.role === "leader") this.propose(p, ctx);
    else if (this.leader !== undefined && this.leader !== ctx.id) ctx.send(this.leader, { type: "forward", requestId: p.requestId, command: p.command });
    else this.pending.push(p);
  }

  /** Steady state: phase 2 only, in the next free slot (Paxos Made Simple §3). */
  private propose(p: PendingCommand, ctx: NodeContext<MultiPaxosMessage>): void {
    this.sendAccept(this.nextSlot++, p.command, p.requestId, ctx);
  }

  private sendAccept(slot: number, v: Command, requestId: number | undefined, ctx: NodeContext<MultiPaxosMessage>): void {
    this.proposals.set(slot, requestId === undefined ? { command: v, sentAt: ctx.now } : { command: v, requestId, sentAt: ctx.now });
    for (const to of ctx.nodes) ctx.send(to, { type: "accept", n: this.ballot as Ballot, slot, v });
  }

  private sendHeartbeats(ctx: NodeContext<MultiPaxosMessage>): void {
    this.appliedBy.set(ctx.id, this.log.length);
    const gcBelow = ctx.nodes.every((n) => this.appliedBy.has(n)) ? Math.min(...ctx.nodes.map((n) => this.appliedBy.get(n) as number)) : this.gcBelow;
    this.collectGarbage(gcBelow, ctx);
    const hb: Heartbeat = { type: "heartbeat", n: this.ballot as Ballot, applied: this.log.length, gcBelow: this.gcBelow };
    ctx.broadcast(hb);
    // Accepts may have been lost: send again those open for a whole heartbeat interval.
    for (const [slot, p] of this.proposals) {
      if (slot < this.log.length || this.chosenAhead.has(slot) || ctx.now - p.sentAt < this.heartbeatInterval) continue;
      p.sentAt = ctx.now;
      for (const to of ctx.nodes) ctx.send(to, { type: "accept", n: this.ballot as Ballot, slot, v: p.command });
    }
  }

  private onHeartbeat(from: NodeId, msg: Heartbeat, ctx: NodeContext<MultiPaxosMessage>): void {
    if (compareBallots(msg.n, this.acceptor.promised) < 0) {
      // A deposed leader: tell it about the higher promise so it steps down.
      ctx.send(from, { type: "nack", phase: "accept", n: msg.n, promised: this.acceptor.promised as Ballot });
      return;
    }
    this.followLeader(from, msg.n, ctx);
    ctx.send(from, { type: "status", applied: this.log.length });
    if (msg.applied > this.log.length) ctx.send(from, { type: "catchup", from: this.log.length });
    this.collectGarbage(Math.min(msg.gcBelow, this.log.length), ctx);
  }

  /** A message from a leader at least as recent as our promise: follow it, and hand it any held commands. */
  private followLeader(from: NodeId, n: Ballot, ctx: NodeContext<MultiPaxosMessage>): void {
    if (this.role !== "follower" && compareBallots(n, this.ballot) > 0) this.stepDown(ctx);
    if (this.role !== "follower") return;
    this.leader = from;
    ctx.setTimer("election", this.electionDelay(ctx));
    for (const p of this.pending.splice(0)) ctx.send(from, { type: "forward", requestId: p.requestId, command: p.command });
  }

  /** Every replica has applied the slots below `below`: their per-slot Paxos state is no longer needed. */
  private collectGarbage(below: number, ctx: NodeContext<MultiPaxosMessage>): void {
    if (below <= this.gcBelow) return;
    const accepted = new Map(this.acceptor.accepted);
    const tally = new Map(this.tally);
    for (const slot of this.acceptor.accepted.keys()) {
      if (slot >= below) continue;
      accepted.delete(slot);
      ctx.unpersist(ACCEPTED_PREFIX + slot);
    }
    for (const slot of this.tally.keys()) if (slot < below) tally.delete(slot);
    this.acceptor = { ...this.acceptor, accepted };
    this.tally = tally;
    this.gcBelow = below;
    this.version++;
  }
}
