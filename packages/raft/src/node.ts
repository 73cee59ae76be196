// A Raft server as a pure state machine on the simulator: elections, replication, commit, persistence, snapshots,
// membership changes, ReadIndex reads and leadership transfer. Every protocol decision goes through a replaceable rule.

import { frozenJson, type ClientRequest, type NodeContext, type NodeFactory, type NodeId, type SimNode } from "@course/sim";
import { KvStore, formatCommand } from "./kv.js";
import { RaftLog } from "./log.js";
import { resolveOptions, type RaftOptions, type ResolvedOptions } from "./options.js";
import { majority, voteResult } from "./quorum.js";
import { referenceRules, type RaftRules } from "./rules/index.js";
import { readDurableState, writeEntries, writeHardState, writeSnapshot } from "./storage.js";
import { byNodeText, earlyText, entriesText, idsText, idText, snapshotText, upToText } from "./canonical.js";
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

/** A server being added: a non-voting learner until its log is within a round of the leader's (thesis §4.2.1). */
interface CatchUp {
  readonly node: NodeId;
  /** Client requests waiting for this addition: answered when the configuration entry commits, or when it is given up. */
  readonly requestIds: number[];
  round: number;
  /** The round ends once the learner holds every entry up to here: the leader's last index when the round began. */
  roundEnd: number;
  roundStartedAt: number;
}

