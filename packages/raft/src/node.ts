// A Raft server as a pure state machine on the simulator: elections, replication, commit, persistence, snapshots,
// membership changes, ReadIndex reads and leadership transfer. Every protocol decision goes through a replaceable rule.

import type { ClientRequest, NodeContext, NodeFactory, NodeId, SimNode } from "@course/sim";
import { KvStore, formatCommand } from "./kv.js";
import { RaftLog } from "./log.js";
import { resolveOptions, type RaftOptions, type ResolvedOptions } from "./options.js";
import { majority, voteResult } from "./quorum.js";
import { referenceRules, type RaftRules } from "./rules/index.js";
import { readDurableState, writeEntries, writeHardState, writeSnapshot } from "./storage.js";
import { byNodeText, entriesText, idsText, idText, snapshotText } from "./canonical.js";
import type {
  AppendEntries,
  AppendEntriesReply,
  ClientResult,
  Command,
  InstallSnapshot,
  InstallSnapshotReply,
  LogEntry,
  PreVote,
  RaftMessage,
  RaftView,
  RequestVote,
  Role,
  SnapshotData,
} from "./types.js";

type Ctx = NodeContext<RaftMessage>;

interface PendingRead {
  readonly requestId: number;
  readonly key: string;
  readonly seq: number;
  readIndex: number | undefined;
}

/** How many recently applied entries a server remembers for the State Machine Safety checker. */
const APPLIED_MEMORY = 1024;

export class RaftNode implements SimNode<RaftMessage> {
  readonly id: NodeId;
  readonly options: ResolvedOptions;
  readonly rules: RaftRules;
  role: Role = "follower";
  currentTerm = 0;
  votedFor: NodeId | null = null;
  leaderId: NodeId | null = null;
  readonly log = new RaftLog();
  commitIndex = 0;
  lastApplied = 0;
  kv = new KvStore();
  members: readonly NodeId[];
  snapshot: SnapshotData | undefined;
  electionDeadline: number | null = null;
  readonly nextIndex = new Map<NodeId, number>();
  readonly matchIndex = new Map<NodeId, number>();
  /** Highest index already sent to each follower: a success reply then only triggers a send if something new remains. */
  private readonly sentUpTo = new Map<NodeId, number>();
  /** Entries applied lately, oldest first (bounded), so checkers can compare what every server executed. */
  readonly recentlyApplied: LogEntry[] = [];

  private readonly initialMembers: readonly NodeId[];
  private votes = new Set<NodeId>();
  private rejections = new Set<NodeId>();
  private heardFromLeaderAt = -Infinity;
  private recentActive = new Set<NodeId>();
  private pendingWrites = new Map<number, { requestId: number; term: number }>();
  private pendingReads: PendingRead[] = [];
  private readSeq = 0;
  private readAcks = new Map<NodeId, number>();
  private transferTarget: NodeId | null = null;
  /** The hard state last written, to write only when it changes. */
  private persistedHard: { currentTerm: number; votedFor?: NodeId | null | undefined };

  constructor(ctx: Ctx, options: RaftOptions = {}) {
    this.id = ctx.id;
    this.options = resolveOptions(options);
    this.rules = { ...referenceRules, ...(options.rules ?? {}) };
    this.initialMembers = [...(this.options.members ?? ctx.nodes)];
    const fresh = ctx.storage.keys().length === 0;
    // §5.1 / Figure 2: a restarted server rebuilds from stable storage only; commitIndex and lastApplied are volatile.
    const durable = readDurableState(ctx.storage);
    this.currentTerm = durable.currentTerm;
    this.votedFor = durable.votedFor;
    this.snapshot = durable.snapshot;
    this.log.reset(durable.snapshot?.lastIncludedIndex ?? 0, durable.snapshot?.lastIncludedTerm ?? 0, durable.entries);
    this.kv = KvStore.from(durable.snapshot?.state as never);
    this.commitIndex = this.lastApplied = this.log.snapshotIndex;
    this.members = this.initialMembers;
    this.recomputeMembers();
    this.persistedHard = { ...this.rules.persistenceDecision(this).hardState };
    const first = this.options.firstTimeouts[this.id];
    this.resetElectionTimer(ctx, fresh ? first : undefined);
  }

  // ---- simulator entry points --------------------------------------------------------------------

