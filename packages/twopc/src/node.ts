// A two-phase commit node: the coordinator (first node by default) or a participant, on the simulator.

import { canonicalText, type ClientRequest, type NodeContext, type NodeFactory, type NodeId, type SimNode } from "@course/sim";
import type { Decision, TwoPcMessage, TxnId } from "./messages.js";
import type { ParticipantTxnState } from "./participant.js";
import { withTwoPcRules, type TwoPcRules } from "./rules.js";

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
}

export interface TwoPcInspection {
  readonly role: "coordinator" | "participant";
  /** A participant's state per transaction. */
  readonly txns: Readonly<Record<TxnId, ParticipantTxnState>>;
  /** The coordinator's decisions. */
  readonly decisions: Readonly<Record<TxnId, Decision>>;
}

export interface TwoPcNode extends SimNode<TwoPcMessage> {
  inspect(): TwoPcInspection;
}

interface CoordinatorTxn {
  readonly votes: Map<NodeId, boolean>;
  readonly requestIds: number[];
  decision?: Decision;
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
    if (ctx.id === this.coordinator) this.recoverCoordinator(ctx);
    else this.recoverParticipant(ctx);
  }

  inspect(): TwoPcInspection {
    return { role: this.coordinatorFlag ? "coordinator" : "participant", txns: this.txns, decisions: this.decisions };
  }

  view(): unknown {
    return this.coordinatorFlag ? { role: "coordinator", decisions: { ...this.decisions } } : { role: "participant", txns: { ...this.txns } };
  }

  /** Everything that decides what this node does next (for an exhaustive search), node ids passed through `rename`. */
  canonical(rename: (id: NodeId) => NodeId = (id) => id): string {
    const running = [...this.running].map(([txn, t]) => [txn, new Map([...t.votes].map(([n, yes]) => [rename(n), yes])), t.requestIds, t.decision, new Set([...t.acked].map(rename))]);
    return canonicalText([this.coordinatorFlag, this.txns, this.decisions, new Map(running.map(([txn, ...rest]) => [txn, rest]))]);
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
        ctx.note(`Participant ${ctx.id} restarts prepared for ${txn}: it is in doubt and can only ask the coordinator.`);
        this.askCoordinator(txn, ctx);
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
    switch (msg.type) {
      case "prepare": {
        const { state, reply } = this.rules.onPrepareTxn(this.txns[msg.txn] ?? "working", msg, this.willCommit());
        this.setTxn(msg.txn, state, ctx);
        ctx.send(from, reply);
        if (state === "prepared") ctx.setTimer(`status:${msg.txn}`, this.retryInterval);
        return;
      }
      case "decision": {
        const state = this.rules.onDecision(this.txns[msg.txn] ?? "working", msg);
        this.setTxn(msg.txn, state, ctx);
        ctx.cancelTimer(`status:${msg.txn}`);
        ctx.send(from, { type: "ack", txn: msg.txn });
        return;
      }
      case "vote": {
        const t = this.running.get(msg.txn);
        if (t === undefined || t.decision !== undefined) return;
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
        if (t !== undefined && t.decision === undefined) return; // still collecting votes
        if (t === undefined) {
          // Not in memory: only the log can answer, and without a logged decision the answer is abort.
          const decision = this.rules.recoverDecision(ctx.storage.get<Decision>(DECISION_PREFIX + msg.txn));
          this.logDecision(msg.txn, decision, ctx);
          this.running.set(msg.txn, { votes: new Map(), requestIds: [], decision, acked: new Set() });
        }
        ctx.send(from, { type: "decision", txn: msg.txn, decision: this.decisions[msg.txn] as Decision });
        return;
      }
    }
  }

  onTimer(name: string, ctx: NodeContext<TwoPcMessage>): void {
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
    }
  }

  // ---- helpers ------------------------------------------------------------------------------------

  private finish(txn: TxnId, decision: Decision, ctx: NodeContext<TwoPcMessage>): void {
    const t = this.running.get(txn) as CoordinatorTxn;
    t.decision = decision;
    ctx.cancelTimer(`votes:${txn}`);
    // The decision is logged before anyone hears it: that is what lets a restarted coordinator finish the job.
    this.logDecision(txn, decision, ctx);
    ctx.note(`Coordinator ${ctx.id} logs ${decision.toUpperCase()} for ${txn} (votes: ${[...t.votes].sort(([a], [b]) => a - b).map(([n, y]) => `${n} ${y ? "yes" : "no"}`).join(", ") || "none"}).`);
    for (const id of t.requestIds) ctx.reply(id, { txn, decision });
    this.sendDecision(txn, ctx);
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
