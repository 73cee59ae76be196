// A two-phase commit node: the coordinator (first node by default) or a participant, on the simulator.

import { canonicalText, type ClientRequest, type NodeContext, type NodeFactory, type NodeId, type SimNode } from "@course/sim";
import { formatBallot, type AcceptorState } from "@course/paxos";
import { DecisionPaxos } from "./decision-paxos.js";
import { isDecisionPaxosMessage, type Decision, type TwoPcMessage, type TxnId } from "./messages.js";
import type { ParticipantTxnState } from "./participant.js";
import { withTwoPcRules, type TwoPcRules } from "./rules.js";

/**
 * Replicate the decision with consensus instead of keeping it only in the coordinator's log. The coordinator gets
 * its decision chosen by a majority of acceptors before it tells anyone; a participant that has been in doubt
 * for a while runs a Paxos round itself, proposing ABORT, which the value rule of Paxos turns into whatever may
 * already have been chosen. No single node then holds the only copy of the decision.
 */
export interface ReplicatedDecisionOptions {
  /** The nodes that keep the decision (default: every node). */
  readonly acceptors?: readonly NodeId[];
  /**
   * How long the first participant waits in doubt before it runs a round itself (ms, default 300). The k-th
   * participant waits k times as long, so that in-doubt participants take turns instead of dueling.
   */
  readonly recoveryTimeout?: number;
  /** How long a proposer waits for a phase of the decision's Paxos round (ms, default 50). */
  readonly phaseTimeout?: number;
  /** Backoff before a refused round is retried: a random wait in [0, base * 2^(attempt - 1)) ms (default 30). */
  readonly backoffBase?: number;
}

export interface TwoPcNodeOptions {
  readonly rules?: Partial<TwoPcRules>;
  /** Which node coordinates (default: the first node). */
  readonly coordinator?: NodeId;
  /** Participants that vote no on every transaction. */
  readonly votesNo?: readonly NodeId[];
  /** Chance that a participant votes no, drawn from its own random numbers (default 0). */
  readonly noProbability?: number;
  /** How long the coordinator waits for votes before aborting (ms, default 100). */
  readonly voteTimeout?: number;
  /** How often an in-doubt participant asks for the decision, and the coordinator re-sends it (ms, default 100). */
  readonly retryInterval?: number;
  /** Keep the decision with consensus rather than in the coordinator's log alone (see ReplicatedDecisionOptions). */
  readonly replicateDecision?: ReplicatedDecisionOptions;
}

export interface TwoPcInspection {
  readonly role: "coordinator" | "participant";
  /** A participant's state per transaction. */
  readonly txns: Readonly<Record<TxnId, ParticipantTxnState>>;
  /** The coordinator's decisions. */
  readonly decisions: Readonly<Record<TxnId, Decision>>;
  /** With a replicated decision: this node's acceptor state per transaction. */
  readonly acceptors?: Readonly<Record<TxnId, AcceptorState>>;
  /** With a replicated decision: what this node asked to have chosen, per transaction it is running a round for. */
  readonly proposals?: Readonly<Record<TxnId, Decision>>;
}

export interface TwoPcNode extends SimNode<TwoPcMessage> {
  inspect(): TwoPcInspection;
}

/** A transaction this node decides or announces: the coordinator's, or a recovering participant's. */
interface CoordinatorTxn {
  readonly votes: Map<NodeId, boolean>;
  readonly requestIds: number[];
  decision?: Decision;
  /** With a replicated decision: a Paxos round for it has started and its outcome is not known yet. */
  proposed?: boolean;
  readonly acked: Set<NodeId>;
}

const TXN_PREFIX = "txn:";
const DECISION_PREFIX = "decision:";

export function createTwoPcNode(options: TwoPcNodeOptions = {}): NodeFactory<TwoPcMessage> {
  return (ctx) => new TwoPcReplica(ctx, options);
}

class TwoPcReplica implements TwoPcNode {
  private readonly rules: TwoPcRules;
  private readonly coordinator: NodeId;
  private readonly participants: readonly NodeId[];
  private readonly voteTimeout: number;
  private readonly retryInterval: number;
  private readonly willCommit: () => boolean;
  private readonly txns: Record<TxnId, ParticipantTxnState> = {};
  private readonly decisions: Record<TxnId, Decision> = {};
  private readonly running = new Map<TxnId, CoordinatorTxn>();
  /** Decisions this participant has heard (from a decision message, or by learning the Paxos instance itself). */
  private readonly heard: Record<TxnId, Decision> = {};
  private readonly consensus: DecisionPaxos | undefined;
  private readonly recoveryTimeout: number;
  private coordinatorFlag = false;

