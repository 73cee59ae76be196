// The visited-set key of a simulation state: a hash of nodes, storage, timers and messages in flight, canonical under symmetry.

import type { Message, NodeId, Simulation, SimNode } from "@course/sim";
import type { ProtocolSetup, Rename } from "./protocols.js";

/** Every ordering of `n` positions, the identity first. */
function permutations(n: number): number[][] {
  if (n <= 1) return [Array.from({ length: n }, (_, i) => i)];
  const out: number[][] = [];
  const walk = (prefix: number[], rest: number[]) => {
    if (rest.length === 0) out.push(prefix);
    rest.forEach((x, i) => walk([...prefix, x], [...rest.slice(0, i), ...rest.slice(i + 1)]));
  };
  walk([], Array.from({ length: n }, (_, i) => i));
  return out;
}

/** Two independent 32-bit hashes of a text, as one pair. */
type Hash2 = readonly [number, number];

function hashText(text: string): Hash2 {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [a >>> 0, b >>> 0];
}

/** murmur3's finalizer: spreads every input bit over the output. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A hash of a few numbers, each 32-bit lane mixed on its own. */
function mix(x: number, y: number, z: number, w: number, seed: number): number {
  let h = seed;
  h = fmix(h ^ x);
  h = fmix(h ^ y);
  h = fmix(h ^ z);
  return fmix(h ^ w);
}

/** A 53-bit hash of a text (the visited set keeps numbers, not long strings). */
export function hashKey(text: string): number {
  const [a, b] = hashText(text);
  return a * 0x200000 + (b & 0x1fffff);
}

/**
 * One node's share of a state's encoding: the hashes of its canonical text and of its storage, per renaming. A
 * state passes its parts on to its successors: a node object or storage map that a step did not touch keeps its
 * hashes, so each step encodes afresh only what it changed.
 */
export interface NodePart extends PartHashes {
  readonly node: SimNode<Message> | undefined;
  readonly storage: ReadonlyMap<string, string>;
}

/** A node part's hashes by renaming slot, filled as they are needed; without the objects they were made from. */
export interface PartHashes {
  readonly nodeHashes: Array<Hash2 | undefined>;
  readonly storedHashes: Array<Hash2 | undefined>;
}

export interface Encoded {
  /** 53 bits; equal for states that behave alike (and, with symmetry, for renamings of one another). */
  readonly key: number;
  readonly parts: readonly NodePart[];
}

/** What is known of one message in flight: its text without renaming, and its hashes by renaming slot. */
interface MessageMemo {
  text?: string;
  readonly hashes: Array<Hash2 | undefined>;
}

const STATUS_CODE = { up: 0x1b873593, crashed: 0x2f2a4a5b, paused: 0x68e31da4 } as const;

interface Delivery {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msg: Message;
}

/**
 * Encodes states so that equal keys mean states that behave alike: node states (their `canonical()`), durable
 * storage, node status, armed timers (names, not times: the search decides when a timer fires) and the multiset of
 * messages in flight. Each part is hashed once; a state's key combines the part hashes, by node position and, for
 * messages, by sum (a multiset). With symmetry, states that differ only by renaming interchangeable nodes get the
 * same key: nodes are ordered by an id-free signature, and ties are broken by trying each renaming and keeping the
 * least key. Clock readings are left out, so states reached at different virtual times merge.
 */
export class StateEncoder {
  private readonly renames: Rename[] = [];
  /** Renaming index by the positions the interchangeable nodes go to, as a number in base n (see `slotOf`). */
  private readonly renameIndex = new Map<number, number>();
  /** The slot of the signature renaming (every id becomes -1) in the hash caches. */
  private readonly sigSlot: number;
  private readonly symmetric: readonly NodeId[];
  private readonly positions: ReadonlyMap<NodeId, number>;
  /**
   * The messages in flight in the state being expanded (see `expanding`): every state reached from it holds them
   * (messages are frozen and shared), so their text and hashes are kept while it is expanded. Messages sent in a
   * step are new objects that no later state holds (a state is expanded by taking its steps again), so they are
   * hashed without being kept: keeping them would only make work for the garbage collector.
   */
  private inFlight = new Map<Message, MessageMemo>();

  constructor(
    private readonly setup: ProtocolSetup,
    symmetry: boolean,
  ) {
    const ids = symmetry && setup.interchangeable.length > 1 ? [...setup.interchangeable].sort((a, b) => a - b) : [];
    this.symmetric = ids;
    this.positions = new Map(setup.nodes.map((id, k) => [id, k]));
    for (const perm of permutations(ids.length)) {
      const map = new Map<NodeId, NodeId>(ids.map((id, k) => [id, ids[perm[k] as number] as NodeId]));
      this.renameIndex.set(perm.reduce((code, p) => code * ids.length + p, 0), this.renames.length);
      this.renames.push(perm.every((p, k) => p === k) ? (id) => id : (id) => map.get(id) ?? id);
    }
    this.sigSlot = this.renames.length;
    this.renames.push(() => -1);
  }