  onTimer(name: string, ctx: Ctx): void {
    if (name === "election") this.onElectionTimeout(ctx);
    else if (name === "heartbeat" && this.role === "leader") {
      this.broadcastAppend(ctx);
      ctx.setTimer("heartbeat", this.options.heartbeatInterval);
    } else if (name === "check-quorum" && this.role === "leader") this.checkQuorum(ctx);
    else if (name === "transfer-timeout") this.transferTarget = null;
    this.persistHardState(ctx);
  }

  onMessage(from: NodeId, msg: RaftMessage, ctx: Ctx): void {
    // Thesis §4.2.3, disruptive servers: a server removed from the configuration never hears of its removal (the
    // leader stops sending to it), so it times out and campaigns in ever higher terms, deposing leaders it cannot
    // replace. Vote requests from outside our configuration are dropped; ignoring one is as safe as losing it.
    if ((msg.type === "RequestVote" || msg.type === "PreVote") && !this.members.includes(msg.candidateId)) return;
    // Figure 2, rules for all servers: a higher term in any message makes us adopt it and become a follower.
    // Exceptions: pre-votes never change terms, and (§6) a server that hears from a live leader ignores vote requests.
    if (msg.term > this.currentTerm) {
      const preVoteTraffic = msg.type === "PreVote" || (msg.type === "PreVoteReply" && msg.voteGranted);
      if (msg.type === "RequestVote" && !msg.transfer && this.options.checkQuorum && this.leaderRecentlyHeard(ctx)) return;
      if (!preVoteTraffic) {
        const leader = msg.type === "AppendEntries" || msg.type === "InstallSnapshot" ? msg.leaderId : null;
        this.becomeFollower(ctx, msg.term, leader);
      }
    }
    if (this.role === "leader" && msg.term === this.currentTerm) this.recentActive.add(from);
    switch (msg.type) {
      case "RequestVote":
        this.onRequestVote(from, msg, ctx);
        break;
      case "PreVote":
        this.onPreVote(from, msg, ctx);
        break;
      case "RequestVoteReply":
        if (this.role === "candidate" && msg.term === this.currentTerm) this.countVote(ctx, from, msg.voteGranted);
        break;
      case "PreVoteReply":
        if (this.role === "precandidate" && (!msg.voteGranted || msg.term === this.currentTerm + 1)) this.countVote(ctx, from, msg.voteGranted);
        break;
      case "AppendEntries":
        this.onAppendEntries(from, msg, ctx);
        break;
      case "AppendEntriesReply":
        this.onAppendEntriesReply(from, msg, ctx);
        break;
      case "InstallSnapshot":
        this.onInstallSnapshot(from, msg, ctx);
        break;
      case "InstallSnapshotReply":
        this.onInstallSnapshotReply(from, msg, ctx);
        break;
      case "TimeoutNow":
        // Thesis §3.10: the leader hands over; start an election at once, skipping PreVote and leases.
        if (msg.term === this.currentTerm && this.role === "follower" && this.isMember()) this.startElection(ctx, true);
        break;
    }
    this.persistHardState(ctx);
  }

  onClientRequest(request: ClientRequest, ctx: Ctx): void {
    this.handleClient(request, ctx);
    this.persistHardState(ctx);
  }

  view(): RaftView {
    const leader = this.role === "leader";
    return {
      id: this.id,
      role: this.role,
      term: this.currentTerm,
      votedFor: this.votedFor,
      leaderId: this.leaderId,
      log: this.log.all().map((e) => ({ index: e.index, term: e.term, command: formatCommand(e.command) })),
      snapshotIndex: this.log.snapshotIndex,
      snapshotTerm: this.log.snapshotTerm,
      commitIndex: this.commitIndex,
      lastApplied: this.lastApplied,
      members: this.members,
      electionDeadline: this.electionDeadline,
      ...(leader ? { nextIndex: Object.fromEntries(this.nextIndex), matchIndex: Object.fromEntries(this.matchIndex) } : {}),
      kv: this.kv.entries(),
    };
  }

  isMember(): boolean {
    return this.members.includes(this.id);
  }

