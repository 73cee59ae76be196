// Raft's safety properties (paper Figure 3, plus commit-index monotonicity and durability) as hooks run after every event.

import type { Hook, NodeId, Simulation, Violation } from "@course/sim";
import { durableLogReader, majority, type LogEntry, type RaftMessage, type RaftNode } from "@course/raft";

export type RaftHook = Hook<RaftMessage>;

/**
 * One property, checked against the live servers after an event. What it remembers of the run can be saved and
 * put back (`save`, `restore`), so a search that branches from checkpoints judges each branch by its own past.
 */
interface Check {
  (sim: Simulation<RaftMessage>, live: readonly RaftNode[]): Violation | undefined;
  save(): unknown;
  restore(memory: unknown): void;
}

/** A check with its memory: `save` copies the memory out, `restore` copies a saved one in. */
function check<T>(memory: T, copy: (m: T) => T, run: (m: T, sim: Simulation<RaftMessage>, live: readonly RaftNode[]) => Violation | undefined): Check {
  let m = memory;
  const c = ((sim, live) => run(m, sim, live)) as Check;
  c.save = () => copy(m);
  c.restore = (saved) => {
    m = copy(saved as T);
  };
  return c;
}

/** A number remembered per server incarnation (the simulator counts boots): a restarted server starts afresh. */
class PerIncarnation {
  private readonly byId = new Map<NodeId, { incarnation: number; value: number }>();
  get(sim: Simulation<RaftMessage>, node: RaftNode): number | undefined {
    const e = this.byId.get(node.id);
    return e !== undefined && e.incarnation === sim.incarnation(node.id) ? e.value : undefined;
  }
  set(sim: Simulation<RaftMessage>, node: RaftNode, value: number): void {
    this.byId.set(node.id, { incarnation: sim.incarnation(node.id), value });
  }
  copy(): PerIncarnation {
    const c = new PerIncarnation();
    for (const [id, e] of this.byId) c.byId.set(id, e);
    return c;
  }
}

/** What the checks read from a server; if none of it changed (a heartbeat, say), nothing new can be wrong. */
interface Fingerprint {
  node: RaftNode;
  role: string;
  term: number;
  tail: LogEntry | undefined;
  lastIndex: number;
  commitIndex: number;
  lastApplied: number;
}

function sameFingerprint(f: Fingerprint, node: RaftNode): boolean {
  return (
    f.node === node &&
    f.role === node.role &&
    f.term === node.currentTerm &&
    f.lastIndex === node.log.lastIndex &&
    f.tail === node.log.entryAt(node.log.lastIndex) &&
    f.commitIndex === node.commitIndex &&
    f.lastApplied === node.lastApplied
  );
}

/**
 * Runs several checks off one list of live servers, so a step costs one pass however many properties are on,
 * and skips them when no live server changed anything they read and no server went down or came back.
 * The checks remember the run's history, so a replay from the start (a rewind, or a fork with other faults)
 * gets fresh ones: otherwise the replay would be judged against a future that no longer happens. For checkpoints
 * the hook saves and restores that memory; the fingerprints, a cache tied to node objects, start afresh.
 */