  constructor(ctx: NodeContext<TwoPcMessage>, options: TwoPcNodeOptions) {
    this.rules = withTwoPcRules(options.rules);
    this.coordinator = options.coordinator ?? (ctx.nodes[0] as NodeId);
    this.participants = ctx.nodes.filter((n) => n !== this.coordinator);
    this.voteTimeout = options.voteTimeout ?? 100;
    this.retryInterval = options.retryInterval ?? 100;
    const alwaysNo = (options.votesNo ?? []).includes(ctx.id);
    const p = options.noProbability ?? 0;
    this.willCommit = () => !alwaysNo && !ctx.rng.chance(p);
    const replicated = options.replicateDecision;
    this.recoveryTimeout = replicated?.recoveryTimeout ?? 300;
    this.consensus =
      replicated === undefined
        ? undefined
        : new DecisionPaxos({ acceptors: replicated.acceptors ?? ctx.nodes, phaseTimeout: replicated.phaseTimeout ?? 50, backoffBase: replicated.backoffBase ?? 30 }, ctx);
    if (ctx.id === this.coordinator) this.recoverCoordinator(ctx);
    else this.recoverParticipant(ctx);
  }

  inspect(): TwoPcInspection {
    const base = { role: this.coordinatorFlag ? ("coordinator" as const) : ("participant" as const), txns: this.txns, decisions: this.decisions };
    const consensus = this.consensus;
    if (consensus === undefined) return base;
    return {
      ...base,
      acceptors: Object.fromEntries(consensus.acceptorTxns().map((txn) => [txn, consensus.acceptor(txn) as AcceptorState])),
      proposals: Object.fromEntries(consensus.proposingTxns().map((txn) => [txn, consensus.proposing(txn) as Decision])),
    };
  }

  view(): unknown {
    const base = this.coordinatorFlag ? { role: "coordinator", decisions: { ...this.decisions } } : { role: "participant", txns: { ...this.txns } };
    // With a replicated decision the charts show this node's acceptor for the newest transaction it voted on.
    const txn = this.consensus?.acceptorTxns().at(-1);
    const acc = txn === undefined ? undefined : this.consensus?.acceptor(txn);
    if (txn === undefined || acc === undefined) return base;
    // What this node knows was chosen, shown as the acceptor table's "learned" column.
    const learned = this.coordinatorFlag ? this.decisions[txn] : this.heard[txn];
    return { ...base, acceptor: { txn, promised: formatBallot(acc.promised), accepted: acc.accepted === undefined ? null : { n: formatBallot(acc.accepted.n), v: acc.accepted.v } }, learned: learned ?? null };
  }

  /** Everything that decides what this node does next (for an exhaustive search), node ids passed through `rename`. */
  canonical(rename: (id: NodeId) => NodeId = (id) => id): string {
    const running = [...this.running].map(([txn, t]) => [txn, new Map([...t.votes].map(([n, yes]) => [rename(n), yes])), t.requestIds, t.decision, t.proposed, new Set([...t.acked].map(rename))]);
    return canonicalText([this.coordinatorFlag, this.txns, this.decisions, new Map(running.map(([txn, ...rest]) => [txn, rest])), this.heard, this.consensus?.canonical(rename)]);
  }

  // ---- start-up -----------------------------------------------------------------------------------

  private recoverCoordinator(ctx: NodeContext<TwoPcMessage>): void {
    this.coordinatorFlag = true;
    for (const key of ctx.storage.keys()) {
      if (!key.startsWith(DECISION_PREFIX)) continue;
      const txn = key.slice(DECISION_PREFIX.length);
      const decision = ctx.storage.get<Decision>(key) as Decision;
      this.decisions[txn] = decision;
      // Acks were not durable: tell every participant again.
      this.running.set(txn, { votes: new Map(), requestIds: [], decision, acked: new Set() });
      if (ctx.now > 0) ctx.note(`Coordinator ${ctx.id} restarts and finds its logged decision for ${txn}: ${decision.toUpperCase()}. It tells every participant.`);
      this.sendDecision(txn, ctx);
    }
  }

  private recoverParticipant(ctx: NodeContext<TwoPcMessage>): void {
    for (const key of ctx.storage.keys()) {
      if (!key.startsWith(TXN_PREFIX)) continue;
      const txn = key.slice(TXN_PREFIX.length);
      const before = ctx.storage.get<ParticipantTxnState>(key) as ParticipantTxnState;
      this.txns[txn] = before;
      const { state, action } = this.rules.recover(before);
      this.setTxn(txn, state, ctx);
      if (action === "ask-coordinator") {
        ctx.note(
          this.consensus === undefined
            ? `Participant ${ctx.id} restarts prepared for ${txn}: it is in doubt and can only ask the coordinator.`
            : `Participant ${ctx.id} restarts prepared for ${txn}: it is in doubt; it asks the coordinator, and will ask the acceptors if that takes too long.`,
        );
        this.askCoordinator(txn, ctx);
        this.armRecovery(txn, ctx);
      }
    }
  }

