// Reading Multi-Paxos replicas step by step: only the replicas whose state changed, each from where it was last read.

import type { Hook, NodeId, Simulation, Violation } from "@course/sim";
import type { MultiPaxosInspection, MultiPaxosMessage, MultiPaxosNode } from "@course/paxos";

/** How far one replica's state has been read, so each step reads only what changed. */
interface ReadMark {
  /** Which boot of the replica (the simulator counts them): a restarted replica is read afresh. */
  readonly incarnation: number;
  readonly version: number;
  readonly read: number;
}

/** What a check remembers, for simulation checkpoints: `save` returns a copy that later steps never change. */
export interface CheckMemory {
  save(): unknown;
  restore(saved: unknown): void;
}

/**
 * Calls `visit` for every replica whose state changed since the last step, with how far it was read before (0
 * for a replica seen for the first time or rebuilt by a restart, which must be read afresh). `visit` returns the
 * new read position, or a violation to stop at. When the simulation was rewound, `onRewind` clears what the
 * check remembers and every replica is read afresh; `beforeVisits` runs on every step before the replicas are read.
 * `memory` saves and restores what the check remembers; the hook adds its read marks, so it can be checkpointed.
 */
export function eachChangedReplica(
  visit: (id: NodeId, view: MultiPaxosInspection, from: number, fresh: boolean) => number | Violation,
  onRewind: () => void,
  memory: CheckMemory,
  beforeVisits: (sim: Simulation<MultiPaxosMessage>) => void = () => {},
): Hook<MultiPaxosMessage> {
  let lastStep = -1;
  let marks = new Map<NodeId, ReadMark>();
  const hook: Hook<MultiPaxosMessage> = (sim: Simulation<MultiPaxosMessage>): Violation | undefined => {
    if (sim.stepCount < lastStep) {
      marks = new Map();
      onRewind();
    }
    lastStep = sim.stepCount;
    beforeVisits(sim);
    for (const id of sim.nodeIds) {
      const node = sim.node<MultiPaxosNode>(id);
      if (node === undefined) continue;
      const view = node.inspect();
      const mark = marks.get(id);
      const incarnation = sim.incarnation(id);
      if (mark !== undefined && mark.incarnation === incarnation && mark.version === view.version) continue;
      const fresh = mark === undefined || mark.incarnation !== incarnation;
      const next = visit(id, view, fresh ? 0 : mark.read, fresh);
      if (typeof next !== "number") return next;
      marks.set(id, { incarnation, version: view.version, read: next });
    }
    return undefined;
  };
  // Marks are replaced, never changed in place, so a copy of the map is enough.
  hook.save = () => ({ lastStep, marks: new Map(marks), check: memory.save() });
  hook.restore = (saved) => {
    const m = saved as { lastStep: number; marks: Map<NodeId, ReadMark>; check: unknown };
    lastStep = m.lastStep;
    marks = new Map(m.marks);
    memory.restore(m.check);
  };
  return hook;
}