  /**
   * Everything that decides what this server does next, for an exhaustive search, with node ids through `rename`.
   * Left out: clock readings (election deadline, last heard from a leader), the membership (it follows from the log
   * and the snapshot) and the entries kept for checkers.
   */
  canonical(rename: (id: NodeId) => NodeId = (id) => id): string {
    const hard = this.persistedHard;
    return [
      this.role,
      this.currentTerm,
      idText(this.votedFor, rename),
      idText(this.leaderId, rename),
      `${this.log.snapshotIndex}/${this.log.snapshotTerm}/${entriesText(this.log.all(), rename)}`,
      this.commitIndex,
      this.lastApplied,
      JSON.stringify(this.kv.toJSON()),
      snapshotText(this.snapshot, rename),
      byNodeText(this.nextIndex, rename),
      byNodeText(this.matchIndex, rename),
      byNodeText(this.sentUpTo, rename),
      idsText(this.votes, rename),
      idsText(this.rejections, rename),
      idsText(this.recentActive, rename),
      JSON.stringify([...this.pendingWrites]),
      JSON.stringify(this.pendingReads),
      this.readSeq,
      byNodeText(this.readAcks, rename),
      idText(this.transferTarget, rename),
      `${hard.currentTerm}/${"votedFor" in hard ? idText(hard.votedFor ?? null, rename) : "?"}`,
    ].join("|");
  }

  // ---- elections (§5.2) --------------------------------------------------------------------------

  private resetElectionTimer(ctx: Ctx, delay?: number): void {
    const ms = delay ?? this.options.electionTimeoutOverride?.(this.id, ctx.now) ?? this.rules.randomElectionTimeout(ctx.rng, this.options.electionTimeout);
    ctx.setTimer("election", ms);
    this.electionDeadline = ctx.now + ms;
  }

  private onElectionTimeout(ctx: Ctx): void {
    if (this.role === "leader") return;
    // A server outside the configuration never campaigns: it waits to be added (§6).
    if (!this.isMember()) return this.resetElectionTimer(ctx);
    if (this.options.preVote) this.startPreVote(ctx);
    else this.startElection(ctx, false);
  }

  private lastLog() {
    return { lastLogIndex: this.log.lastIndex, lastLogTerm: this.log.lastTerm };
  }

  private startPreVote(ctx: Ctx): void {
    this.role = "precandidate";
    this.leaderId = null;
    this.votes = new Set([this.id]);
    this.rejections = new Set();
    this.resetElectionTimer(ctx);
    const ask: PreVote = { type: "PreVote", term: this.currentTerm + 1, candidateId: this.id, ...this.lastLog() };
    for (const p of this.peers()) ctx.send(p, ask);
    this.checkVotes(ctx);
  }

  /** §5.2: increment currentTerm, vote for self, reset the election timer, send RequestVote to all other servers. */
  private startElection(ctx: Ctx, transfer: boolean): void {
    this.currentTerm++;
    this.role = "candidate";
    this.votedFor = this.id;
    this.leaderId = null;
    this.votes = new Set([this.id]);
    this.rejections = new Set();
    this.resetElectionTimer(ctx);
    const ask: RequestVote = { type: "RequestVote", term: this.currentTerm, candidateId: this.id, ...this.lastLog(), ...(transfer ? { transfer } : {}) };
    for (const p of this.peers()) ctx.send(p, ask);
    this.checkVotes(ctx);
  }

  private onRequestVote(from: NodeId, msg: RequestVote, ctx: Ctx): void {
    const decision = this.rules.handleRequestVote({ currentTerm: this.currentTerm, votedFor: this.votedFor, ...this.lastLog() }, msg);
    this.votedFor = decision.votedFor;
    // Figure 2, followers: granting a vote resets the election timer.
    if (decision.voteGranted) this.resetElectionTimer(ctx);
    this.persistHardState(ctx);
    ctx.send(from, { type: "RequestVoteReply", term: this.currentTerm, voteGranted: decision.voteGranted });
  }

  private onPreVote(from: NodeId, msg: PreVote, ctx: Ctx): void {
    const grant = this.rules.handlePreVote(
      { currentTerm: this.currentTerm, votedFor: this.votedFor, ...this.lastLog(), leaderRecentlyHeard: this.leaderRecentlyHeard(ctx) },
      msg,
    );
    ctx.send(from, { type: "PreVoteReply", term: grant ? msg.term : this.currentTerm, voteGranted: grant });
  }

  private leaderRecentlyHeard(ctx: Ctx): boolean {
    if (this.role === "leader") return true;
    return this.leaderId !== null && ctx.now - this.heardFromLeaderAt < this.options.electionTimeout.min;
  }

