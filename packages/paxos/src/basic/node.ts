// A Basic Paxos node: every node is an acceptor and a learner, and becomes a proposer when a client asks it to.

import { canonicalText, type ClientRequest, type NodeContext, type NodeFactory, type NodeId, type SimNode } from "@course/sim";
import { compareBallots, formatBallot, sameBallot, type Ballot } from "../ballot.js";
import { majority } from "../quorum.js";
import type { AcceptorState } from "./acceptor.js";
import { canonicalTally, type AcceptedTally } from "./learner.js";
import type { Nack, PaxosMessage, PromiseMsg, Value } from "./messages.js";
import { withPaxosRules, type PaxosRules } from "./rules.js";

export interface PaxosNodeOptions {
  /** Replace any rule (a student's function, or a deliberately broken one). */
  readonly rules?: Partial<PaxosRules>;
  /**
   * Randomized exponential backoff (default true): a proposer whose round failed waits a random time, drawn from a
   * range that doubles with every failure, before it retries. It makes a duel between proposers end with
   * probability 1 but guarantees no bound. Off, a proposer that sees a rival's higher number starts again at once,
   * and two proposers can pre-empt each other forever.
   */
  readonly backoff?: boolean;
  /**
   * The fix Paxos Made Simple §2.4 gives for progress: one distinguished proposer is the only node that issues
   * proposals; every other node forwards its client's value to it. Unset (the default), every node proposes.
   */
  readonly distinguishedProposer?: NodeId;
  /** How long a proposer waits for a phase to finish before giving up on the round (ms, default 50). */
  readonly phaseTimeout?: number;
  /** The first backoff is drawn from [0, backoffBase) ms and the range doubles with every failed round (default 30). */
  readonly backoffBase?: number;
}

export type ProposerPhase = "idle" | "prepare" | "accept" | "backoff" | "done";

export interface ProposerState {
  readonly phase: ProposerPhase;
  /** The highest round this proposer has used (durable, so a restarted proposer never reuses a number). */
  readonly round: number;
  readonly ballot?: Ballot;
  /** The value a client asked this proposer to get chosen. */
  readonly ownValue?: Value;
  /** The value sent in phase 2 (its own, or one adopted from a promise). */
  readonly proposing?: Value;
  readonly promises: ReadonlyMap<NodeId, PromiseMsg>;
  readonly rejections: readonly Ballot[];
  /** Rounds started so far. */
  readonly attempts: number;
}

/** What checkers, tests and scenarios may read from a live node. */
export interface BasicPaxosInspection {
  readonly acceptor: AcceptorState;
  readonly learned?: Value;
  readonly proposer: ProposerState;
}

export interface BasicPaxosNode extends SimNode<PaxosMessage> {
  inspect(): BasicPaxosInspection;
}

const ACCEPTOR_KEY = "acceptor";
const ROUND_KEY = "round";
const LEARNED_KEY = "learned";

/** A factory for the simulator: `new Simulation({ createNode: createPaxosNode(), ... })`. */
export function createPaxosNode(options: PaxosNodeOptions = {}): NodeFactory<PaxosMessage> {
  return (ctx) => new PaxosNode(ctx, options);
}

class PaxosNode implements BasicPaxosNode {
  private readonly rules: PaxosRules;
  private readonly backoff: boolean;
  private readonly phaseTimeout: number;
  private readonly backoffBase: number;
  private readonly distinguished: NodeId | undefined;
  private acceptor: AcceptorState;
  private learned: Value | undefined;
  private tally: AcceptedTally = {};
  private proposer: ProposerState;
  private readonly waiting: number[] = [];
  /** A client's value this node has handed to the distinguished proposer. */
  private forwarding: Value | undefined;

  constructor(ctx: NodeContext<PaxosMessage>, options: PaxosNodeOptions) {
    this.rules = withPaxosRules(options.rules);
    this.backoff = options.backoff ?? true;
    this.phaseTimeout = options.phaseTimeout ?? 50;
    this.backoffBase = options.backoffBase ?? 30;
    this.distinguished = options.distinguishedProposer;
    // A restart gets back only what was persisted.
    this.acceptor = ctx.storage.get<AcceptorState>(ACCEPTOR_KEY) ?? {};
    this.learned = ctx.storage.get<Value>(LEARNED_KEY);
    this.proposer = { phase: "idle", round: ctx.storage.get<number>(ROUND_KEY) ?? 0, promises: new Map(), rejections: [], attempts: 0 };
  }

  inspect(): BasicPaxosInspection {
    return this.learned === undefined ? { acceptor: this.acceptor, proposer: this.proposer } : { acceptor: this.acceptor, learned: this.learned, proposer: this.proposer };
  }

