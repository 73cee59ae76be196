// Raft's field hashes (node hashInto, message hashMessage) tell states apart exactly where their canonical texts do.

import { describe, expect, it } from "vitest";
import { Simulation, StateHasher, deepCopy, randomFaults, type Message, type NodeId } from "@course/sim";
import { createRaftNode, raftNodes, type RaftMessage, type RaftNode } from "@course/raft";
import { protocolSetup } from "../src/index.js";

const NODES = [0, 1, 2, 3, 4];
/** The renamings a search uses: none, a swap of two interchangeable ids, and the signature's (every id to -1). */
const RENAMES: Array<(id: NodeId) => NodeId> = [(id) => id, (id) => (id === 0 ? 1 : id === 1 ? 0 : id), () => -1];

/** Records text/hash pairs and counts the texts that got two hashes and the hashes that got two texts. */
class Pairs {
  private readonly byText = new Map<string, string>();
  private readonly byHash = new Map<string, string>();
  conflicts = 0;
  add(text: string, hash: readonly number[]): void {
    const h = hash.join(",");
    if ((this.byText.get(text) ?? h) !== h || (this.byHash.get(h) ?? text) !== text) this.conflicts++;
    this.byText.set(text, h);
    this.byHash.set(h, text);
  }
  get size(): number {
    return this.byText.size;
  }
}

/**
 * Changes one field of a copy of a server at a time (a number up by one, a map's numbers up by one, a set given a
 * new id, a flag flipped) and checks that the hash changes exactly when the canonical text does: a field the text
 * holds and the hash leaves out (or the other way round) shows as a disagreement.
 */
class Perturbations {
  private readonly found = new Set<string>();
  get disagreements(): string[] {
    return [...this.found];
  }
  private readonly seen = new Set<string>();
  get fields(): number {
    return this.seen.size;
  }
  check(node: RaftNode, hasher: StateHasher): void {
    const hashOf = (n: RaftNode, rename: (id: NodeId) => NodeId) => {
      n.hashInto(hasher.reset(), rename);
      return hasher.digest().join(",");
    };
    const fields = node as unknown as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      const copy = deepCopy(node) as unknown as Record<string, unknown>;
      const value = copy[key];
      if (typeof value === "number") copy[key] = value + 1;
      else if (typeof value === "boolean") copy[key] = !value;
      else if (value instanceof Set) value.add(7);
      else if (value instanceof Map && value.size > 0 && [...value.values()].every((v) => typeof v === "number")) for (const [k, v] of value) value.set(k, (v as number) + 1);
      else continue;
      this.seen.add(key);
      for (const rename of RENAMES) {
        const textChanged = node.canonical(rename) !== (copy as unknown as RaftNode).canonical(rename);
        const hashChanged = hashOf(node, rename) !== hashOf(copy as unknown as RaftNode, rename);
        if (textChanged !== hashChanged) this.found.add(`${key}: text ${textChanged ? "changed" : "same"}, hash ${hashChanged ? "changed" : "same"}`);
      }
    }
  }
}

describe("Raft's field hashes", () => {
  it("map canonical texts one to one, for servers and messages, under every renaming, over faulty runs", () => {
    const setup = protocolSetup("raft");
    const hasher = new StateHasher();
    const nodes = new Pairs();
    const messages = new Pairs();
    const perturbed = new Perturbations();
    for (const seed of [1, 2, 3]) {
      const sim = new Simulation<RaftMessage>({
        seed,
        nodes: NODES,
        // Snapshots every few entries and pipelining, so snapshot, in-flight and early-append fields take values too.
        createNode: createRaftNode({ snapshotEvery: 3, pipeline: true }),
        faults: randomFaults({ nodes: NODES, end: 6000, seed, rates: { crash: 0.5, partition: 0.5 } }),
        record: false,
      });
      for (let t = 0; t < 8000; t += 10) {
        if (t % 400 === 0) for (const id of NODES) if (sim.isUp(id)) sim.request(id, { type: "append", key: t % 800 === 0 ? "x" : "y", value: `${t};` }, `c${id}`);
        if (t === 3000) for (const n of raftNodes(sim)) if (n.role === "leader") sim.request(n.id, { type: "remove-server", node: 4 });
        sim.runFor(10);
        if (t % 500 === 0) for (const node of raftNodes(sim)) perturbed.check(node, hasher);
        for (const node of raftNodes(sim)) {
          for (const rename of RENAMES) {
            node.hashInto(hasher.reset(), rename);
            nodes.add(node.canonical(rename), hasher.digest());
          }
        }
        for (const e of sim.pendingEvents(false)) {
          if (e.kind !== "deliver") continue;
          for (const rename of RENAMES) {
            setup.hashMessage?.(hasher.reset(), e.msg as Message, rename);
            messages.add(setup.messageText(e.msg as Message, rename), hasher.digest());
          }
        }
      }
    }
    expect(nodes.conflicts).toBe(0);
    expect(perturbed.fields).toBeGreaterThan(10);
    expect(perturbed.disagreements).toEqual([]);
    expect(messages.conflicts).toBe(0);
    // The runs reach many distinct server states and messages, so the check compares something.
    expect(nodes.size).toBeGreaterThan(1000);
    expect(messages.size).toBeGreaterThan(300);
  });
});