/** How many recently applied entries a server remembers for the State Machine Safety checker. */
const APPLIED_MEMORY = 1024;
/** At most this many AppendEntries kept aside because they arrived before the entries they follow. */
const EARLY_LIMIT = 64;
/** Thesis §4.2.1 suggests a fixed number of catch-up rounds ("such as ten") before giving up on a new server. */
const CATCH_UP_ROUNDS = 10;
/** A round that outlasts this many maximum election timeouts means the new server is down or hopelessly slow. */
const CATCH_UP_ROUND_LIMIT = 4;

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
  /**
   * Pipelined sends to each follower not yet acknowledged, oldest first: the last index each carried and when it left.
   * A follower refusing a later message for a gap that one of these will fill (the network reordered them) is not
   * sent the entries again unless that send is older than a heartbeat interval and so presumed lost.
   */
  private readonly inFlight = new Map<NodeId, Array<{ readonly upTo: number; readonly at: number }>>();
  /**
   * A follower's AppendEntries that arrived ahead of the entries they follow (the network reordered the leader's
   * pipelined stream), by prevLogIndex. They are refused as usual, and applied as if they had just arrived once the
   * log reaches them, so the leader need not send their entries again.
   */
  private readonly early = new Map<number, { readonly from: NodeId; readonly msg: AppendEntries }>();
  /** Entries applied lately, oldest first (bounded), so checkers can compare what every server executed. */
  readonly recentlyApplied: LogEntry[] = [];

  private readonly initialMembers: readonly NodeId[];
  private peerIds: readonly NodeId[] = [];
  private votes = new Set<NodeId>();
  private rejections = new Set<NodeId>();
  private heardFromLeaderAt = -Infinity;
  private recentActive = new Set<NodeId>();
  private pendingWrites = new Map<number, { requestIds: readonly number[]; term: number }>();
  private catchUp: CatchUp | undefined;
  private pendingReads: PendingRead[] = [];
  private readSeq = 0;
  private readAcks = new Map<NodeId, number>();
  private transferTarget: NodeId | null = null;
  /** The log entries the last view showed, and its lines for them (see logForView). */
  private shownLog: { version: number; sources: readonly LogEntry[]; lines: RaftView["log"] } = Object.freeze({ version: -1, sources: Object.freeze([]), lines: Object.freeze([]) });
  /** The hard state last written, to write only when it changes. */
  private persistedHard: { currentTerm: number; votedFor?: NodeId | null | undefined };

  constructor(ctx: Ctx, options: RaftOptions = {}) {
    this.id = ctx.id;
    // Settings and values that are replaced, never changed in place, are frozen: copies of the node (a simulation
    // checkpoint, a search that branches) then share them instead of copying them at every step.
    this.options = Object.freeze(resolveOptions(options));
    this.rules = Object.freeze({ ...referenceRules, ...(options.rules ?? {}) });
    this.initialMembers = Object.freeze([...(this.options.members ?? ctx.nodes)]);
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
    this.persistedHard = Object.freeze({ ...this.rules.persistenceDecision(this).hardState });
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
    else if (name === "catch-up" && this.role === "leader" && this.catchUp !== undefined) {
      this.giveUpCatchUp(ctx, this.catchUp, `a round of copying took more than ${CATCH_UP_ROUND_LIMIT * this.options.electionTimeout.max} ms (is it down?)`);
    }
    this.persistHardState(ctx);
  }

  onMessage(from: NodeId, msg: RaftMessage, ctx: Ctx): void {
    // Figure 2, rules for all servers: a higher term in any message makes us adopt it and become a follower.
    // Exceptions: pre-votes never change terms, and a server that heard from a live leader ignores vote requests.
    if (msg.term > this.currentTerm) {
      const preVoteTraffic = msg.type === "PreVote" || (msg.type === "PreVoteReply" && msg.voteGranted);
      // Thesis §4.2.3, disruptive servers: a removed server never hears of its removal (the leader stops sending to
      // it), so it times out and campaigns in ever higher terms. A server that heard from a leader within the minimum
      // election timeout neither adopts the term nor votes, with or without CheckQuorum. Vote requests from servers
      // outside our configuration are answered otherwise (thesis §4.1): a new server's vote may be needed.
      if (msg.type === "RequestVote" && !msg.transfer && this.leaderRecentlyHeard(ctx)) return;
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
      log: this.logForView(),
      snapshotIndex: this.log.snapshotIndex,
      snapshotTerm: this.log.snapshotTerm,
      commitIndex: this.commitIndex,
      lastApplied: this.lastApplied,
      members: this.members,
      learners: this.learners,
      electionDeadline: this.electionDeadline,
      ...(leader ? { nextIndex: Object.fromEntries(this.nextIndex), matchIndex: Object.fromEntries(this.matchIndex) } : {}),
      kv: this.kv.entries(),
    };
  }

  /**
   * The log as the view shows it. Log entries never change once made, so the lines of entries already shown are
   * kept, and the whole list (frozen: see frozenJson) is reused while the log is unchanged; the simulator then puts
   * it in state events as it is instead of copying a long log after every handler.
   */
  private logForView(): RaftView["log"] {
    if (this.shownLog.version === this.log.version) return this.shownLog.lines;
    const all = this.log.all();
    const { sources, lines } = this.shownLog;
    let same = 0;
    while (same < all.length && same < sources.length && all[same] === sources[same]) same++;
    const next = lines.slice(0, same);
    for (const e of all.slice(same)) next.push({ index: e.index, term: e.term, command: formatCommand(e.command) });
    this.shownLog = Object.freeze({ version: this.log.version, sources: Object.freeze([...all]), lines: frozenJson(next) });
    return this.shownLog.lines;
  }

  /** Servers this leader is catching up before they join the configuration (thesis §4.2.1); empty on a follower. */
  get learners(): readonly NodeId[] {
    return this.role === "leader" && this.catchUp !== undefined ? [this.catchUp.node] : [];
  }

  isMember(): boolean {
    return this.members.includes(this.id);
  }

  /**
   * Everything that decides what this server does next, for an exhaustive search, with node ids through `rename`.
   * Left out: clock readings (election deadline, last heard from a leader, when a pipelined send left or a catch-up
   * round began), the membership and peers (they follow from the log and the snapshot) and the entries kept for checkers.
   */
  canonical(rename: (id: NodeId) => NodeId = (id) => id): string {
    const hard = this.persistedHard;
    // One template rather than an array joined: a search encodes a node at nearly every state it reaches.
    return `${this.role}|${this.currentTerm}|${idText(this.votedFor, rename)}|${idText(this.leaderId, rename)}|${this.log.snapshotIndex}/${this.log.snapshotTerm}/${entriesText(this.log.all(), rename)}|${this.commitIndex}|${this.lastApplied}|${JSON.stringify(this.kv.toJSON())}|${snapshotText(this.snapshot, rename)}|${byNodeText(this.nextIndex, rename)}|${byNodeText(this.matchIndex, rename)}|${byNodeText(this.sentUpTo, rename)}|${idsText(this.votes, rename)}|${idsText(this.rejections, rename)}|${idsText(this.recentActive, rename)}|${this.pendingWrites.size === 0 ? "[]" : JSON.stringify([...this.pendingWrites])}|${this.pendingReads.length === 0 ? "[]" : JSON.stringify(this.pendingReads)}|${this.readSeq}|${byNodeText(this.readAcks, rename)}|${idText(this.transferTarget, rename)}|${byNodeText(this.inFlight, rename, upToText)}|${earlyText(this.early, rename)}|${this.catchUp === undefined ? "-" : `${rename(this.catchUp.node)}/${this.catchUp.requestIds.join(",")}/${this.catchUp.round}/${this.catchUp.roundEnd}`}|${hard.currentTerm}/${"votedFor" in hard ? idText(hard.votedFor ?? null, rename) : "?"}`;
  }

  /**
   * Members campaign. So does a server that the latest, still uncommitted configuration removes (thesis §4.2.2): until
   * that entry commits, the old configuration may need it to elect anyone (its log may be the only up-to-date one).
   * It does not count its own vote. Any other server outside the configuration (a learner, say) waits.
   */
  private mayCampaign(): boolean {
    if (this.isMember()) return true;
    const index = this.configIndex();
    return index > this.commitIndex && this.configAt(index - 1).includes(this.id);
  }

  // ---- elections (§5.2) --------------------------------------------------------------------------

  private resetElectionTimer(ctx: Ctx, delay?: number): void {
    const ms = delay ?? this.options.electionTimeoutOverride?.(this.id, ctx.now) ?? this.rules.randomElectionTimeout(ctx.rng, this.options.electionTimeout);
    ctx.setTimer("election", ms);
    this.electionDeadline = ctx.now + ms;
  }

  private onElectionTimeout(ctx: Ctx): void {
    if (this.role === "leader") return;
    if (!this.mayCampaign()) return this.resetElectionTimer(ctx);
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
      ctx.cancelTimer("catch-up");
      this.nextIndex.clear();
      this.matchIndex.clear();
      this.sentUpTo.clear();
      this.inFlight.clear();
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
    this.early.clear();
    // Figure 2: nextIndex starts just after the leader's last entry, matchIndex at 0.
    for (const p of this.peers()) this.trackPeer(p);
    // §8: a no-op of the new term lets everything earlier commit as soon as a majority stores it.
    if (this.options.noopOnElection) this.propose(ctx, { kind: "noop" });
    else this.broadcastAppend(ctx);
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

  /** The other members (kept with the configuration: a leader walks this list on every heartbeat). */
  private peers(): readonly NodeId[] {
    return this.peerIds;
  }

  private trackPeer(p: NodeId): void {
    this.nextIndex.set(p, this.log.lastIndex + 1);
    this.matchIndex.set(p, 0);
    this.sentUpTo.set(p, 0);
    this.inFlight.set(p, []);
  }

  private untrackPeer(p: NodeId): void {
    this.nextIndex.delete(p);
    this.matchIndex.delete(p);
    this.sentUpTo.delete(p);
    this.inFlight.delete(p);
  }

  /** Every follower of the configuration, and the learner being caught up (it gets entries but has no vote). */
  private broadcastAppend(ctx: Ctx): void {
    for (const p of this.peers()) this.sendAppend(ctx, p);
    if (this.catchUp !== undefined) this.sendAppend(ctx, this.catchUp.node);
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
    if (this.options.pipeline && entries.length > 0) {
      this.nextIndex.set(peer, prevLogIndex + entries.length + 1);
      this.inFlight.get(peer)?.push({ upTo: prevLogIndex + entries.length, at: ctx.now });
    }
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
    } else if (d.conflictTerm === undefined && msg.entries.length > 0 && msg.prevLogIndex > this.log.lastIndex && this.early.size < EARLY_LIMIT) {
      this.early.set(msg.prevLogIndex, { from, msg });
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
    if (d.success) this.takeEarly(ctx);
  }

  /** Applies the kept-aside AppendEntries that now follow the end of the log (those of older terms are dropped). */
  private takeEarly(ctx: Ctx): void {
    if (this.early.size === 0) return;
    for (const k of this.early.keys()) if (k < this.log.lastIndex) this.early.delete(k);
    const next = this.early.get(this.log.lastIndex);
    if (next === undefined) return;
    this.early.delete(this.log.lastIndex);
    if (next.msg.term === this.currentTerm) this.onAppendEntries(next.from, next.msg, ctx);
  }

  private onAppendEntriesReply(from: NodeId, msg: AppendEntriesReply, ctx: Ctx): void {
    if (this.role !== "leader" || msg.term !== this.currentTerm || !this.nextIndex.has(from)) return;
    if (msg.readSeq !== undefined) this.readAcks.set(from, Math.max(this.readAcks.get(from) ?? 0, msg.readSeq));
    const before = { nextIndex: this.nextIndex.get(from) as number, matchIndex: this.matchIndex.get(from) ?? 0 };
    const inFlight = this.inFlight.get(from);
    if (!msg.success && msg.conflictTerm === undefined && msg.conflictIndex !== undefined && inFlight !== undefined) {
      // The follower's log ends before this message's: if entries it lacks are on their way, this message overtook them.
      const filling = inFlight.find((f) => f.upTo >= (msg.conflictIndex as number));
      if (filling !== undefined && ctx.now - filling.at < this.options.heartbeatInterval) return this.processReads(ctx);
    }
    const after = this.rules.handleAppendEntriesReply(before, this.log, msg);
    if (inFlight !== undefined) {
      if (!msg.success) inFlight.length = 0;
      else while (inFlight.length > 0 && (inFlight[0] as { upTo: number }).upTo <= after.matchIndex) inFlight.shift();
    }
    this.nextIndex.set(from, after.nextIndex);
    this.matchIndex.set(from, after.matchIndex);
    if (msg.success) {
      // Only a new acknowledgement can move the commit index; a heartbeat's echo of old progress cannot.
      if (after.matchIndex > before.matchIndex) {
        if (after.matchIndex > this.commitIndex) this.maybeAdvanceCommit(ctx);
        if (from === this.catchUp?.node) this.advanceCatchUp(ctx, this.catchUp);
      }
      const unsent = (this.sentUpTo.get(from) ?? 0) < this.log.lastIndex;
      // More to send (a follower catching up, or batches larger than one message): the next batch goes now.
      if (this.role === "leader" && after.matchIndex > before.matchIndex && after.nextIndex <= this.log.lastIndex && unsent) this.sendAppend(ctx, from);
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

  /**
   * A leader's new entry: append it, send it, and commit it at once when this server alone is a majority (in a
   * one-member configuration no acknowledgement will ever come to advance the commit index). `requestIds` are the
   * clients to answer once it is applied.
   */
  private propose(ctx: Ctx, command: Command, requestIds: readonly number[] = []): LogEntry {
    const entry: LogEntry = { index: this.log.lastIndex + 1, term: this.currentTerm, command };
    this.changeLog(ctx, undefined, [entry]);
    if (requestIds.length > 0) this.pendingWrites.set(entry.index, { requestIds, term: entry.term });
    this.broadcastAppend(ctx);
    this.maybeAdvanceCommit(ctx);
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
    // Thesis §4.2.2: a leader removed by a committed configuration steps down, first telling the members the new
    // commit index (else they learn it only from the next leader, which without the election no-op may take a while).
    if (this.role === "leader" && !this.isMember() && this.configIndex() <= this.commitIndex) {
      this.broadcastAppend(ctx);
      this.becomeFollower(ctx, this.currentTerm, null);
    }
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
        for (const id of pending.requestIds) ctx.reply(id, result);
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
    const refuse = (error: "retry" | "bad-request", reason?: string) => ctx.reply(request.id, { ok: false, error, ...(reason === undefined ? {} : { reason }) } satisfies ClientResult);
    if (!ctx.nodes.includes(node)) return refuse("bad-request", `there is no server ${node}`);
    if (!add && this.members.length === 1 && this.members[0] === node) {
      return refuse("bad-request", `server ${node} is the last member: a configuration without members could never elect a leader or commit anything`);
    }
    // One change at a time, and only once an entry of this term is committed (the fix to the single-server
    // algorithm, raft-dev 2015). A leader that inherited an uncommitted configuration commits it the same way: with
    // an entry of its own term after it.
    if (!this.readyForChange()) {
      if (this.log.lastTerm !== this.currentTerm) this.propose(ctx, { kind: "noop" });
      if (!this.readyForChange()) return refuse("retry", "the previous change or this term's first entry is not committed yet");
    }
    const catchUp = this.catchUp;
    if (catchUp !== undefined) {
      if (add && catchUp.node === node) catchUp.requestIds.push(request.id);
      else refuse("retry", `server ${catchUp.node} is still being added`);
      return;
    }
    if (this.members.includes(node) === add) return ctx.reply(request.id, { ok: true } satisfies ClientResult);
    if (add) return this.startCatchUp(ctx, node, request.id);
    this.propose(ctx, { kind: "config", members: this.members.filter((m) => m !== node) }, [request.id]);
  }

  private readyForChange(): boolean {
    return this.configIndex() <= this.commitIndex && this.log.termAt(this.commitIndex) === this.currentTerm;
  }

  /**
   * Thesis §4.2.1, catching up new servers: a new server joins as a learner that receives entries but does not vote,
   * so that adding an empty server cannot leave the cluster unable to commit while it copies the log. The leader
   * replicates in rounds, each ending when the learner holds what the leader had when the round began; once a round
   * takes less than an election timeout, the learner is within a round of the leader and becomes a member.
   */
  private startCatchUp(ctx: Ctx, node: NodeId, requestId: number): void {
    this.catchUp = { node, requestIds: [requestId], round: 1, roundEnd: this.log.lastIndex, roundStartedAt: ctx.now };
    this.trackPeer(node);
    ctx.setTimer("catch-up", CATCH_UP_ROUND_LIMIT * this.options.electionTimeout.max);
    this.sendAppend(ctx, node);
  }

  private advanceCatchUp(ctx: Ctx, c: CatchUp): void {
    if ((this.matchIndex.get(c.node) ?? 0) < c.roundEnd) return;
    if (ctx.now - c.roundStartedAt < this.options.electionTimeout.min) {
      this.catchUp = undefined;
      ctx.cancelTimer("catch-up");
      this.propose(ctx, { kind: "config", members: [...this.members, c.node].sort((a, b) => a - b) }, c.requestIds);
      return;
    }
    if (c.round >= CATCH_UP_ROUNDS) return this.giveUpCatchUp(ctx, c, `it was still more than a round behind after ${CATCH_UP_ROUNDS} rounds`);
    c.round++;
    c.roundEnd = this.log.lastIndex;
    c.roundStartedAt = ctx.now;
    ctx.setTimer("catch-up", CATCH_UP_ROUND_LIMIT * this.options.electionTimeout.max);
  }

  /** Thesis §4.2.1: the leader abandons a change whose new server is unavailable or too slow to ever catch up. */
  private giveUpCatchUp(ctx: Ctx, c: CatchUp, why: string): void {
    this.catchUp = undefined;
    ctx.cancelTimer("catch-up");
    this.untrackPeer(c.node);
    const result: ClientResult = { ok: false, error: "retry", reason: `server ${c.node} was not added: ${why}` };
    for (const id of c.requestIds) ctx.reply(id, result);
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
    this.peerIds = Object.freeze(members.filter((m) => m !== this.id));
    if (this.role !== "leader") return;
    for (const p of this.peers()) if (!this.nextIndex.has(p)) this.trackPeer(p);
    for (const p of [...this.nextIndex.keys()]) if (!members.includes(p) && p !== this.catchUp?.node) this.untrackPeer(p);
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
    if (this.role === "leader" && from === this.catchUp?.node) this.advanceCatchUp(ctx, this.catchUp);
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
        this.propose(ctx, command, [request.id]);
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
    this.readSeq++;
    this.pendingReads.push({ requestId: request.id, key, seq: this.readSeq, readIndex: termCommitted ? this.commitIndex : undefined });
    if (!termCommitted && this.log.lastTerm !== this.currentTerm) this.propose(ctx, { kind: "noop" });
    else this.broadcastAppend(ctx);
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
    for (const { requestIds } of this.pendingWrites.values()) for (const id of requestIds) ctx.reply(id, lost);
    for (const r of this.pendingReads) ctx.reply(r.requestId, notDone);
    for (const id of this.catchUp?.requestIds ?? []) ctx.reply(id, notDone);
    this.pendingWrites.clear();
    this.pendingReads = [];
    this.catchUp = undefined;
  }

  // ---- persistence (Figure 2) ----------------------------------------------------------------------

  private persistHardState(ctx: Ctx): void {
    const hard = this.rules.persistenceDecision(this).hardState;
    const last = this.persistedHard;
    if (hard.currentTerm === last.currentTerm && hard.votedFor === last.votedFor && "votedFor" in hard === "votedFor" in last) return;
    this.persistedHard = Object.freeze({ ...hard });
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