  private countVote(ctx: Ctx, from: NodeId, granted: boolean): void {
    (granted ? this.votes : this.rejections).add(from);
    this.checkVotes(ctx);
  }

  private checkVotes(ctx: Ctx): void {
    if (voteResult(this.members, this.votes, this.rejections) !== "won") return;
    if (this.role === "precandidate") this.startElection(ctx, false);
    else if (this.role === "candidate") this.becomeLeader(ctx);
  }

  private becomeFollower(ctx: Ctx, term: number, leaderId: NodeId | null): void {
    if (term > this.currentTerm) {
      this.currentTerm = term;
      this.votedFor = null;
    }
    // Figure 2: only hearing from the leader or granting a vote restarts a follower's timer. A follower that
    // merely adopts a higher term (say, from a vote request it refuses) keeps counting, or a stale candidate
    // could keep up-to-date servers from ever running.
    const keepTimer = this.role === "follower" && this.electionDeadline !== null;
    const wasLeader = this.role === "leader";
    this.role = "follower";
    this.leaderId = leaderId;
    if (wasLeader) {
      ctx.cancelTimer("heartbeat");
      ctx.cancelTimer("check-quorum");
      this.nextIndex.clear();
      this.matchIndex.clear();
      this.sentUpTo.clear();
      this.transferTarget = null;
      this.failPendingClients(ctx);
    }
    if (!keepTimer) this.resetElectionTimer(ctx);
  }

  private becomeLeader(ctx: Ctx): void {
    this.role = "leader";
    this.leaderId = this.id;
    ctx.cancelTimer("election");
    this.electionDeadline = null;
    this.readAcks.clear();
    this.recentActive.clear();
    // Figure 2: nextIndex starts just after the leader's last entry, matchIndex at 0.
    for (const p of this.peers()) this.trackPeer(p);
    if (this.options.noopOnElection) this.appendLocal(ctx, { kind: "noop" });
    this.broadcastAppend(ctx);
    ctx.setTimer("heartbeat", this.options.heartbeatInterval);
    if (this.options.checkQuorum) ctx.setTimer("check-quorum", this.options.electionTimeout.max);
  }

  /** CheckQuorum (thesis §6.2): a leader cut off from a majority for an election timeout steps down. */
  private checkQuorum(ctx: Ctx): void {
    const heard = this.members.filter((m) => m === this.id || this.recentActive.has(m)).length;
    this.recentActive.clear();
    if (heard < majority(this.members.length)) this.becomeFollower(ctx, this.currentTerm, null);
    else ctx.setTimer("check-quorum", this.options.electionTimeout.max);
  }

  // ---- log replication (§5.3) --------------------------------------------------------------------

  private peers(): NodeId[] {
    return this.members.filter((m) => m !== this.id);
  }

  private trackPeer(p: NodeId): void {
    this.nextIndex.set(p, this.log.lastIndex + 1);
    this.matchIndex.set(p, 0);
    this.sentUpTo.set(p, 0);
  }

  private broadcastAppend(ctx: Ctx): void {
    for (const p of this.peers()) this.sendAppend(ctx, p);
  }

  private sendAppend(ctx: Ctx, peer: NodeId): void {
    const next = this.nextIndex.get(peer) ?? this.log.lastIndex + 1;
    // §7: the entries this follower needs are gone from our log; send the snapshot instead.
    if (next <= this.log.snapshotIndex && this.snapshot !== undefined) {
      ctx.send(peer, { type: "InstallSnapshot", term: this.currentTerm, leaderId: this.id, snapshot: this.snapshot });
      return;
    }
    const prevLogIndex = Math.max(next - 1, this.log.snapshotIndex);
    const entries = this.log.slice(prevLogIndex + 1, prevLogIndex + this.options.maxEntriesPerMessage);
    const msg: AppendEntries = {
      type: "AppendEntries",
      term: this.currentTerm,
      leaderId: this.id,
      prevLogIndex,
      prevLogTerm: this.log.termAt(prevLogIndex) ?? 0,
      entries,
      leaderCommit: this.commitIndex,
      ...(this.readSeq > 0 ? { readSeq: this.readSeq } : {}),
    };
    ctx.send(peer, msg);
    this.sentUpTo.set(peer, Math.max(this.sentUpTo.get(peer) ?? 0, prevLogIndex + entries.length));
    if (this.options.pipeline && entries.length > 0) this.nextIndex.set(peer, prevLogIndex + entries.length + 1);
  }

