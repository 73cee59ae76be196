// Raft's safety properties (paper Figure 3, plus commit-index monotonicity and durability) as hooks run after every event.

import type { Hook, NodeId, Simulation, Violation } from "@course/sim";
import { durableLogReader, majority, type LogEntry, type RaftMessage, type RaftNode } from "@course/raft";

export type RaftHook = Hook<RaftMessage>;

/**
 * One property, checked after an event. `changed` holds the live servers whose fingerprint changed (or that just
 * came up): whatever a check learns from a server, it learns from those; `live` is every running server. What it
 * remembers of the run can be saved and put back (`save`, `restore`), so a search that branches from checkpoints
 * judges each branch by its own past.
 */
interface Check {
  (sim: Simulation<RaftMessage>, live: readonly RaftNode[], changed: readonly RaftNode[]): Violation | undefined;
  save(): unknown;
  restore(memory: unknown): void;
}

type Copiers<T> = { readonly [K in keyof T]: (value: T[K]) => T[K] };

/**
 * A check's memory, copied on write: saved memory is shared with checkpoints, never changed in place. A call reads
 * the current containers and copies one only the first time it changes it; `commit` then makes the copies current.
 * So saving and restoring cost nothing, and a step that learns nothing new copies nothing.
 */
class Memory<T extends object> {
  private changed: Partial<T> = {};
  private dirty = false;
  constructor(
    public current: T,
    private readonly copiers: Copiers<T>,
  ) {}
  read<K extends keyof T>(key: K): T[K] {
    return this.dirty && key in this.changed ? (this.changed[key] as T[K]) : this.current[key];
  }
  write<K extends keyof T>(key: K): T[K] {
    if (!(key in this.changed)) {
      this.changed[key] = this.copiers[key](this.current[key]);
      this.dirty = true;
    }
    return this.changed[key] as T[K];
  }
  commit(): void {
    if (!this.dirty) return;
    this.current = { ...this.current, ...this.changed };
    this.changed = {};
    this.dirty = false;
  }
}

/** A check with its memory (see Memory); `onRestore` lets it drop caches that belong to the memory it had. */
function check<T extends object>(
  initial: T,
  copiers: Copiers<T>,
  run: (m: Memory<T>, sim: Simulation<RaftMessage>, live: readonly RaftNode[], changed: readonly RaftNode[]) => Violation | undefined,
  onRestore?: () => void,
): Check {
  const m = new Memory(initial, copiers);
  const c = ((sim, live, changed) => {
    try {
      return run(m, sim, live, changed);
    } finally {
      m.commit();
    }
  }) as Check;
  c.save = () => m.current;
  c.restore = (saved) => {
    m.current = saved as T;
    onRestore?.();
  };
  return c;
}

const copyMap = <K, V>(m: ReadonlyMap<K, V>) => new Map(m);
const copySet = <V>(s: ReadonlySet<V>) => new Set(s);

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
const copyPer = (p: PerIncarnation) => p.copy();

/** What the checks read from a server; if none of it changed (a heartbeat, say), nothing new can be wrong. */
interface Fingerprint {
  /** Which boot of the server: a restarted server is checked afresh. */
  incarnation: number;
  role: string;
  term: number;
  tail: LogEntry | undefined;
  lastIndex: number;
  commitIndex: number;
  lastApplied: number;
}

