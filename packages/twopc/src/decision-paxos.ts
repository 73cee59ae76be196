// The decision replicated with consensus: per transaction, one Basic Paxos instance whose value is COMMIT or ABORT.

import { canonicalText, type NodeContext, type NodeId } from "@course/sim";
import { canonicalTally, chooseValue, formatBallot, learnFromAccepted, majority, nextProposalNumber, onAccept, onPrepare, sameBallot, type AcceptedTally, type AcceptorState, type Ballot } from "@course/paxos";
import type { Decision, DecisionPaxosMessage, PaxosPromise, TwoPcMessage, TxnId } from "./messages.js";

export interface DecisionPaxosOptions {
  /** The nodes whose acceptors hold the decision; any majority of them decides. */
  readonly acceptors: readonly NodeId[];
  /** How long a proposer waits for a phase before it gives up on the round (ms). */
  readonly phaseTimeout: number;
  /** A refused round is retried after a random wait in [0, backoffBase * 2^(attempt - 1)) ms. */
  readonly backoffBase: number;
}

interface Round {
  readonly ballot: Ballot;
  readonly phase: "prepare" | "accept" | "backoff";
  /** What this node asked to be chosen; the value it sends may be another one that a promise reported. */
  readonly ownValue: Decision;
  readonly promises: ReadonlyMap<NodeId, PaxosPromise>;
  readonly rejections: readonly Ballot[];
  readonly attempts: number;
  tally: AcceptedTally;
}

const ACCEPTOR_PREFIX = "paxos-acceptor:";
const ROUND_PREFIX = "paxos-round:";
const PHASE_TIMER = "paxos-phase:";
const RETRY_TIMER = "paxos-retry:";

/**
 * One node's share of every decision instance: an acceptor (its promise and accepted decision are persisted
 * before it answers, Paxos Made Simple §2.3) and, when asked to, a proposer that learns the outcome. The
 * acceptors answer only the proposer (a distinguished learner, §2.3), which then tells the participants.
 */
export class DecisionPaxos {
  private readonly acceptorStates = new Map<TxnId, AcceptorState>();
  private readonly rounds = new Map<TxnId, Round>();
  private readonly learned = new Map<TxnId, Decision>();

  constructor(
    private readonly options: DecisionPaxosOptions,
    ctx: NodeContext<TwoPcMessage>,
  ) {
    for (const key of ctx.storage.keys()) {
      if (key.startsWith(ACCEPTOR_PREFIX)) this.acceptorStates.set(key.slice(ACCEPTOR_PREFIX.length), ctx.storage.get<AcceptorState>(key) as AcceptorState);
    }
  }

  /** Whether this node is running a round for the transaction (or waiting to retry one). */
  isProposing(txn: TxnId): boolean {
    return this.rounds.has(txn);
  }

  /** The decision this node asked to have chosen, while its round for the transaction is running. */
  proposing(txn: TxnId): Decision | undefined {
    return this.rounds.get(txn)?.ownValue;
  }

  /** Transactions this node is running a round for. */
  proposingTxns(): TxnId[] {
    return [...this.rounds.keys()];
  }

  /** This node's acceptor state for a transaction, for inspection and the charts. */
  acceptor(txn: TxnId): AcceptorState | undefined {
    return this.acceptorStates.get(txn);
  }

  /** Transactions this node's acceptor has answered for. */
  acceptorTxns(): TxnId[] {
    return [...this.acceptorStates.keys()];
  }

  /**
   * Everything of this module that decides what the node does next (for an exhaustive search), node ids passed
   * through `rename`. Ballots keep their ids: they order proposals, so a search does not rename them.
   */
  canonical(rename: (id: NodeId) => NodeId): string {
    const rounds = [...this.rounds].map(([txn, r]) => [
      txn,
      { ...r, promises: new Map([...r.promises].map(([id, p]) => [rename(id), p])), tally: canonicalTally(r.tally, rename) },
    ]);
    return canonicalText([this.acceptorStates, new Map(rounds as Array<[TxnId, unknown]>), this.learned]);
  }

  /** Phase 1a: ask the acceptors to promise a fresh number, hoping to get `value` chosen. */
  propose(txn: TxnId, value: Decision, ctx: NodeContext<TwoPcMessage>): void {
    const before = this.rounds.get(txn);
    const used = Math.max(before?.ballot.round ?? 0, ctx.storage.get<number>(ROUND_PREFIX + txn) ?? 0);
    const ballot = nextProposalNumber(before?.rejections ?? [], used, ctx.id);
    // Durable before the prepare leaves, so a restarted proposer never reuses a number.
    ctx.persist(ROUND_PREFIX + txn, ballot.round);
    this.rounds.set(txn, { ballot, phase: "prepare", ownValue: value, promises: new Map(), rejections: [], attempts: (before?.attempts ?? 0) + 1, tally: {} });
    for (const to of this.options.acceptors) ctx.send(to, { type: "paxos-prepare", txn, n: ballot });
    ctx.setTimer(PHASE_TIMER + txn, this.options.phaseTimeout);
  }