  view(): unknown {
    const p = this.proposer;
    return {
      role: p.phase === "idle" ? "acceptor" : "proposer",
      promised: formatBallot(this.acceptor.promised),
      accepted: this.acceptor.accepted === undefined ? null : { n: formatBallot(this.acceptor.accepted.n), v: this.acceptor.accepted.v },
      learned: this.learned ?? null,
      proposer: p.phase === "idle" ? null : { phase: p.phase, ballot: formatBallot(p.ballot), value: p.proposing ?? p.ownValue ?? null, promises: [...p.promises.keys()] },
    };
  }

  /**
   * Everything that decides what this node does next (for an exhaustive search). Ballots order node ids, so ids are
   * never renamed; `attempts` only stretches the backoff delay and is left out.
   */
  canonical(): string {
    const { attempts: _attempts, ...proposer } = this.proposer;
    return canonicalText([this.acceptor, this.learned, canonicalTally(this.tally), proposer, this.waiting]);
  }

  onClientRequest(request: ClientRequest, ctx: NodeContext<PaxosMessage>): void {
    if (this.learned !== undefined) {
      ctx.reply(request.id, { chosen: this.learned });
      return;
    }
    this.waiting.push(request.id);
    if (this.distinguished !== undefined && this.distinguished !== ctx.id) {
      // Not the distinguished proposer: hand the value over, and hear the outcome as a learner.
      this.forwarding = valueOf(request.op);
      this.forward(ctx);
      return;
    }
    this.propose(valueOf(request.op), ctx);
  }

  /** Become a proposer for `value`, unless already working on a value (the client then hears that outcome). */
  private propose(value: Value, ctx: NodeContext<PaxosMessage>): void {
    if (this.proposer.ownValue !== undefined || this.learned !== undefined) return;
    this.proposer = { ...this.proposer, ownValue: value };
    this.startRound(ctx);
  }

  /** Send the client's value to the distinguished proposer, and again later in case it was lost. */
  private forward(ctx: NodeContext<PaxosMessage>): void {
    if (this.forwarding === undefined || this.learned !== undefined) return;
    ctx.send(this.distinguished as NodeId, { type: "forward", v: this.forwarding });
    ctx.setTimer("forward", this.phaseTimeout * 2);
  }

  onMessage(from: NodeId, msg: PaxosMessage, ctx: NodeContext<PaxosMessage>): void {
    switch (msg.type) {
      case "prepare": {
        const { state, reply } = this.rules.onPrepare(this.acceptor, msg);
        this.saveAcceptor(state, ctx);
        ctx.send(from, reply);
        if (!this.backoff && reply.type === "promise" && from !== ctx.id) this.preemptAt(msg.n, ctx);
        return;
      }
      case "accept": {
        const { state, reply } = this.rules.onAccept(this.acceptor, msg);
        this.saveAcceptor(state, ctx);
        // Accepted goes to every learner (Paxos Made Simple §2.3); a refusal only to the proposer.
        if (reply.type === "accepted") for (const to of ctx.nodes) ctx.send(to, reply);
        else ctx.send(from, reply);
        return;
      }
      case "promise":
        return this.onPromise(from, msg, ctx);
      case "nack":
        return this.onNack(msg, ctx);
      case "forward":
        return this.propose(msg.v, ctx);
      case "accepted": {
        const step = this.rules.learnFromAccepted(this.tally, from, msg, ctx.nodes.length);
        this.tally = step.tally;
        if (step.chosen !== undefined && this.learned === undefined) this.learn(step.chosen, msg.n, ctx);
        return;
      }
    }
  }

  onTimer(name: string, ctx: NodeContext<PaxosMessage>): void {
    const p = this.proposer;
    if (name === "forward") return this.forward(ctx);
    if (name === "retry" && p.phase === "backoff") return this.startRound(ctx);
    if (name !== "phase" || (p.phase !== "prepare" && p.phase !== "accept")) return;
    const need = majority(ctx.nodes.length);
    ctx.note(
      p.phase === "prepare"
        ? `Proposer ${ctx.id}: not enough promises for n=${formatBallot(p.ballot)}: got ${p.promises.size}, need ${need}. The round fails; it will retry with a higher number.`
        : `Proposer ${ctx.id}: no majority accepted n=${formatBallot(p.ballot)} in time; it will retry with a higher number.`,
    );
    this.retryLater(ctx);
  }

