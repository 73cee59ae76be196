// What happened at each fault, measured the same way on the real cluster and in the simulator.

import type { FaultStep } from "./schedule.js";

export interface FaultRecord {
  /** Position in the schedule. */
  readonly step: number;
  readonly kind: FaultStep["kind"];
  readonly member: string;
  /** What the member was when it was hit. */
  readonly role: "leader" | "follower";
  /** When the fault began (SIGKILL, SIGSTOP or SIGTERM sent), in ms from the start of the schedule. */
  readonly at: number;
  /** When the member was started again or continued (equal to `at` plus the down time). */
  readonly endAt: number;
  /** When the member answered again after that. */
  readonly backAt?: number;
  readonly termBefore?: number;
  /** The first leader of a later term, when one came before the next fault, and when it was first seen. */
  readonly newLeader?: string;
  readonly newLeaderAt?: number;
  readonly newTerm?: number;
  /** A clean stop of a leader: the member it handed leadership to before exiting, by its own log (etcd only). */
  readonly handoffTo?: string;
}

/** One sighting of a leader: from a member's status answer (etcd) or the moment a server won (simulator). */
export interface LeaderReport {
  readonly t: number;
  /** False for a status request that got no answer. */
  readonly up?: boolean;
  readonly leader?: string;
  readonly term?: number;
}

/** The first report in [from, until) of a leader in a term above `term`: the cluster has a leader again. */
export function firstLeaderAfter(reports: readonly LeaderReport[], from: number, until: number, term: number): LeaderReport | undefined {
  return reports.find((r) => r.t >= from && r.t < until && r.up !== false && r.leader !== undefined && (r.term ?? 0) > term);
}

/**
 * Fills in who led next after each fault, and when: the first leader of a later term reported before the next
 * fault began (or `end`). It may be the member that was hit, if it came back and won the election itself.
 */
export function withSuccessors(records: readonly FaultRecord[], reports: readonly LeaderReport[], end: number): FaultRecord[] {
  return records.map((f, i) => {
    const next = firstLeaderAfter(reports, f.at, records[i + 1]?.at ?? end, f.termBefore ?? 0);
    return next ? { ...f, newLeader: next.leader as string, newLeaderAt: next.t, newTerm: next.term as number } : f;
  });
}

/** How long the cluster was without a leader it could use: from the fault to the first sight of the next leader. */
export function leaderGapMs(f: FaultRecord): number | undefined {
  return f.newLeaderAt === undefined ? undefined : f.newLeaderAt - f.at;
}

/** The faults that hit a leader: the ones whose recovery is a failover. */
export function failovers(records: readonly FaultRecord[]): FaultRecord[] {
  return records.filter((f) => f.role === "leader");
}

const VERB: Record<FaultStep["kind"], string> = { kill: "killed", pause: "paused", restart: "restarted" };

/** One side of the comparison table: "m1 -> m2 (term 3) in 666 ms", "follower m2; m1 kept leading". */
export function outcomeCell(f: FaultRecord | undefined): string {
  if (f === undefined) return "skipped (nobody to hit)";
  const gap = leaderGapMs(f);
  if (f.role === "follower") return gap === undefined ? `follower ${f.member}; no new leader` : `follower ${f.member}; yet ${f.newLeader ?? "?"} took over (term ${f.newTerm ?? "?"}) after ${Math.round(gap)} ms`;
  return gap === undefined ? `leader ${f.member}; no new leader` : `${f.member} -> ${f.newLeader ?? "?"} (term ${f.newTerm ?? "?"}) in ${Math.round(gap)} ms`;
}

/** "leader m2 killed: m3 led term 4 after 1234 ms", or why there is no number. */
export function describeFailover(f: FaultRecord): string {
  const gap = leaderGapMs(f);
  const what = `leader ${f.member} ${VERB[f.kind]}`;
  if (gap === undefined) return `${what}: no leader of a later term before the next fault`;
  return `${what}: ${f.newLeader ?? "?"} led term ${f.newTerm ?? "?"} after ${Math.round(gap)} ms`;
}

/**
 * Liveness after the faults: the first moment from `from` on when the latest report of every member says it
 * answers and names the same leader, or undefined if that never happens in `reports`.
 */
export function agreedAfter(reports: ReadonlyArray<LeaderReport & { readonly member: string }>, members: readonly string[], from: number): number | undefined {
  const latest = new Map<string, LeaderReport>();
  for (const r of reports) {
    latest.set(r.member, r);
    if (r.t < from) continue;
    const views = members.map((m) => latest.get(m));
    const leader = views[0]?.leader;
    if (leader !== undefined && views.every((v) => v !== undefined && v.up !== false && v.leader === leader)) return r.t;
  }
  return undefined;
}