  /** Handles one Paxos message; returns the decision when this message lets the node learn it. */
  onMessage(from: NodeId, msg: DecisionPaxosMessage, ctx: NodeContext<TwoPcMessage>): Decision | undefined {
    switch (msg.type) {
      case "paxos-prepare": {
        const { state, reply } = onPrepare(this.acceptorStates.get(msg.txn) ?? {}, { type: "prepare", n: msg.n });
        this.saveAcceptor(msg.txn, state, ctx);
        if (reply.type === "nack") ctx.send(from, { type: "paxos-nack", txn: msg.txn, phase: "prepare", n: msg.n, promised: reply.promised });
        else if (reply.accepted === undefined) ctx.send(from, { type: "paxos-promise", txn: msg.txn, n: msg.n });
        else ctx.send(from, { type: "paxos-promise", txn: msg.txn, n: msg.n, accepted: { n: reply.accepted.n, v: reply.accepted.v as Decision } });
        return undefined;
      }
      case "paxos-accept": {
        const { state, reply } = onAccept(this.acceptorStates.get(msg.txn) ?? {}, { type: "accept", n: msg.n, v: msg.v });
        this.saveAcceptor(msg.txn, state, ctx);
        if (reply.type === "nack") ctx.send(from, { type: "paxos-nack", txn: msg.txn, phase: "accept", n: msg.n, promised: reply.promised });
        else ctx.send(from, { type: "paxos-accepted", txn: msg.txn, n: msg.n, v: msg.v });
        return undefined;
      }
      case "paxos-promise":
        this.onPromise(from, msg, ctx);
        return undefined;
      case "paxos-accepted":
        return this.onAccepted(from, msg.txn, msg.n, msg.v, ctx);
      case "paxos-nack": {
        const round = this.rounds.get(msg.txn);
        if (round === undefined || round.phase === "backoff" || !sameBallot(round.ballot, msg.n)) return undefined;
        ctx.note(`Node ${ctx.id}: its ${msg.phase} n=${formatBallot(msg.n)} for ${msg.txn}'s decision was refused (an acceptor promised n=${formatBallot(msg.promised)}); it will retry with a higher number.`);
        this.retryLater(msg.txn, { ...round, rejections: [...round.rejections, msg.promised] }, ctx);
        return undefined;
      }
    }
  }

  /** Handles this module's timers; returns false for a timer that is not its own. */
  onTimer(name: string, ctx: NodeContext<TwoPcMessage>): boolean {
    if (name.startsWith(RETRY_TIMER)) {
      const txn = name.slice(RETRY_TIMER.length);
      const round = this.rounds.get(txn);
      if (round?.phase === "backoff" && !this.learned.has(txn)) this.propose(txn, round.ownValue, ctx);
      return true;
    }
    if (name.startsWith(PHASE_TIMER)) {
      const txn = name.slice(PHASE_TIMER.length);
      const round = this.rounds.get(txn);
      if (round === undefined || round.phase === "backoff") return true;
      ctx.note(`Node ${ctx.id}: no majority of acceptors answered its ${round.phase} n=${formatBallot(round.ballot)} for ${txn}'s decision in time; it will retry with a higher number.`);
      this.retryLater(txn, round, ctx);
      return true;
    }
    return false;
  }

  private onPromise(from: NodeId, msg: PaxosPromise, ctx: NodeContext<TwoPcMessage>): void {
    const round = this.rounds.get(msg.txn);
    if (round === undefined || round.phase !== "prepare" || !sameBallot(round.ballot, msg.n)) return;
    const promises = new Map(round.promises).set(from, msg);
    this.rounds.set(msg.txn, { ...round, promises });
    if (promises.size < majority(this.options.acceptors.length)) return;
    // Phase 2a: the value rule of Paxos. A decision some acceptor already accepted may be chosen, so it wins.
    const value = chooseValue([...promises.values()], round.ownValue) as Decision;
    const who = [...promises.keys()].sort((a, b) => a - b).join(", ");
    ctx.note(
      value === round.ownValue
        ? `Node ${ctx.id} has promises for n=${formatBallot(round.ballot)} from a majority of acceptors (${who}), none of which accepted a decision for ${msg.txn}: it asks them to accept ${value.toUpperCase()}.`
        : `Node ${ctx.id} has promises for n=${formatBallot(round.ballot)} from a majority of acceptors (${who}). It wanted ${round.ownValue.toUpperCase()}, but a promise reports ${value.toUpperCase()} already accepted, so Paxos makes it propose ${value.toUpperCase()}.`,
    );
    this.rounds.set(msg.txn, { ...round, promises, phase: "accept" });
    for (const to of this.options.acceptors) ctx.send(to, { type: "paxos-accept", txn: msg.txn, n: round.ballot, v: value });
    ctx.setTimer(PHASE_TIMER + msg.txn, this.options.phaseTimeout);
  }

  private onAccepted(from: NodeId, txn: TxnId, n: Ballot, v: Decision, ctx: NodeContext<TwoPcMessage>): Decision | undefined {
    const round = this.rounds.get(txn);
    if (round === undefined || this.learned.has(txn)) return undefined;
    const step = learnFromAccepted(round.tally, from, { type: "accepted", n, v }, this.options.acceptors.length);
    round.tally = step.tally;
    if (step.chosen === undefined) return undefined;
    const decision = step.chosen as Decision;
    this.learned.set(txn, decision);
    this.rounds.delete(txn);
    ctx.cancelTimer(PHASE_TIMER + txn);
    ctx.cancelTimer(RETRY_TIMER + txn);
    ctx.note(`Node ${ctx.id} learns that ${decision.toUpperCase()} is chosen for ${txn}: a majority of acceptors accepted n=${formatBallot(n)}.`);
    return decision;
  }

  private retryLater(txn: TxnId, round: Round, ctx: NodeContext<TwoPcMessage>): void {
    ctx.cancelTimer(PHASE_TIMER + txn);
    this.rounds.set(txn, { ...round, phase: "backoff" });
    ctx.setTimer(RETRY_TIMER + txn, ctx.rng.uniform(0, this.options.backoffBase * 2 ** Math.min(round.attempts - 1, 5)));
  }

  private saveAcceptor(txn: TxnId, state: AcceptorState, ctx: NodeContext<TwoPcMessage>): void {
    if (state === this.acceptorStates.get(txn)) return;
    this.acceptorStates.set(txn, state);
    ctx.persist(ACCEPTOR_PREFIX + txn, state);
  }
}