  private onAppendEntries(from: NodeId, msg: AppendEntries, ctx: Ctx): void {
    if (msg.term < this.currentTerm) {
      // No readSeq echo: this reply carries our newer term, and a leader that restarted (its readSeq is volatile and
      // starts again at 0) and now leads that term would count an old term's read number as a ReadIndex ack (§6.4).
      return ctx.send(from, { type: "AppendEntriesReply", term: this.currentTerm, success: false, matchIndex: 0, appended: msg.entries.length });
    }
    // §5.2: a candidate that hears from a leader of its own term returns to follower.
    if (this.role !== "follower") this.becomeFollower(ctx, msg.term, msg.leaderId);
    this.leaderId = msg.leaderId;
    this.heardFromLeaderAt = ctx.now;
    this.resetElectionTimer(ctx);
    const d = this.rules.handleAppendEntries({ currentTerm: this.currentTerm, commitIndex: this.commitIndex, log: this.log }, msg);
    if (d.success) {
      this.changeLog(ctx, d.truncateFrom, d.append);
      this.commitIndex = d.commitIndex;
      this.applyCommitted(ctx);
    }
    const reply: { -readonly [K in keyof AppendEntriesReply]: AppendEntriesReply[K] } = {
      type: "AppendEntriesReply",
      term: this.currentTerm,
      success: d.success,
      matchIndex: d.matchIndex,
      appended: msg.entries.length,
    };
    if (d.conflictIndex !== undefined) reply.conflictIndex = d.conflictIndex;
    if (d.conflictTerm !== undefined) reply.conflictTerm = d.conflictTerm;
    if (msg.readSeq !== undefined) reply.readSeq = msg.readSeq;
    this.persistHardState(ctx);
    ctx.send(from, reply);
  }

  private onAppendEntriesReply(from: NodeId, msg: AppendEntriesReply, ctx: Ctx): void {
    if (this.role !== "leader" || msg.term !== this.currentTerm || !this.nextIndex.has(from)) return;
    if (msg.readSeq !== undefined) this.readAcks.set(from, Math.max(this.readAcks.get(from) ?? 0, msg.readSeq));
    const before = { nextIndex: this.nextIndex.get(from) as number, matchIndex: this.matchIndex.get(from) ?? 0 };
    const after = this.rules.handleAppendEntriesReply(before, this.log, msg);
    this.nextIndex.set(from, after.nextIndex);
    this.matchIndex.set(from, after.matchIndex);
    if (msg.success) {
      // Only a new acknowledgement can move the commit index; a heartbeat's echo of old progress cannot.
      if (after.matchIndex > before.matchIndex) this.maybeAdvanceCommit(ctx);
      const unsent = (this.sentUpTo.get(from) ?? 0) < this.log.lastIndex;
      if (this.role === "leader" && after.matchIndex > before.matchIndex && after.nextIndex <= this.log.lastIndex && unsent && !this.options.pipeline) this.sendAppend(ctx, from);
    } else if (after.nextIndex !== before.nextIndex) {
      this.sentUpTo.set(from, after.nextIndex - 1);
      this.sendAppend(ctx, from); // retry at once from the backed-up position
    }
    this.maybeSendTimeoutNow(ctx, from);
    this.processReads(ctx);
  }

  /** Apply a follower's log change, writing it to disk before the reply leaves (Figure 2). */
  private changeLog(ctx: Ctx, truncateFrom: number | undefined, append: readonly LogEntry[]): void {
    if (truncateFrom === undefined && append.length === 0) return;
    const oldLast = this.log.lastIndex;
    if (truncateFrom !== undefined) this.log.truncateFrom(truncateFrom);
    this.log.append(append);
    if (this.rules.persistenceDecision(this).persistLog) writeEntries(ctx, oldLast, truncateFrom, append);
    if (truncateFrom !== undefined) this.recomputeMembers();
    else this.noteConfigEntries(append);
  }

  private appendLocal(ctx: Ctx, command: Command): LogEntry {
    const entry: LogEntry = { index: this.log.lastIndex + 1, term: this.currentTerm, command };
    this.changeLog(ctx, undefined, [entry]);
    return entry;
  }