  /** True when states are merged under renamings of nodes. */
  get usesSymmetry(): boolean {
    return this.symmetric.length > 1;
  }

  /** Starts the expansion of the simulation's current state: its messages in flight are the ones worth remembering. */
  expanding(sim: Simulation<Message>): void {
    this.inFlight = new Map();
    for (const e of sim.pendingEvents(false)) if (e.kind === "deliver" && !this.inFlight.has(e.msg)) this.inFlight.set(e.msg, { hashes: [] });
  }

  /** A message as text, without renaming. */
  messageText(msg: Message): string {
    const memo = this.inFlight.get(msg);
    if (memo === undefined) return this.setup.messageText(msg, this.renames[0] as Rename);
    return (memo.text ??= this.setup.messageText(msg, this.renames[0] as Rename));
  }

  /** The hash of a message with its node ids renamed by slot `slot`. */
  private messageHash(msg: Message, slot: number): Hash2 {
    const memo = this.inFlight.get(msg);
    if (memo === undefined) return hashText(this.setup.messageText(msg, this.renames[slot] as Rename));
    // Slot 0 renames nothing: the text is the one `messageText` gives.
    return (memo.hashes[slot] ??= hashText(slot === 0 ? this.messageText(msg) : this.setup.messageText(msg, this.renames[slot] as Rename)));
  }

  /**
   * The parts of the simulation's current state, given the hashes of the parts of a state with equal nodes and
   * storage (the same state reached again by the same steps from the same checkpoint, which the simulator
   * reproduces exactly): nothing is encoded again.
   */
  rebind(sim: Simulation<Message>, hashes: readonly PartHashes[]): NodePart[] {
    return sim.nodeIds.map((id, k) => {
      const h = hashes[k] as PartHashes;
      return { node: sim.node<SimNode<Message>>(id), storage: sim.storedJson(id), nodeHashes: h.nodeHashes, storedHashes: h.storedHashes };
    });
  }

  /** The key of the simulation's current state; `parent` holds the parts of the state it came from, to reuse. */
  encode(sim: Simulation<Message>, extra: string, parent?: readonly NodePart[]): Encoded {
    const nodes = sim.nodeIds;
    const n = nodes.length;
    const parts: NodePart[] = new Array(n);
    // A node's head: its status and its armed timers (a sum of name hashes: the order they were set in is no matter).
    const heads: number[] = new Array(n).fill(0);
    const deliveries: Delivery[] = [];
    for (const e of sim.pendingEvents(false)) {
      if (e.kind === "deliver") deliveries.push(e);
      else if (e.kind === "timer") {
        const k = this.positions.get(e.node) as number;
        heads[k] = ((heads[k] as number) + this.nameHash(e.name)) >>> 0;
      }
    }
    for (let k = 0; k < n; k++) {
      const id = nodes[k] as NodeId;
      const node = sim.node<SimNode<Message>>(id);
      const storage = sim.storedJson(id);
      const before = parent?.[k];
      if (before !== undefined && before.node === node && before.storage === storage) parts[k] = before;
      else {
        parts[k] = {
          node,
          storage,
          nodeHashes: before !== undefined && before.node === node ? before.nodeHashes : [],
          storedHashes: before !== undefined && before.storage === storage ? before.storedHashes : [],
        };
      }
      heads[k] = fmix((heads[k] as number) ^ STATUS_CODE[sim.status(id)]);
    }
    const extraHash = hashText(extra);
    let key = Infinity;
    for (const slot of this.usesSymmetry ? this.candidateSlots(parts, heads) : [0]) key = Math.min(key, this.keyWith(slot, nodes, parts, heads, deliveries, extraHash));
    return { key, parts };
  }