  // ---- handlers -----------------------------------------------------------------------------------

  onClientRequest(request: ClientRequest, ctx: NodeContext<TwoPcMessage>): void {
    const txn = typeof request.op === "string" ? request.op : JSON.stringify(request.op);
    if (!this.coordinatorFlag) {
      ctx.reply(request.id, { error: `node ${ctx.id} is not the coordinator (node ${this.coordinator} is)` });
      return;
    }
    const known = this.running.get(txn);
    if (known?.decision !== undefined) {
      ctx.reply(request.id, { txn, decision: known.decision });
      return;
    }
    if (known !== undefined) {
      known.requestIds.push(request.id);
      return;
    }
    this.running.set(txn, { votes: new Map(), requestIds: [request.id], acked: new Set() });
    for (const p of this.participants) ctx.send(p, { type: "prepare", txn });
    ctx.setTimer(`votes:${txn}`, this.voteTimeout);
  }

  onMessage(from: NodeId, msg: TwoPcMessage, ctx: NodeContext<TwoPcMessage>): void {
    if (isDecisionPaxosMessage(msg)) {
      const learned = this.consensus?.onMessage(from, msg, ctx);
      if (learned !== undefined) this.onLearned(msg.txn, learned, ctx);
      return;
    }
    switch (msg.type) {
      case "prepare": {
        const { state, reply } = this.rules.onPrepareTxn(this.txns[msg.txn] ?? "working", msg, this.willCommit());
        this.setTxn(msg.txn, state, ctx);
        ctx.send(from, reply);
        if (state === "prepared") {
          ctx.setTimer(`status:${msg.txn}`, this.retryInterval);
          this.armRecovery(msg.txn, ctx);
        }
        return;
      }
      case "decision": {
        const state = this.rules.onDecision(this.txns[msg.txn] ?? "working", msg);
        this.setTxn(msg.txn, state, ctx);
        this.heard[msg.txn] = msg.decision;
        ctx.cancelTimer(`status:${msg.txn}`);
        ctx.cancelTimer(`recover:${msg.txn}`);
        ctx.send(from, { type: "ack", txn: msg.txn });
        return;
      }
      case "vote": {
        const t = this.running.get(msg.txn);
        if (t === undefined || t.decision !== undefined || t.proposed === true) return;
        t.votes.set(from, msg.yes);
        const decision = this.rules.decide(t.votes, this.participants, false);
        if (decision !== undefined) this.finish(msg.txn, decision, ctx);
        return;
      }
      case "ack": {
        const t = this.running.get(msg.txn);
        if (t === undefined) return;
        t.acked.add(from);
        if (this.participants.every((p) => t.acked.has(p))) ctx.cancelTimer(`resend:${msg.txn}`);
        return;
      }
      case "status-query": {
        const t = this.running.get(msg.txn);
        if (t !== undefined && t.decision === undefined) return; // still collecting votes, or deciding
        if (t === undefined && this.consensus !== undefined) {
          // A restarted coordinator whose decision lives with the acceptors must ask them, never presume.
          ctx.note(`Coordinator ${ctx.id} does not remember ${msg.txn}'s decision; it asks the acceptors, proposing ABORT in case nothing was chosen.`);
          this.running.set(msg.txn, { votes: new Map(), requestIds: [], proposed: true, acked: new Set() });
          this.consensus.propose(msg.txn, "abort", ctx);
          return;
        }
        if (t === undefined) {
          // Not in memory: only the log can answer, and without a logged decision the answer is abort.
          const decision = this.rules.recoverDecision(ctx.storage.get<Decision>(DECISION_PREFIX + msg.txn));
          this.logDecision(msg.txn, decision, ctx);
          this.running.set(msg.txn, { votes: new Map(), requestIds: [], decision, acked: new Set() });
        }
        ctx.send(from, { type: "decision", txn: msg.txn, decision: this.decisions[msg.txn] as Decision, answersQuery: true });
        return;
      }
    }
  }