  private maybeAdvanceCommit(ctx: Ctx): void {
    const next = this.rules.advanceCommitIndex({
      currentTerm: this.currentTerm,
      commitIndex: this.commitIndex,
      log: this.log,
      members: this.members,
      matchIndex: (n) => (n === this.id ? this.log.lastIndex : (this.matchIndex.get(n) ?? 0)),
    });
    if (next === this.commitIndex) return;
    this.commitIndex = next;
    this.applyCommitted(ctx);
    // Thesis §4.2.2: a leader removed by a committed configuration steps down.
    if (this.role === "leader" && !this.isMember() && this.configIndex() <= this.commitIndex) this.becomeFollower(ctx, this.currentTerm, null);
  }

  private applyCommitted(ctx: Ctx): void {
    while (this.lastApplied < this.commitIndex) {
      const e = this.log.entryAt(this.lastApplied + 1);
      if (e === undefined) break;
      this.lastApplied = e.index;
      const value = this.kv.apply(e.command);
      this.recentlyApplied.push(e);
      if (this.recentlyApplied.length > 2 * APPLIED_MEMORY) this.recentlyApplied.splice(0, this.recentlyApplied.length - APPLIED_MEMORY);
      const pending = this.pendingWrites.get(e.index);
      if (pending !== undefined) {
        this.pendingWrites.delete(e.index);
        const result: ClientResult = pending.term === e.term ? { ok: true, index: e.index, value } : { ok: false, error: "lost-leadership", leaderHint: this.leaderId };
        ctx.reply(pending.requestId, result);
      }
    }
    this.maybeSnapshot(ctx);
    this.processReads(ctx);
  }

  // ---- membership (single-server changes) ---------------------------------------------------------

  /**
   * Membership changes add or remove one server at a time (thesis §4.1) rather than joint consensus (paper §6):
   * any majority of the old configuration overlaps any majority of the new one when they differ by one server,
   * so each change is a single log entry that takes effect as soon as it is appended, and there is no
   * intermediate C_old,new state to get wrong. The price is one change in flight at a time, enforced below.
   */
  private changeMembership(ctx: Ctx, request: ClientRequest, node: NodeId, add: boolean): void {
    if (this.configIndex() > this.commitIndex) return ctx.reply(request.id, { ok: false, error: "retry" } satisfies ClientResult);
    // The fix to the single-server algorithm (raft-dev, 2015): first commit an entry of the current term.
    if (this.log.termAt(this.commitIndex) !== this.currentTerm) {
      if (this.log.lastTerm !== this.currentTerm) this.appendLocal(ctx, { kind: "noop" });
      this.broadcastAppend(ctx);
      return ctx.reply(request.id, { ok: false, error: "retry" } satisfies ClientResult);
    }
    const has = this.members.includes(node);
    if (has === add) return ctx.reply(request.id, { ok: true } satisfies ClientResult);
    const members = add ? [...this.members, node].sort((a, b) => a - b) : this.members.filter((m) => m !== node);
    const entry = this.appendLocal(ctx, { kind: "config", members });
    this.pendingWrites.set(entry.index, { requestId: request.id, term: entry.term });
    this.broadcastAppend(ctx);
    this.maybeAdvanceCommit(ctx);
  }

  private configIndex(): number {
    for (let i = this.log.lastIndex; i > this.log.snapshotIndex; i--) if (this.log.entryAt(i)?.command.kind === "config") return i;
    return this.log.snapshotIndex;
  }

  private configAt(index: number): readonly NodeId[] {
    for (let i = Math.min(index, this.log.lastIndex); i > this.log.snapshotIndex; i--) {
      const c = this.log.entryAt(i)?.command;
      if (c?.kind === "config") return c.members;
    }
    return this.snapshot?.members ?? this.initialMembers;
  }

  private recomputeMembers(): void {
    this.setMembers(this.configAt(this.log.lastIndex));
  }

  private noteConfigEntries(entries: readonly LogEntry[]): void {
    for (const e of entries) if (e.command.kind === "config") this.setMembers(e.command.members);
  }

  private setMembers(members: readonly NodeId[]): void {
    this.members = members;
    if (this.role !== "leader") return;
    for (const p of this.peers()) if (!this.nextIndex.has(p)) this.trackPeer(p);
    for (const p of [...this.nextIndex.keys()]) {
      if (!members.includes(p)) {
        this.nextIndex.delete(p);
        this.matchIndex.delete(p);
      }
    }
  }

  // ---- snapshots (§7) ----------------------------------------------------------------------------