  private saveAcceptor(state: AcceptorState, ctx: NodeContext<PaxosMessage>): void {
    if (state === this.acceptor) return;
    this.acceptor = state;
    ctx.persist(ACCEPTOR_KEY, this.rules.durableAcceptorState(state));
  }

  /** Phase 1a: pick a fresh number, make it durable, and ask every acceptor to promise. */
  private startRound(ctx: NodeContext<PaxosMessage>): void {
    const p = this.proposer;
    const ballot = this.rules.nextProposalNumber(p.rejections, p.round, ctx.id);
    ctx.persist(ROUND_KEY, ballot.round);
    this.proposer = { phase: "prepare", round: ballot.round, ballot, ownValue: p.ownValue, promises: new Map(), rejections: [], attempts: p.attempts + 1 };
    for (const to of ctx.nodes) ctx.send(to, { type: "prepare", n: ballot });
    ctx.setTimer("phase", this.phaseTimeout);
  }

  private onPromise(from: NodeId, msg: PromiseMsg, ctx: NodeContext<PaxosMessage>): void {
    const p = this.proposer;
    if (p.phase !== "prepare" || !sameBallot(msg.n, p.ballot) || p.ownValue === undefined) return;
    const promises = new Map(p.promises).set(from, msg);
    this.proposer = { ...p, promises };
    if (promises.size < majority(ctx.nodes.length)) return;
    // Phase 2a: a majority promised; send accept with the value the rules allow.
    const value = this.rules.chooseValue([...promises.values()], p.ownValue);
    const adopted = value !== p.ownValue;
    ctx.note(
      `Proposer ${ctx.id} has ${promises.size} promises for n=${formatBallot(p.ballot)} (from ${[...promises.keys()].sort((a, b) => a - b).join(", ")}), a majority: phase 2 with ` +
        (adopted ? `value '${value}', adopted because an acceptor reported it already accepted it.` : `its own value '${value}', since no acceptor reported an accepted value.`),
    );
    this.proposer = { ...this.proposer, phase: "accept", proposing: value };
    for (const to of ctx.nodes) ctx.send(to, { type: "accept", n: p.ballot as Ballot, v: value });
    ctx.setTimer("phase", this.phaseTimeout);
  }

  private onNack(msg: Nack, ctx: NodeContext<PaxosMessage>): void {
    const p = this.proposer;
    if ((p.phase !== "prepare" && p.phase !== "accept") || !sameBallot(msg.n, p.ballot)) return;
    this.proposer = { ...p, rejections: [...p.rejections, msg.promised] };
    ctx.note(`Proposer ${ctx.id}: n=${formatBallot(p.ballot)} was refused; an acceptor has promised n=${formatBallot(msg.promised)}. It gives up this round.`);
    this.retryLater(ctx);
  }

  /** Abandon the round; with backoff on, wait a random time that grows with each failure before trying again. */
  private retryLater(ctx: NodeContext<PaxosMessage>): void {
    const p = this.proposer;
    ctx.cancelTimer("phase");
    if (!this.backoff) return this.startRound(ctx);
    this.proposer = { ...p, phase: "backoff" };
    ctx.setTimer("retry", ctx.rng.uniform(0, this.backoffBase * 2 ** Math.min(p.attempts - 1, 5)));
  }

  /**
   * Without backoff, a proposer that sees a rival's higher number jumps straight above it. This eagerness is
   * what makes dueling proposers livelock: each new prepare lands before the rival's accept.
   */
  private preemptAt(rival: Ballot, ctx: NodeContext<PaxosMessage>): void {
    const p = this.proposer;
    if ((p.phase !== "prepare" && p.phase !== "accept") || compareBallots(rival, p.ballot) <= 0) return;
    ctx.note(`Proposer ${ctx.id} sees proposer ${rival.node}'s higher n=${formatBallot(rival)} and at once starts again above it.`);
    this.proposer = { ...p, rejections: [...p.rejections, rival] };
    this.retryLater(ctx);
  }

  private learn(value: Value, n: Ballot, ctx: NodeContext<PaxosMessage>): void {
    this.learned = value;
    ctx.persist(LEARNED_KEY, value);
    ctx.note(`Learner ${ctx.id} learns '${value}': a majority of acceptors accepted n=${formatBallot(n)}.`);
    if (this.proposer.phase !== "idle") {
      ctx.cancelTimer("phase");
      ctx.cancelTimer("retry");
      this.proposer = { ...this.proposer, phase: "done" };
    }
    ctx.cancelTimer("forward");
    for (const id of this.waiting.splice(0)) ctx.reply(id, { chosen: value });
  }
}

function valueOf(op: unknown): Value {
  return typeof op === "string" ? op : JSON.stringify(op);
}