  onTimer(name: string, ctx: NodeContext<TwoPcMessage>): void {
    if (this.consensus?.onTimer(name, ctx)) return;
    const [kind, ...rest] = name.split(":");
    const txn = rest.join(":");
    if (kind === "votes") {
      const t = this.running.get(txn);
      if (t === undefined || t.decision !== undefined) return;
      const decision = this.rules.decide(t.votes, this.participants, true);
      if (decision !== undefined) {
        ctx.note(`Coordinator ${ctx.id}: votes for ${txn} not all in after ${this.voteTimeout} ms (${t.votes.size} of ${this.participants.length}): it decides ${decision.toUpperCase()}.`);
        this.finish(txn, decision, ctx);
      }
    } else if (kind === "resend") {
      this.sendDecision(txn, ctx);
    } else if (kind === "status" && this.txns[txn] === "prepared") {
      this.askCoordinator(txn, ctx);
    } else if (kind === "recover" && this.txns[txn] === "prepared" && this.consensus !== undefined && !this.consensus.isProposing(txn)) {
      // Paxos Commit's recovery: anyone may propose ABORT; if COMMIT was chosen, the promises force COMMIT instead.
      ctx.note(`Participant ${ctx.id} has been in doubt about ${txn} too long. It stops waiting for the coordinator and runs a Paxos round for the decision itself, proposing ABORT.`);
      this.consensus.propose(txn, "abort", ctx);
    }
  }

  // ---- helpers ------------------------------------------------------------------------------------

  private finish(txn: TxnId, decision: Decision, ctx: NodeContext<TwoPcMessage>): void {
    const t = this.running.get(txn) as CoordinatorTxn;
    ctx.cancelTimer(`votes:${txn}`);
    const votes = [...t.votes].sort(([a], [b]) => a - b).map(([n, y]) => `${n} ${y ? "yes" : "no"}`).join(", ") || "none";
    if (this.consensus !== undefined) {
      // The decision is told to no one until a majority of acceptors holds it.
      t.proposed = true;
      ctx.note(`Coordinator ${ctx.id} decides ${decision.toUpperCase()} for ${txn} (votes: ${votes}). Before telling anyone, it has the decision chosen by the acceptors.`);
      this.consensus.propose(txn, decision, ctx);
      return;
    }
    t.decision = decision;
    // The decision is logged before anyone hears it: that is what lets a restarted coordinator finish the job.
    this.logDecision(txn, decision, ctx);
    ctx.note(`Coordinator ${ctx.id} logs ${decision.toUpperCase()} for ${txn} (votes: ${votes}).`);
    for (const id of t.requestIds) ctx.reply(id, { txn, decision });
    this.sendDecision(txn, ctx);
  }

  /** The decision's Paxos instance has chosen: whoever ran the round now tells every participant. */
  private onLearned(txn: TxnId, decision: Decision, ctx: NodeContext<TwoPcMessage>): void {
    if (this.coordinatorFlag) {
      const t: CoordinatorTxn = this.running.get(txn) ?? { votes: new Map(), requestIds: [], acked: new Set() };
      this.running.set(txn, t);
      t.decision = decision;
      t.proposed = false;
      this.logDecision(txn, decision, ctx);
      for (const id of t.requestIds) ctx.reply(id, { txn, decision });
    } else {
      this.setTxn(txn, this.rules.onDecision(this.txns[txn] ?? "working", { type: "decision", txn, decision }), ctx);
      this.heard[txn] = decision;
      ctx.note(`Participant ${ctx.id} ${decision === "commit" ? "commits" : "aborts"} ${txn} and tells the other participants.`);
      ctx.cancelTimer(`status:${txn}`);
      ctx.cancelTimer(`recover:${txn}`);
      this.running.set(txn, { votes: new Map(), requestIds: [], decision, acked: new Set([ctx.id]) });
    }
    this.sendDecision(txn, ctx);
  }

  /** With a replicated decision, a prepared participant will ask the acceptors if it stays in doubt. */
  private armRecovery(txn: TxnId, ctx: NodeContext<TwoPcMessage>): void {
    if (this.consensus === undefined) return;
    const rank = this.participants.indexOf(ctx.id);
    ctx.setTimer(`recover:${txn}`, this.recoveryTimeout * (rank + 1));
  }

  private logDecision(txn: TxnId, decision: Decision, ctx: NodeContext<TwoPcMessage>): void {
    this.decisions[txn] = decision;
    ctx.persist(DECISION_PREFIX + txn, decision);
  }

  private sendDecision(txn: TxnId, ctx: NodeContext<TwoPcMessage>): void {
    const t = this.running.get(txn);
    if (t?.decision === undefined) return;
    const missing = this.participants.filter((p) => !t.acked.has(p));
    for (const p of missing) ctx.send(p, { type: "decision", txn, decision: t.decision });
    if (missing.length > 0) ctx.setTimer(`resend:${txn}`, this.retryInterval);
  }

  private askCoordinator(txn: TxnId, ctx: NodeContext<TwoPcMessage>): void {
    ctx.send(this.coordinator, { type: "status-query", txn });
    ctx.setTimer(`status:${txn}`, this.retryInterval);
  }

  private setTxn(txn: TxnId, state: ParticipantTxnState, ctx: NodeContext<TwoPcMessage>): void {
    if (this.txns[txn] === state) return;
    this.txns[txn] = state;
    ctx.persist(TXN_PREFIX + txn, state);
  }
}