  private maybeSnapshot(ctx: Ctx): void {
    const every = this.options.snapshotEvery;
    if (every <= 0 || this.lastApplied - this.log.snapshotIndex < every) return;
    const index = this.lastApplied;
    const snap: SnapshotData = { lastIncludedIndex: index, lastIncludedTerm: this.log.termAt(index) as number, members: this.configAt(index), state: this.kv.toJSON() };
    const dropFrom = this.log.snapshotIndex + 1;
    this.log.compactTo(index, snap.lastIncludedTerm);
    this.snapshot = snap;
    writeSnapshot(ctx, snap, dropFrom, index, this.log.lastIndex);
  }

  private onInstallSnapshot(from: NodeId, msg: InstallSnapshot, ctx: Ctx): void {
    if (msg.term < this.currentTerm) return ctx.send(from, { type: "InstallSnapshotReply", term: this.currentTerm, matchIndex: 0 });
    if (this.role !== "follower") this.becomeFollower(ctx, msg.term, msg.leaderId);
    this.leaderId = msg.leaderId;
    this.heardFromLeaderAt = ctx.now;
    this.resetElectionTimer(ctx);
    const snap = msg.snapshot;
    const d = this.rules.handleInstallSnapshot({ commitIndex: this.commitIndex, log: this.log }, msg);
    if (d.action === "install") {
      const oldSnapshotIndex = this.log.snapshotIndex;
      const oldLast = this.log.lastIndex;
      const keep = d.retainLog ? this.log.slice(snap.lastIncludedIndex + 1) : [];
      this.log.reset(snap.lastIncludedIndex, snap.lastIncludedTerm, keep);
      this.snapshot = snap;
      this.kv = KvStore.from(snap.state as never);
      this.commitIndex = Math.max(this.commitIndex, snap.lastIncludedIndex);
      this.lastApplied = snap.lastIncludedIndex;
      writeSnapshot(ctx, snap, oldSnapshotIndex + 1, d.retainLog ? snap.lastIncludedIndex : oldLast, this.log.lastIndex);
      this.recomputeMembers();
      this.applyCommitted(ctx);
    }
    const reply: InstallSnapshotReply = { type: "InstallSnapshotReply", term: this.currentTerm, matchIndex: snap.lastIncludedIndex };
    ctx.send(from, reply);
  }

  private onInstallSnapshotReply(from: NodeId, msg: InstallSnapshotReply, ctx: Ctx): void {
    if (this.role !== "leader" || msg.term !== this.currentTerm || !this.nextIndex.has(from)) return;
    const match = Math.max(this.matchIndex.get(from) ?? 0, msg.matchIndex);
    this.matchIndex.set(from, match);
    this.nextIndex.set(from, Math.max(this.nextIndex.get(from) as number, match + 1));
    this.maybeAdvanceCommit(ctx);
    if (this.role === "leader" && match < this.log.lastIndex) this.sendAppend(ctx, from);
  }

  // ---- clients: writes, ReadIndex reads, transfer --------------------------------------------------

  private handleClient(request: ClientRequest, ctx: Ctx): void {
    const op = parseOp(request.op);
    if (op === undefined) return ctx.reply(request.id, { ok: false, error: "bad-request" } satisfies ClientResult);
    if (this.role !== "leader" || this.transferTarget !== null) {
      return ctx.reply(request.id, { ok: false, error: "not-leader", leaderHint: this.leaderId } satisfies ClientResult);
    }
    switch (op.type) {
      case "put":
      case "append": {
        const command: Command = { kind: "client", client: request.client, ...(op.seq === undefined ? {} : { seq: op.seq }), op: { type: op.type, key: op.key, value: op.value } };
        const entry = this.appendLocal(ctx, command);
        this.pendingWrites.set(entry.index, { requestId: request.id, term: entry.term });
        this.broadcastAppend(ctx);
        this.maybeAdvanceCommit(ctx);
        return;
      }
      case "get":
        return this.startRead(ctx, request, op.key);
      case "transfer":
        return this.startTransfer(ctx, request, op.to);
      case "add-server":
      case "remove-server":
        return this.changeMembership(ctx, request, op.node, op.type === "add-server");
    }
  }