  /** The renamings worth trying: order interchangeable nodes by signature; ties are tried every way. */
  private candidateSlots(parts: readonly NodePart[], heads: readonly number[]): number[] {
    const sym = this.symmetric;
    const m = sym.length;
    // Each signature: head, node hash and storage hash, all with every node id renamed to the same placeholder.
    const sigs: number[] = new Array(m * 5);
    for (let i = 0; i < m; i++) {
      const k = this.positions.get(sym[i] as NodeId) as number;
      const node = this.nodeHash(parts[k] as NodePart, this.sigSlot);
      const stored = this.storedHash(parts[k] as NodePart, this.sigSlot);
      sigs[i * 5] = heads[k] as number;
      sigs[i * 5 + 1] = node[0];
      sigs[i * 5 + 2] = node[1];
      sigs[i * 5 + 3] = stored[0];
      sigs[i * 5 + 4] = stored[1];
    }
    const cmp = (a: number, b: number) => {
      for (let f = 0; f < 5; f++) {
        const d = (sigs[a * 5 + f] as number) - (sigs[b * 5 + f] as number);
        if (d !== 0) return d;
      }
      return 0;
    };
    // An insertion sort: a few nodes, and no temporary arrays (the search encodes a state at every step).
    const order: number[] = [];
    for (let i = 0; i < m; i++) {
      let r = i;
      for (; r > 0 && cmp(order[r - 1] as number, i) > 0; r--) order[r] = order[r - 1] as number;
      order[r] = i;
    }
    let ties = false;
    for (let r = 1; r < m && !ties; r++) ties = cmp(order[r - 1] as number, order[r] as number) === 0;
    if (!ties) return [this.slotOf(order)];
    let orders: number[][] = [[]];
    for (let i = 0; i < m; ) {
      let j = i + 1;
      while (j < m && cmp(order[j] as number, order[i] as number) === 0) j++;
      const group = order.slice(i, j);
      orders = group.length === 1 ? orders.map((o) => [...o, group[0] as number]) : orders.flatMap((o) => permutations(group.length).map((p) => [...o, ...p.map((q) => group[q] as number)]));
      i = j;
    }
    return orders.map((o) => this.slotOf(o));
  }

  /** The renaming that gives the node at sorted position r (an index into `symmetric`) the r-th smallest id. */
  private slotOf(order: readonly number[]): number {
    const m = order.length;
    const target: number[] = new Array(m);
    for (let r = 0; r < m; r++) target[order[r] as number] = r;
    let code = 0;
    for (let i = 0; i < m; i++) code = code * m + (target[i] as number);
    return this.renameIndex.get(code) as number;
  }

  private readonly nameHashes = new Map<string, number>();
  private nameHash(name: string): number {
    let h = this.nameHashes.get(name);
    if (h === undefined) {
      h = hashText(name)[0];
      this.nameHashes.set(name, h);
    }
    return h;
  }

  private nodeHash(part: NodePart, slot: number): Hash2 {
    let h = part.nodeHashes[slot];
    if (h === undefined) {
      const node = part.node;
      if (node !== undefined && node.canonical === undefined) throw new Error(`the ${this.setup.name} node has no canonical() encoding, which the explorer needs`);
      h = node === undefined ? [0, 0] : hashText((node.canonical as NonNullable<SimNode["canonical"]>)(this.renames[slot]));
      part.nodeHashes[slot] = h;
    }
    return h;
  }

  private storedHash(part: NodePart, slot: number): Hash2 {
    let h = part.storedHashes[slot];
    if (h === undefined) {
      const storage = part.storage;
      const rename = this.renames[slot] as Rename;
      h = hashText(
        [...storage.keys()]
          .sort()
          .map((k) => `${k}=${this.setup.storedText(k, storage.get(k) as string, rename)}`)
          .join(";"),
      );
      part.storedHashes[slot] = h;
    }
    return h;
  }

  private keyWith(slot: number, nodes: readonly NodeId[], parts: readonly NodePart[], heads: readonly number[], deliveries: readonly Delivery[], extra: Hash2): number {
    const rename = this.renames[slot] as Rename;
    // Two 32-bit lanes, each a sum of independently mixed parts: nodes by their position after renaming, messages
    // as a multiset (a sum does not depend on order, and counts repeats).
    let a = extra[0];
    let b = extra[1];
    for (let k = 0; k < nodes.length; k++) {
      const part = parts[k] as NodePart;
      const pos = this.positions.get(rename(nodes[k] as NodeId)) as number;
      const node = this.nodeHash(part, slot);
      const stored = this.storedHash(part, slot);
      a = (a + mix(pos, heads[k] as number, node[0], stored[0], 0x9e3779b9)) >>> 0;
      b = (b + mix(pos, heads[k] as number, node[1], stored[1], 0x7f4a7c15)) >>> 0;
    }
    for (const d of deliveries) {
      const h = this.messageHash(d.msg, slot);
      const from = rename(d.from);
      const to = rename(d.to);
      a = (a + mix(from, to, h[0], 0x51ed27, 0x85ebca6b)) >>> 0;
      b = (b + mix(from, to, h[1], 0x2545f49, 0xc2b2ae35)) >>> 0;
    }
    return fmix(a ^ 0x27d4eb2f) * 0x200000 + (fmix(b ^ 0x165667b1) & 0x1fffff);
  }
}