function hookOf(makeChecks: () => readonly Check[]): RaftHook {
  let checks = makeChecks();
  let lastStep = -1;
  const live: RaftNode[] = [];
  const prints = new Map<NodeId, Fingerprint>();
  const restart = () => {
    checks = makeChecks();
    prints.clear();
  };
  const hook: RaftHook = (sim) => {
    if (sim.stepCount < lastStep) restart();
    lastStep = sim.stepCount;
    live.length = 0;
    let changed = false;
    for (const id of sim.nodeIds) {
      const node = sim.node<RaftNode>(id);
      const f = prints.get(id);
      if (node === undefined) {
        if (f !== undefined) {
          prints.delete(id);
          changed = true;
        }
        continue;
      }
      live.push(node);
      if (f === undefined || !sameFingerprint(f, node)) {
        changed = true;
        prints.set(id, { node, role: node.role, term: node.currentTerm, tail: node.log.entryAt(node.log.lastIndex), lastIndex: node.log.lastIndex, commitIndex: node.commitIndex, lastApplied: node.lastApplied });
      }
    }
    if (!changed) return undefined;
    for (const check of checks) {
      const v = check(sim, live);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  hook.reset = () => {
    restart();
    lastStep = -1;
  };
  hook.save = () => ({ lastStep, checks: checks.map((c) => c.save()) });
  hook.restore = (memory) => {
    const m = memory as { lastStep: number; checks: readonly unknown[] };
    lastStep = m.lastStep;
    prints.clear();
    checks.forEach((c, i) => c.restore(m.checks[i]));
  };
  return hook;
}

/** Figure 3, Election Safety: at most one leader can be elected in a given term. */
export function electionSafety(): RaftHook {
  return hookOf(() => [electionSafetyCheck()]);
}

function electionSafetyCheck(): Check {
  return check(new Map<number, NodeId>(), (m) => new Map(m), (leaders, _sim, live) => {
    for (const node of live) {
      const id = node.id;
      if (node.role !== "leader") continue;
      const other = leaders.get(node.currentTerm);
      if (other === undefined) leaders.set(node.currentTerm, id);
      else if (other !== id) {
        return violation("Election Safety", `nodes ${other} and ${id} were both leader in term ${node.currentTerm}`, { term: node.currentTerm, leaders: [other, id] });
      }
    }
    return undefined;
  });
}

/**
 * Figure 3, Log Matching: if two logs contain an entry with the same index and term, the logs are identical up
 * to that index. Checked inductively: every (index, term) must always carry the same command and follow an
 * entry of the same term, on every server. Only entries not seen before are examined, so the cost stays small.
 */
export function logMatching(): RaftHook {
  return hookOf(() => [logMatchingCheck()]);
}

function logMatchingCheck(): Check {
  type Memory = {
    readonly known: Map<string, { command: string; prevTerm: number | undefined; node: NodeId }>;
    /** Caches of entries already examined; a restored memory starts them afresh (they may come from another branch). */
    readonly seen: WeakSet<LogEntry>;
    readonly lastEntry: Map<NodeId, LogEntry | undefined>;
  };
  const fresh = (known: Memory["known"]): Memory => ({ known, seen: new WeakSet(), lastEntry: new Map() });
  return check(fresh(new Map()), (m) => fresh(new Map(m.known)), ({ known, seen, lastEntry }, _sim, live) => {
    for (const node of live) {
      const id = node.id;
      const log = node.log;
      // Logs only change at the end, so an unchanged last entry means nothing new to check.
      const tail = log.entryAt(log.lastIndex);
      if (lastEntry.get(id) === tail && tail !== undefined) continue;
      lastEntry.set(id, tail);
      for (let i = log.lastIndex; i > log.snapshotIndex; i--) {
        const e = log.entryAt(i) as LogEntry;
        if (seen.has(e)) break;
        seen.add(e);
        const key = `${e.index}:${e.term}`;
        const command = JSON.stringify(e.command);
        const prevTerm = log.termAt(e.index - 1);
        const before = known.get(key);
        if (before === undefined) known.set(key, { command, prevTerm, node: id });
        else if (before.command !== command || (before.prevTerm !== undefined && prevTerm !== undefined && before.prevTerm !== prevTerm)) {
          return violation(
            "Log Matching",
            `entry ${e.index} of term ${e.term} differs between nodes ${before.node} and ${id}: ${before.command} after term ${before.prevTerm} vs ${command} after term ${prevTerm}`,
            { index: e.index, term: e.term, nodes: [before.node, id] },
          );
        }
      }
    }
    return undefined;
  });
}

/** What the checker knows of one committed entry. */
interface CommittedEntry {
  /** The entry's own term. */
  readonly term: number;
  /**
   * The term in which it was seen committed: the observing server's term when its commitIndex first covered the
   * entry. That is the committing leader's term (it sees the commit first), or later: never earlier.
   */
  readonly committedIn: number;
}

/**
 * What the checker learns about committed entries, from any server's commitIndex (sparse, by log index).
 * Returns the lowest index learned in this call (Infinity if none).
 */
function trackCommitted(sim: Simulation<RaftMessage>, live: readonly RaftNode[], committed: CommittedEntry[], seenCommit: PerIncarnation): number {
  let lowestNew = Infinity;
  for (const node of live) {
    const seen = seenCommit.get(sim, node) ?? 0;
    if (node.commitIndex <= seen) continue;
    for (let i = Math.max(seen, node.log.snapshotIndex) + 1; i <= node.commitIndex; i++) {
      const t = node.log.termAt(i);
      if (t !== undefined && committed[i] === undefined) {
        committed[i] = { term: t, committedIn: node.currentTerm };
        lowestNew = Math.min(lowestNew, i);
      }
    }
    seenCommit.set(sim, node, node.commitIndex);
  }
  return lowestNew;
}

/** Figure 3, Leader Completeness: an entry committed in a term is in the log of every leader of a later term. */
export function leaderCompleteness(): RaftHook {
  return hookOf(() => [leaderCompletenessCheck()]);
}

function leaderCompletenessCheck(): Check {
  type Memory = {
    readonly committed: CommittedEntry[];
    readonly seenCommit: PerIncarnation;
    /** The last term in which each server's leadership was checked. */
    readonly checkedTerm: Map<NodeId, number>;
  };
  const copy = (m: Memory): Memory => ({ committed: m.committed.slice(), seenCommit: m.seenCommit.copy(), checkedTerm: new Map(m.checkedTerm) });
  return check<Memory>({ committed: [], seenCommit: new PerIncarnation(), checkedTerm: new Map() }, copy, ({ committed, seenCommit, checkedTerm }, sim, live) => {
    // A commit can become known after a later-term leader took office (a deposed leader that learns late, or a
    // buggy rule), so new commits are checked against the leaders in office too, not only new leaders.
    const lowestNew = trackCommitted(sim, live, committed, seenCommit);
    for (const node of live) {
      const id = node.id;
      if (node.role !== "leader") continue;
      const fresh = checkedTerm.get(id) !== node.currentTerm;
      if (!fresh && lowestNew === Infinity) continue;
      checkedTerm.set(id, node.currentTerm);
      // Entries inside the leader's snapshot were applied, so they are in its state; check the log after it.
      for (let index = Math.max(node.log.snapshotIndex + 1, fresh ? 0 : lowestNew); index < committed.length; index++) {
        const c = committed[index];
        // Figure 3 binds only leaders of terms after the one the entry was committed in: a leader of an earlier
        // term (Figure 8's S5 in term 3, say) may lack an old-term entry that a later leader commits.
        if (c === undefined || c.committedIn >= node.currentTerm) continue;
        if (node.log.termAt(index) !== c.term) {
          return violation(
            "Leader Completeness",
            `node ${id} leads term ${node.currentTerm} without entry ${index} (term ${c.term}), committed in term ${c.committedIn}; its log has ${node.log.termAt(index) === undefined ? "nothing" : `term ${node.log.termAt(index)}`} there`,
            { leader: id, term: node.currentTerm, index, committedTerm: c.term, committedIn: c.committedIn },
          );
        }
      }
    }
    return undefined;
  });
}

/** Figure 3, State Machine Safety: no two servers apply different entries at the same index. */
export function stateMachineSafety(): RaftHook {
  return hookOf(() => [stateMachineSafetyCheck()]);
}

function stateMachineSafetyCheck(): Check {
  type Memory = { readonly applied: Map<number, { term: number; command: string; node: NodeId }>; readonly seenApplied: PerIncarnation };
  const copy = (m: Memory): Memory => ({ applied: new Map(m.applied), seenApplied: m.seenApplied.copy() });
  return check<Memory>({ applied: new Map(), seenApplied: new PerIncarnation() }, copy, ({ applied, seenApplied }, sim, live) => {
    for (const node of live) {
      const id = node.id;
      const seen = seenApplied.get(sim, node) ?? node.log.snapshotIndex;
      if (node.lastApplied <= seen) continue;
      for (const e of newlyApplied(node, seen)) {
        const command = JSON.stringify(e.command);
        const before = applied.get(e.index);
        if (before === undefined) applied.set(e.index, { term: e.term, command, node: id });
        else if (before.term !== e.term || before.command !== command) {
          return violation(
            "State Machine Safety",
            `index ${e.index}: node ${before.node} applied ${before.command} (term ${before.term}) but node ${id} applied ${command} (term ${e.term})`,
            { index: e.index, nodes: [before.node, id] },
          );
        }
      }
      seenApplied.set(sim, node, node.lastApplied);
    }
    return undefined;
  });
}

/** A server's commitIndex never goes down while it runs (it is volatile, so a restart starts it again). */
export function commitIndexMonotonic(): RaftHook {
  return hookOf(() => [commitIndexMonotonicCheck()]);
}

function commitIndexMonotonicCheck(): Check {
  return check(new PerIncarnation(), (m) => m.copy(), (last, sim, live) => {
    for (const node of live) {
      const id = node.id;
      const before = last.get(sim, node);
      if (before !== undefined && node.commitIndex < before) {
        return violation("Commit Index Monotonic", `node ${id}'s commit index went back from ${before} to ${node.commitIndex}`, { node: id, from: before, to: node.commitIndex });
      }
      if (before !== node.commitIndex) last.set(sim, node, node.commitIndex);
    }
    return undefined;
  });
}

/**
 * Durability: an entry any server has applied reached the disks of a majority of the configuration it was
 * applied in, so no crash can lose it. Checked when a server crashes (the moment memory is lost), for the entries
 * applied since the previous check; disks keep what they hold across crashes, and an entry later erased from a
 * majority of disks would also break Leader Completeness or State Machine Safety.
 */
export function appliedEntriesDurable(): RaftHook {
  return hookOf(() => [appliedEntriesDurableCheck()]);
}

function appliedEntriesDurableCheck(): Check {
  type Memory = {
    readonly unverified: Map<number, { term: number; members: readonly NodeId[] }>;
    readonly recorded: Set<number>;
    readonly seenApplied: PerIncarnation;
    readonly crashed: Set<NodeId>;
  };
  const copy = (m: Memory): Memory => ({ unverified: new Map(m.unverified), recorded: new Set(m.recorded), seenApplied: m.seenApplied.copy(), crashed: new Set(m.crashed) });
  return check<Memory>({ unverified: new Map(), recorded: new Set(), seenApplied: new PerIncarnation(), crashed: new Set() }, copy, ({ unverified, recorded, seenApplied, crashed }, sim, live) => {
    for (const node of live) {
      const seen = seenApplied.get(sim, node) ?? node.log.snapshotIndex;
      if (node.lastApplied <= seen) continue;
      for (const e of newlyApplied(node, seen)) {
        if (recorded.has(e.index)) continue;
        recorded.add(e.index);
        unverified.set(e.index, { term: e.term, members: node.members });
      }
      seenApplied.set(sim, node, node.lastApplied);
    }
    if (live.length === sim.nodeIds.length) {
      crashed.clear();
      return undefined;
    }
    let newCrash = false;
    for (const id of sim.nodeIds) {
      const down = sim.status(id) === "crashed";
      if (down && !crashed.has(id)) newCrash = true;
      if (down) crashed.add(id);
      else crashed.delete(id);
    }
    if (!newCrash || unverified.size === 0) return undefined;
    const readers = new Map(sim.nodeIds.map((id) => [id, durableLogReader(sim.storage(id))] as const));
    for (const [index, { term, members }] of unverified) {
      // Only members' disks count: a server outside the configuration never votes, so its copy saves nothing.
      const holders = members.filter((id) => readers.get(id)?.(index, term) === true);
      const need = majority(members.length);
      if (holders.length < need) {
        return violation(
          "Applied Entries Durable",
          `applied entry ${index} (term ${term}) is on the disk of only ${holders.length} member(s) [${holders.join(", ")}] of [${members.join(", ")}], fewer than a majority (${need}): a crash can lose it`,
          { index, term, holders },
        );
      }
    }
    unverified.clear();
    return undefined;
  });
}

/** The entries a server applied after index `seen`, oldest first, found by scanning back from the newest. */
function newlyApplied(node: RaftNode, seen: number): readonly LogEntry[] {
  const recent = node.recentlyApplied;
  let k = recent.length;
  while (k > 0 && (recent[k - 1] as LogEntry).index > seen) k--;
  return k === recent.length ? [] : recent.slice(k);
}

function violation(checker: string, message: string, details: unknown): Violation {
  return { checker, message, details };
}

/** Every Raft invariant, fresh (the hook keeps its own memory of the run), checked in one pass per event. */
export function raftInvariants(): RaftHook[] {
  return [hookOf(() => [electionSafetyCheck(), logMatchingCheck(), leaderCompletenessCheck(), stateMachineSafetyCheck(), commitIndexMonotonicCheck(), appliedEntriesDurableCheck()])];
}

export const RAFT_INVARIANT_NAMES = [
  "Election Safety",
  "Log Matching",
  "Leader Completeness",
  "State Machine Safety",
  "Commit Index Monotonic",
  "Applied Entries Durable",
] as const;