  /**
   * ReadIndex (thesis §6.4): remember the commit index once an entry of this term is committed (appending a
   * no-op if needed), confirm leadership with a heartbeat round acknowledged by a majority, then answer once
   * the state machine has applied up to the remembered index. No log entry is written for the read.
   */
  private startRead(ctx: Ctx, request: ClientRequest, key: string): void {
    if (this.options.unsafeLocalReads) return ctx.reply(request.id, { ok: true, value: this.kv.get(key) } satisfies ClientResult);
    const termCommitted = this.log.termAt(this.commitIndex) === this.currentTerm;
    if (!termCommitted && this.log.lastTerm !== this.currentTerm) this.appendLocal(ctx, { kind: "noop" });
    this.readSeq++;
    this.pendingReads.push({ requestId: request.id, key, seq: this.readSeq, readIndex: termCommitted ? this.commitIndex : undefined });
    this.broadcastAppend(ctx);
    this.processReads(ctx);
  }

  private processReads(ctx: Ctx): void {
    if (this.role !== "leader" || this.pendingReads.length === 0) return;
    const termCommitted = this.log.termAt(this.commitIndex) === this.currentTerm;
    const need = majority(this.members.length);
    this.pendingReads = this.pendingReads.filter((r) => {
      if (r.readIndex === undefined && termCommitted) r.readIndex = this.commitIndex;
      const acks = this.members.filter((m) => m === this.id || (this.readAcks.get(m) ?? 0) >= r.seq).length;
      if (r.readIndex === undefined || acks < need || this.lastApplied < r.readIndex) return true;
      ctx.reply(r.requestId, { ok: true, value: this.kv.get(r.key) } satisfies ClientResult);
      return false;
    });
  }

  /** Leadership transfer (thesis §3.10): stop taking requests, bring the target up to date, then send TimeoutNow. */
  private startTransfer(ctx: Ctx, request: ClientRequest, to: NodeId): void {
    if (to === this.id) return ctx.reply(request.id, { ok: true } satisfies ClientResult);
    if (!this.members.includes(to)) return ctx.reply(request.id, { ok: false, error: "bad-request" } satisfies ClientResult);
    this.transferTarget = to;
    ctx.setTimer("transfer-timeout", this.options.electionTimeout.max);
    this.sendAppend(ctx, to);
    this.maybeSendTimeoutNow(ctx, to);
    ctx.reply(request.id, { ok: true } satisfies ClientResult);
  }

  private maybeSendTimeoutNow(ctx: Ctx, peer: NodeId): void {
    if (this.transferTarget !== peer || this.matchIndex.get(peer) !== this.log.lastIndex) return;
    ctx.send(peer, { type: "TimeoutNow", term: this.currentTerm });
  }

  private failPendingClients(ctx: Ctx): void {
    const lost: ClientResult = { ok: false, error: "lost-leadership", leaderHint: this.leaderId };
    const notDone: ClientResult = { ok: false, error: "not-leader", leaderHint: this.leaderId };
    for (const { requestId } of this.pendingWrites.values()) ctx.reply(requestId, lost);
    for (const r of this.pendingReads) ctx.reply(r.requestId, notDone);
    this.pendingWrites.clear();
    this.pendingReads = [];
  }

  // ---- persistence (Figure 2) ----------------------------------------------------------------------

  private persistHardState(ctx: Ctx): void {
    const hard = this.rules.persistenceDecision(this).hardState;
    const last = this.persistedHard;
    if (hard.currentTerm === last.currentTerm && hard.votedFor === last.votedFor && "votedFor" in hard === "votedFor" in last) return;
    this.persistedHard = { ...hard };
    writeHardState(ctx, hard);
  }
}

type ParsedOp =
  | { type: "put" | "append"; key: string; value: string; seq?: number }
  | { type: "get"; key: string }
  | { type: "transfer"; to: NodeId }
  | { type: "add-server" | "remove-server"; node: NodeId };

/** Accepts "x=1" (a put, as in the seed's demo) or an operation object. */
function parseOp(op: unknown): ParsedOp | undefined {
  if (typeof op === "string") {
    const m = /^([^=]+)=(.*)$/.exec(op);
    return m ? { type: "put", key: m[1] as string, value: m[2] as string } : undefined;
  }
  if (typeof op !== "object" || op === null || !("type" in op)) return undefined;
  return op as ParsedOp;
}

/** The factory the simulator calls at start and at every restart. */
export function createRaftNode(options: RaftOptions = {}): NodeFactory<RaftMessage> {
  return (ctx) => new RaftNode(ctx, options);
}
