// The seeded fault schedule lesson 12 plays against a real etcd cluster and, step for step, against the simulator's Raft.

import { Rng } from "@course/sim";

/** The three members, named as etcd names them; the simulator numbers the same three 1, 2 and 3. */
export const MEMBERS = ["m1", "m2", "m3"] as const;
export type MemberName = (typeof MEMBERS)[number];

export const memberNumber = (name: string): number => MEMBERS.indexOf(name as MemberName) + 1;
export const memberName = (n: number): MemberName => {
  const name = MEMBERS[n - 1];
  if (name === undefined) throw new RangeError(`no member ${n}: the cluster has members 1-${MEMBERS.length}`);
  return name;
};

/**
 * Raft's two clocks. etcd's defaults are a 100 ms heartbeat and a 1000 ms election timeout; etcd draws each
 * follower's actual timeout from [electionMs, 2 * electionMs) (etcd-io/raft `resetRandomizedElectionTimeout`),
 * and the simulated Raft is given the same range so both sides wait alike.
 */
export interface Timing {
  readonly heartbeatMs: number;
  readonly electionMs: number;
}

export const ETCD_DEFAULT_TIMING: Timing = { heartbeatMs: 100, electionMs: 1000 };

/** etcd refuses an election timeout under five heartbeats; the same rule keeps the simulated run comparable. */
export function checkTiming(t: Timing): string | undefined {
  if (!Number.isInteger(t.heartbeatMs) || t.heartbeatMs < 10) return `the heartbeat must be a whole number of ms, at least 10 (got ${t.heartbeatMs})`;
  if (!Number.isInteger(t.electionMs) || t.electionMs < 5 * t.heartbeatMs) return `the election timeout must be at least 5 heartbeats (${5 * t.heartbeatMs} ms; got ${t.electionMs})`;
  if (t.electionMs > 50_000) return `the election timeout must be at most 50000 ms (got ${t.electionMs})`;
  return undefined;
}

/**
 * One fault. `kill` is SIGKILL then, after `downMs`, a restart on the same data directory (a crash); `pause` is
 * SIGSTOP then SIGCONT after `downMs` (a process that stops answering without dying, like a long GC pause or
 * a hung disk); `restart` is a clean stop (SIGTERM) and a start on the same data directory.
 */
export interface FaultStep {
  readonly kind: "kill" | "pause" | "restart";
  /** Whom to hit, decided when the step runs: whoever leads then, or a follower. */
  readonly target: "leader" | "follower";
  /** Which follower, when the target is one: the n-th in member order among the followers then (modulo their count). */
  readonly follower: number;
  /** Quiet time before the step, counted from the end of the one before (the restarted member answering again). */
  readonly gapMs: number;
  /** How long the member stays down or paused (0 for a clean restart). */
  readonly downMs: number;
}

export type Variant = "stale-read";

export interface FaultSchedule {
  readonly seed: number;
  readonly variant?: Variant;
  readonly timing: Timing;
  /** Clients work this long before the first fault. */
  readonly warmupMs: number;
  readonly steps: readonly FaultStep[];
  /** Clients keep working this long after the last fault. */
  readonly cooldownMs: number;
}

export const VARIANTS: Readonly<Record<Variant, string>> = {
  "stale-read":
    "clients read with serializable reads from one follower (etcd answers those from the member's own copy, without asking the leader) while that follower is paused again and again and writes go on elsewhere; the checker has to catch a stale read",
};

export const isVariant = (v: string): v is Variant => v in VARIANTS;

const draw = (rng: Rng, e: number, lo: number, hi: number) => Math.round(rng.uniform(lo * e, hi * e));

/**
 * The schedule for a seed. Every length is a multiple of the election timeout, so a faster clock (the tests use
 * one) gives the same story in less time. The normal run hits the cluster once with each kind of fault, in an
 * order and against targets the seed picks; the leader is killed in every run, since its replacement is what
 * the lesson measures. The stale-read variant pauses one follower `rounds` times.
 */
export function faultSchedule(seed: number, timing: Timing, options: { variant?: Variant; rounds?: number } = {}): FaultSchedule {
  const rng = new Rng(seed).fork("etcd-schedule");
  const e = timing.electionMs;
  if (options.variant === "stale-read") {
    // Long enough for writes to finish elsewhere while the follower is frozen, and for reads to queue up on it.
    const rounds = options.rounds ?? 5;
    const steps = Array.from({ length: rounds }, (): FaultStep => ({ kind: "pause", target: "follower", follower: 0, gapMs: draw(rng, e, 0.5, 1), downMs: draw(rng, e, 0.6, 1.2) }));
    return { seed, variant: "stale-read", timing, warmupMs: e, steps, cooldownMs: Math.round(e / 2) };
  }
  const kinds = rng.shuffle(["kill", "pause", "restart"] as const);
  const steps = kinds.map((kind): FaultStep => {
    const target = kind === "kill" || rng.chance(0.5) ? "leader" : "follower";
    const follower = rng.int(0, 1);
    const gapMs = draw(rng, e, 1, 1.5);
    // A kill or pause lasts past the longest election timeout, so a leader hit this way is replaced before it returns.
    const downMs = kind === "restart" ? 0 : draw(rng, e, 2.2, 3);
    return { kind, target, follower, gapMs, downMs };
  });
  return { seed, timing, warmupMs: e, steps, cooldownMs: e };
}

const SIGNAL: Record<FaultStep["kind"], string> = { kill: "SIGKILL", pause: "SIGSTOP", restart: "SIGTERM" };

/** "SIGKILL the leader, restart it 2.4 s later" (or, short, "SIGKILL the leader"), for narration and the page. */
export function describeStep(step: FaultStep, short = false): string {
  const head = `${SIGNAL[step.kind]} ${step.target === "leader" ? "the leader" : "a follower"}`;
  if (short) return head;
  const later = `${(step.downMs / 1000).toFixed(1)} s later`;
  switch (step.kind) {
    case "kill":
      return `${head}, restart it on its data directory ${later}`;
    case "pause":
      return `${head}, SIGCONT ${later}`;
    case "restart":
      return `${head} (a clean stop), start it again on its data directory`;
  }
}

/** Picks the member a step hits, from who leads now (the same rule on both sides). */
export function pickTarget(step: FaultStep, leader: number | undefined, up: readonly number[]): number | undefined {
  if (step.target === "leader") return leader;
  const followers = up.filter((n) => n !== leader).sort((a, b) => a - b);
  return followers.length === 0 ? undefined : followers[step.follower % followers.length];
}
