// Plays one step of the fault schedule against the real cluster: SIGKILL, SIGSTOP/SIGCONT or a clean restart, measured.

import { setTimeout as sleep } from "node:timers/promises";
import type { FaultRecord } from "../faults.js";
import type { RunEvent } from "../run-trace.js";
import { memberName, memberNumber, pickTarget, type FaultStep, type Timing } from "../schedule.js";
import type { EtcdCluster } from "./cluster.js";
import { handoffIn } from "./etcd-log.js";
import type { StatusWatcher } from "./watcher.js";

export interface NemesisContext {
  readonly cluster: EtcdCluster;
  readonly watcher: StatusWatcher;
  readonly timing: Timing;
  readonly clock: () => number;
  /** Aborted when the run is interrupted. */
  readonly signal: AbortSignal;
  /** Member ids (decimal, as the status API writes them) to names. */
  readonly names: ReadonlyMap<string, string>;
  /** Records and narrates a moment of the run. */
  event(e: RunEvent): void;
}

/**
 * Waits out the step's gap, picks its target from what the status API says now (or takes `fixedTarget`), hits it,
 * brings it back, and waits until it answers again. Returns what happened (who led next is filled in afterwards,
 * from the status answers up to the next fault), or undefined when there was nobody to hit.
 */
export async function playStep(step: FaultStep, index: number, ctx: NemesisContext, fixedTarget?: string): Promise<FaultRecord | undefined> {
  const { cluster, watcher, clock, signal } = ctx;
  await sleep(step.gapMs, undefined, { signal });
  const leader = watcher.leader();
  const up = watcher.answering().map(memberNumber);
  const picked = fixedTarget ?? (() => {
    const n = pickTarget(step, leader === undefined ? undefined : memberNumber(leader.member), up);
    return n === undefined ? undefined : memberName(n);
  })();
  if (picked === undefined || !cluster.isRunning(picked)) {
    ctx.event({ t: clock(), kind: "note", text: `fault ${index + 1}: no ${step.target} to hit now; skipped` });
    return undefined;
  }
  const member = picked;
  const role = leader?.member === member ? "leader" : "follower";
  const termBefore = leader?.term ?? watcher.latestOf(member)?.term ?? 0;
  const at = clock();
  let handoffTo: string | undefined;
  const who = `${member} (${role === "leader" ? `the leader, term ${termBefore}` : "a follower"})`;
  switch (step.kind) {
    case "kill":
      ctx.event({ t: at, kind: "fault", member, text: `SIGKILL ${who}` });
      await cluster.kill(member);
      await sleep(Math.max(0, at + step.downMs - clock()), undefined, { signal });
      break;
    case "pause":
      ctx.event({ t: at, kind: "fault", member, text: `SIGSTOP ${who}` });
      cluster.pause(member);
      await sleep(step.downMs, undefined, { signal });
      cluster.resume(member);
      ctx.event({ t: clock(), kind: "note", member, text: `SIGCONT ${member}: it runs again` });
      break;
    case "restart": {
      ctx.event({ t: at, kind: "fault", member, text: `SIGTERM ${who}: a clean stop` });
      const logFrom = cluster.logSize(member);
      await cluster.stop(member);
      ctx.event({ t: clock(), kind: "note", member, text: `${member} has exited` });
      const h = handoffIn(cluster.logSince(member, logFrom));
      if (h) {
        handoffTo = ctx.names.get(h.toMemberId) ?? h.toMemberId;
        ctx.event({ t: clock(), kind: "note", member, text: `${member}'s own log: it handed leadership to ${handoffTo} before exiting${h.took ? ` (took ${h.took})` : ""}` });
      }
      break;
    }
  }
  if (step.kind !== "pause") {
    const pid = cluster.start(member);
    ctx.event({ t: clock(), kind: "note", member, text: `${member} starts again on its data directory (pid ${pid})` });
  }
  const endAt = clock();
  const back = await watcher.waitFor(() => {
    const s = watcher.latestOf(member);
    return s !== undefined && s.up && s.t > endAt;
  }, 20 * ctx.timing.electionMs, signal);
  if (signal.aborted) throw signal.reason;
  const backAt = back ? watcher.latestOf(member)?.t : undefined;
  if (back) ctx.event({ t: backAt as number, kind: "back", member, text: `${member} is back` });
  return { step: index, kind: step.kind, member, role, at, endAt, ...(backAt === undefined ? {} : { backAt }), termBefore, ...(handoffTo === undefined ? {} : { handoffTo }) };
}
