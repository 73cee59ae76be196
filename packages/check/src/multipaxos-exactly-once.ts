// Exactly-once checks for Multi-Paxos: no replica executes a client command twice; a command chosen in two slots is reported.

import type { Hook, NodeId, Violation } from "@course/sim";
import { commandId, formatClientCommand, type Command, type MultiPaxosMessage } from "@course/paxos";
import { eachChangedReplica } from "./multipaxos-replicas.js";

export const MULTI_PAXOS_EXACTLY_ONCE = "Multi-Paxos: each client command executed at most once";
export const MULTI_PAXOS_CHOSEN_ONCE = "Multi-Paxos: each client command chosen in one slot";

export interface FindingOptions {
  /**
   * Called with each finding instead of stopping the run: for counting a condition rather than failing on it.
   * Without it, the first finding stops the run like any invariant violation.
   */
  readonly report?: (finding: Violation) => void;
}

/** A finding stops the run (returned), or is reported and the run goes on (undefined). */
function stopOrReport(options: FindingOptions, finding: Violation): Violation | undefined {
  if (options.report === undefined) return finding;
  options.report(finding);
  return undefined;
}

/**
 * No replica's state machine executes a client command twice, and every replica executes each command in the same
 * slot. A command is named by its client and number (the copies in different slots are one command); what a
 * replica executed is its `executed` list of slots. Build a fresh checker for every simulation.
 */
export function checkExactlyOnceMultiPaxos(options: FindingOptions = {}): Hook<MultiPaxosMessage> {
  /** Per replica: the slot where it executed each command (reset when the replica restarts and executes its log again). */
  let ranAt = new Map<NodeId, Map<string, number>>();
  /** The first replica seen executing each command, and where. */
  let firstRun = new Map<string, { slot: number; by: NodeId }>();

  function check(id: NodeId, slot: number, command: Command | undefined, ran: Map<string, number>): Violation | undefined {
    if (command == null) return { checker: MULTI_PAXOS_EXACTLY_ONCE, message: `replica ${id} executed slot ${slot}, which holds no client command in its log`, details: { replica: id, slot } };
    const name = commandId(command);
    const before = ran.get(name);
    if (before !== undefined) {
      return {
        checker: MULTI_PAXOS_EXACTLY_ONCE,
        message: `replica ${id} executed ${formatClientCommand(command)} twice: in slot ${before} and again in slot ${slot}`,
        details: { replica: id, command: name, slots: [before, slot] },
      };
    }
    ran.set(name, slot);
    const first = firstRun.get(name);
    if (first === undefined) firstRun.set(name, { slot, by: id });
    else if (first.slot !== slot) {
      return {
        checker: MULTI_PAXOS_EXACTLY_ONCE,
        message: `replica ${first.by} executed ${formatClientCommand(command)} in slot ${first.slot} but replica ${id} executed it in slot ${slot}: their state machines differ`,
        details: { command: name, replicas: [first.by, id], slots: [first.slot, slot] },
      };
    }
    return undefined;
  }

  return eachChangedReplica(
    (id, view, from, fresh) => {
      if (fresh) ranAt.set(id, new Map());
      const ran = ranAt.get(id) as Map<string, number>;
      for (let i = from; i < view.executed.length; i++) {
        const slot = view.executed[i] as number;
        const finding = check(id, slot, view.log[slot], ran);
        const stop = finding === undefined ? undefined : stopOrReport(options, finding);
        if (stop !== undefined) return stop;
      }
      return view.executed.length;
    },
    () => {
      ranAt = new Map();
      firstRun = new Map();
    },
    {
      // Per-replica maps change in place, so a save copies them; the records inside are never changed.
      save: () => ({ ranAt: new Map([...ranAt].map(([id, ran]) => [id, new Map(ran)] as const)), firstRun: new Map(firstRun) }),
      restore: (saved) => {
        const m = saved as { ranAt: Map<NodeId, Map<string, number>>; firstRun: Map<string, { slot: number; by: NodeId }> };
        ranAt = new Map([...m.ranAt].map(([id, ran]) => [id, new Map(ran)] as const));
        firstRun = new Map(m.firstRun);
      },
    },
  );
}

/**
 * The same client command is never chosen (as learned by any replica) in two different slots. This is not a
 * safety violation for the reference replicas, whose state machines skip the copy, but it costs a slot and a round
 * of messages: graded suites that want a leader never to propose a command twice use this check, and the
 * randomized runs count it through `report`. Build a fresh checker for every simulation.
 */
export function checkChosenOnceMultiPaxos(options: FindingOptions = {}): Hook<MultiPaxosMessage> {
  let slotOf = new Map<string, number>();
  let reported = new Set<string>();
  return eachChangedReplica(
    (_id, view, from) => {
      const learned: Array<[number, Command]> = [];
      for (let slot = from; slot < view.log.length; slot++) learned.push([slot, view.log[slot] as Command]);
      learned.push(...view.chosenAhead);
      for (const [slot, command] of learned) {
        if (command === null) continue;
        const name = commandId(command);
        const at = slotOf.get(name);
        if (at === undefined) slotOf.set(name, slot);
        else if (at !== slot && !reported.has(`${name}@${slot}`)) {
          reported.add(`${name}@${slot}`);
          const stop = stopOrReport(options, {
            checker: MULTI_PAXOS_CHOSEN_ONCE,
            message: `${formatClientCommand(command)} is chosen in slot ${at} and again in slot ${slot}`,
            details: { command: name, slots: [at, slot] },
          });
          if (stop !== undefined) return stop;
        }
      }
      return view.log.length;
    },
    () => {
      slotOf = new Map();
      reported = new Set();
    },
    {
      save: () => ({ slotOf: new Map(slotOf), reported: new Set(reported) }),
      restore: (saved) => {
        const m = saved as { slotOf: Map<string, number>; reported: Set<string> };
        slotOf = new Map(m.slotOf);
        reported = new Set(m.reported);
      },
    },
  );
}