function sameFingerprint(f: Fingerprint, node: RaftNode, incarnation: number): boolean {
  return (
    f.incarnation === incarnation &&
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
 * the hook saves and restores that memory, fingerprints included.
 */
function hookOf(makeChecks: () => readonly Check[]): RaftHook {
  let checks = makeChecks();
  let lastStep = -1;
  const live: RaftNode[] = [];
  const changedNodes: RaftNode[] = [];
  /** Copied on change, like the checks' memory, so checkpoints share it. */
  let prints = new Map<NodeId, Fingerprint>();
  const restart = () => {
    checks = makeChecks();
    prints = new Map();
  };
  const hook: RaftHook = (sim) => {
    if (sim.stepCount < lastStep) restart();
    lastStep = sim.stepCount;
    live.length = 0;
    changedNodes.length = 0;
    let changed = false;
    let fresh: Map<NodeId, Fingerprint> | undefined;
    for (const id of sim.nodeIds) {
      const node = sim.node<RaftNode>(id);
      const f = prints.get(id);
      if (node === undefined) {
        if (f !== undefined) {
          (fresh ??= new Map(prints)).delete(id);
          changed = true;
        }
        continue;
      }
      live.push(node);
      const incarnation = sim.incarnation(id);
      if (f === undefined || !sameFingerprint(f, node, incarnation)) {
        changed = true;
        changedNodes.push(node);
        (fresh ??= new Map(prints)).set(id, { incarnation, role: node.role, term: node.currentTerm, tail: node.log.entryAt(node.log.lastIndex), lastIndex: node.log.lastIndex, commitIndex: node.commitIndex, lastApplied: node.lastApplied });
      }
    }
    if (fresh !== undefined) prints = fresh;
    if (!changed) return undefined;
    for (const check of checks) {
      const v = check(sim, live, changedNodes);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  hook.reset = () => {
    restart();
    lastStep = -1;
  };
  hook.save = () => ({ lastStep, prints, checks: checks.map((c) => c.save()) });
  hook.restore = (memory) => {
    const m = memory as { lastStep: number; prints: Map<NodeId, Fingerprint>; checks: readonly unknown[] };
    lastStep = m.lastStep;
    prints = m.prints;
    checks.forEach((c, i) => c.restore(m.checks[i]));
  };
  return hook;
}

/** Figure 3, Election Safety: at most one leader can be elected in a given term. */
export function electionSafety(): RaftHook {
  return hookOf(() => [electionSafetyCheck()]);
}

function electionSafetyCheck(): Check {
  return check({ leaders: new Map<number, NodeId>() }, { leaders: copyMap }, (m, _sim, _live, changed) => {
    for (const node of changed) {
      const id = node.id;
      if (node.role !== "leader") continue;
      const other = m.read("leaders").get(node.currentTerm);
      if (other === undefined) m.write("leaders").set(node.currentTerm, id);
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
  /** The first copy seen of each (index, term), by index: entries of several terms at one index are rare. */
  type Known = Map<number, ReadonlyArray<{ entry: LogEntry; prevTerm: number | undefined; node: NodeId }>>;
  /**
   * A cache, not memory: the entries already examined, marked with the era they were examined in. Within an era
   * the table of known entries only grows, so an entry examined earlier in the era still agrees with it. A restore
   * (another branch's table) starts a new era, in which every entry is examined again once.
   */
  const seen = new WeakMap<LogEntry, object>();
  let era = {};
  const run = (m: Memory<{ known: Known }>, _sim: Simulation<RaftMessage>, _live: readonly RaftNode[], changed: readonly RaftNode[]): Violation | undefined => {
    for (const node of changed) {
      const id = node.id;
      const log = node.log;
      // Logs only change at the end, so an entry already examined means everything before it was too.
      for (let i = log.lastIndex; i > log.snapshotIndex; i--) {
        const e = log.entryAt(i) as LogEntry;
        if (seen.get(e) === era) break;
        seen.set(e, era);
        const prevTerm = log.termAt(e.index - 1);
        const atIndex = m.read("known").get(e.index);
        const before = atIndex?.find((k) => k.entry.term === e.term);
        // A new array rather than a push: saved memory shares the old one.
        if (before === undefined) m.write("known").set(e.index, [...(atIndex ?? []), { entry: e, prevTerm, node: id }]);
        else if (!sameValue(before.entry.command, e.command) || (before.prevTerm !== undefined && prevTerm !== undefined && before.prevTerm !== prevTerm)) {
          return violation(
            "Log Matching",
            `entry ${e.index} of term ${e.term} differs between nodes ${before.node} and ${id}: ${JSON.stringify(before.entry.command)} after term ${before.prevTerm} vs ${JSON.stringify(e.command)} after term ${prevTerm}`,
            { index: e.index, term: e.term, nodes: [before.node, id] },
          );
        }
      }
    }
    return undefined;
  };
  return check({ known: new Map() as Known }, { known: copyMap }, run, () => {
    era = {};
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
function trackCommitted(sim: Simulation<RaftMessage>, changed: readonly RaftNode[], m: Memory<LeaderCompletenessMemory>): number {
  let lowestNew = Infinity;
  for (const node of changed) {
    const seen = m.read("seenCommit").get(sim, node) ?? 0;
    if (node.commitIndex <= seen) continue;
    for (let i = Math.max(seen, node.log.snapshotIndex) + 1; i <= node.commitIndex; i++) {
      const t = node.log.termAt(i);
      if (t !== undefined && m.read("committed")[i] === undefined) {
        m.write("committed")[i] = { term: t, committedIn: node.currentTerm };
        lowestNew = Math.min(lowestNew, i);
      }
    }
    m.write("seenCommit").set(sim, node, node.commitIndex);
  }
  return lowestNew;
}

interface LeaderCompletenessMemory {
  readonly committed: CommittedEntry[];
  readonly seenCommit: PerIncarnation;
  /** The last term in which each server's leadership was checked. */
  readonly checkedTerm: Map<NodeId, number>;
}

/** Figure 3, Leader Completeness: an entry committed in a term is in the log of every leader of a later term. */
export function leaderCompleteness(): RaftHook {
  return hookOf(() => [leaderCompletenessCheck()]);
}

function leaderCompletenessCheck(): Check {
  const initial: LeaderCompletenessMemory = { committed: [], seenCommit: new PerIncarnation(), checkedTerm: new Map() };
  return check(initial, { committed: (c) => c.slice(), seenCommit: copyPer, checkedTerm: copyMap }, (m, sim, live, changed) => {
    // A commit can become known after a later-term leader took office (a deposed leader that learns late, or a
    // buggy rule), so new commits are checked against the leaders in office too, not only new leaders.
    const lowestNew = trackCommitted(sim, changed, m);
    const committed = m.read("committed");
    for (const node of live) {
      const id = node.id;
      if (node.role !== "leader") continue;
      const fresh = m.read("checkedTerm").get(id) !== node.currentTerm;
      if (!fresh && lowestNew === Infinity) continue;
      if (fresh) m.write("checkedTerm").set(id, node.currentTerm);
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
  const initial = { applied: new Map<number, { entry: LogEntry; node: NodeId }>(), seenApplied: new PerIncarnation() };
  return check(initial, { applied: copyMap, seenApplied: copyPer }, (m, sim, _live, changed) => {
    for (const node of changed) {
      const id = node.id;
      const seen = m.read("seenApplied").get(sim, node) ?? node.log.snapshotIndex;
      if (node.lastApplied <= seen) continue;
      for (const e of newlyApplied(node, seen)) {
        const before = m.read("applied").get(e.index);
        if (before === undefined) m.write("applied").set(e.index, { entry: e, node: id });
        else if (before.entry.term !== e.term || !sameValue(before.entry.command, e.command)) {
          return violation(
            "State Machine Safety",
            `index ${e.index}: node ${before.node} applied ${JSON.stringify(before.entry.command)} (term ${before.entry.term}) but node ${id} applied ${JSON.stringify(e.command)} (term ${e.term})`,
            { index: e.index, nodes: [before.node, id] },
          );
        }
      }
      m.write("seenApplied").set(sim, node, node.lastApplied);
    }
    return undefined;
  });
}

/** A server's commitIndex never goes down while it runs (it is volatile, so a restart starts it again). */
export function commitIndexMonotonic(): RaftHook {
  return hookOf(() => [commitIndexMonotonicCheck()]);
}

function commitIndexMonotonicCheck(): Check {
  return check({ last: new PerIncarnation() }, { last: copyPer }, (m, sim, _live, changed) => {
    for (const node of changed) {
      const id = node.id;
      const before = m.read("last").get(sim, node);
      if (before !== undefined && node.commitIndex < before) {
        return violation("Commit Index Monotonic", `node ${id}'s commit index went back from ${before} to ${node.commitIndex}`, { node: id, from: before, to: node.commitIndex });
      }
      if (before !== node.commitIndex) m.write("last").set(sim, node, node.commitIndex);
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
  const initial = {
    unverified: new Map<number, { term: number; members: readonly NodeId[] }>(),
    recorded: new Set<number>(),
    seenApplied: new PerIncarnation(),
    crashed: new Set<NodeId>(),
  };
  return check(initial, { unverified: copyMap, recorded: copySet, seenApplied: copyPer, crashed: copySet }, (m, sim, live, changed) => {
    for (const node of changed) {
      const seen = m.read("seenApplied").get(sim, node) ?? node.log.snapshotIndex;
      if (node.lastApplied <= seen) continue;
      for (const e of newlyApplied(node, seen)) {
        if (m.read("recorded").has(e.index)) continue;
        m.write("recorded").add(e.index);
        m.write("unverified").set(e.index, { term: e.term, members: node.members });
      }
      m.write("seenApplied").set(sim, node, node.lastApplied);
    }
    if (live.length === sim.nodeIds.length) {
      if (m.read("crashed").size > 0) m.write("crashed").clear();
      return undefined;
    }
    let newCrash = false;
    for (const id of sim.nodeIds) {
      const down = sim.status(id) === "crashed";
      const known = m.read("crashed").has(id);
      if (down && !known) newCrash = true;
      if (down && !known) m.write("crashed").add(id);
      else if (!down && known) m.write("crashed").delete(id);
    }
    const unverified = m.read("unverified");
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
    m.write("unverified").clear();
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

/**
 * Whether two JSON-like values are equal, field by field: what comparing their JSON would say, without building the
 * strings (the checks compare commands after nearly every event).
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let keys = 0;
  for (const k in x) {
    if (x[k] === undefined) continue;
    keys++;
    if (!sameValue(x[k], y[k])) return false;
  }
  for (const k in y) if (y[k] !== undefined) keys--;
  return keys === 0;
}
