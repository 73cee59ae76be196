// The visited-set key of a simulation state: a 128-bit hash of nodes, storage, timers and messages in flight, canonical under symmetry.

import { StateHasher, type Hash128, type Message, type NodeId, type Simulation, type SimNode } from "@course/sim";
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

/** `a` before `b` in the order of their words (the least key over renamings is the state's key). */
function less(a: Hash128, b: Hash128): boolean {
  for (let i = 0; i < 4; i++) if (a[i] !== b[i]) return (a[i] as number) < (b[i] as number);
  return false;
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
  readonly nodeHashes: Array<Hash128 | undefined>;
  readonly storedHashes: Array<Hash128 | undefined>;
}

export interface Encoded {
  /** 128 bits; equal for states that behave alike (and, with symmetry, for renamings of one another). */
  readonly key: Hash128;
  readonly parts: readonly NodePart[];
}

/** What is known of one message in flight: its text without renaming, and its hashes by renaming slot. */
interface MessageMemo {
  text?: string;
  readonly hashes: Array<Hash128 | undefined>;
}

const STATUS_CODE = { up: 0, crashed: 1, paused: 2 } as const;

interface Delivery {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msg: Message;
}

/**
 * Encodes states so that equal keys mean states that behave alike: node states (their `hashInto`, or the hash of
 * their `canonical()` text), durable storage, node status, armed timers (names, not times: the search decides when a
 * timer fires) and the multiset of messages in flight (each message through the protocol's `hashMessage`, or the
 * hash of its text). Each part is hashed once into 128 bits (see StateHasher: the chance that two different states
 * share a key is near 2^-128 per pair); a state's key combines the part hashes, by node position and, for
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
  private readonly hasher = new StateHasher();

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
  private messageHash(msg: Message, slot: number): Hash128 {
    const memo = this.inFlight.get(msg);
    if (memo === undefined) return this.hashMessage(msg, slot);
    return (memo.hashes[slot] ??= this.hashMessage(msg, slot));
  }

  private hashMessage(msg: Message, slot: number): Hash128 {
    const h = this.hasher.reset();
    const rename = this.renames[slot] as Rename;
    if (this.setup.hashMessage !== undefined) this.setup.hashMessage(h, msg, rename);
    // Slot 0 renames nothing: the text is the one `messageText` gives (and keeps, for a message in flight).
    else h.str(slot === 0 ? this.messageText(msg) : this.setup.messageText(msg, rename));
    return h.digest();
  }

  /** The hash of a text. */
  private hashText(text: string): Hash128 {
    return this.hasher.reset().str(text).digest();
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
    // A node's head: its status and its armed timers, four words a node. The timers are a multiset (the order they
    // were set in is no matter): a sum of their names' hashes, lane by lane.
    const heads: number[] = new Array(n * 5).fill(0);
    const deliveries: Delivery[] = [];
    for (const e of sim.pendingEvents(false)) {
      if (e.kind === "deliver") deliveries.push(e);
      else if (e.kind === "timer") {
        const k = (this.positions.get(e.node) as number) * 5;
        const h = this.nameHash(e.name);
        for (let w = 0; w < 4; w++) heads[k + w] = ((heads[k + w] as number) + (h[w] as number)) | 0;
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
      heads[k * 5 + 4] = STATUS_CODE[sim.status(id)];
    }
    const extraHash = this.hashText(extra);
    let key: Hash128 | undefined;
    for (const slot of this.usesSymmetry ? this.candidateSlots(parts, heads) : [0]) {
      const k = this.keyWith(slot, nodes, parts, heads, deliveries, extraHash);
      if (key === undefined || less(k, key)) key = k;
    }
    return { key: key as Hash128, parts };
  }

  /** The renamings worth trying: order interchangeable nodes by signature; ties are tried every way. */
  private candidateSlots(parts: readonly NodePart[], heads: readonly number[]): number[] {
    const sym = this.symmetric;
    const m = sym.length;
    // Each signature: head, node hash and storage hash, all with every node id renamed to the same placeholder.
    const sigs: number[] = new Array(m * W);
    for (let i = 0; i < m; i++) {
      const k = this.positions.get(sym[i] as NodeId) as number;
      const node = this.nodeHash(parts[k] as NodePart, this.sigSlot);
      const stored = this.storedHash(parts[k] as NodePart, this.sigSlot);
      for (let w = 0; w < 5; w++) sigs[i * W + w] = heads[k * 5 + w] as number;
      for (let w = 0; w < 4; w++) {
        sigs[i * W + 5 + w] = node[w] as number;
        sigs[i * W + 9 + w] = stored[w] as number;
      }
    }
    // An insertion sort: a few nodes, and no temporary arrays (the search encodes a state at every step).
    const order: number[] = [];
    for (let i = 0; i < m; i++) {
      let r = i;
      for (; r > 0 && compareSignatures(sigs, order[r - 1] as number, i) > 0; r--) order[r] = order[r - 1] as number;
      order[r] = i;
    }
    let ties = false;
    for (let r = 1; r < m && !ties; r++) ties = compareSignatures(sigs, order[r - 1] as number, order[r] as number) === 0;
    if (!ties) return [this.slotOf(order)];
    let orders: number[][] = [[]];
    for (let i = 0; i < m; ) {
      let j = i + 1;
      while (j < m && compareSignatures(sigs, order[j] as number, order[i] as number) === 0) j++;
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

  private readonly nameHashes = new Map<string, Hash128>();
  private nameHash(name: string): Hash128 {
    let h = this.nameHashes.get(name);
    if (h === undefined) {
      h = this.hashText(name);
      this.nameHashes.set(name, h);
    }
    return h;
  }

  private nodeHash(part: NodePart, slot: number): Hash128 {
    let h = part.nodeHashes[slot];
    if (h === undefined) {
      const node = part.node;
      if (node === undefined) h = EMPTY;
      else if (node.hashInto !== undefined) {
        node.hashInto(this.hasher.reset(), this.renames[slot] as Rename);
        h = this.hasher.digest();
      } else if (node.canonical !== undefined) h = this.hashText(node.canonical(this.renames[slot]));
      else throw new Error(`the ${this.setup.name} node has no canonical() encoding, which the explorer needs`);
      part.nodeHashes[slot] = h;
    }
    return h;
  }

  private storedHash(part: NodePart, slot: number): Hash128 {
    let h = part.storedHashes[slot];
    if (h === undefined) {
      const storage = part.storage;
      const rename = this.renames[slot] as Rename;
      // Storage is a map: the set of its (key, value) pairs, hashed as a sum of pair hashes (no order, so no sorting).
      const sum = [0, 0, 0, 0];
      storage.forEach((json, k) => {
        const pair = this.pairHash(k, json, slot);
        for (let w = 0; w < 4; w++) sum[w] = ((sum[w] as number) + (pair[w] as number)) | 0;
      });
      h = this.hasher.reset().word(storage.size).word(sum[0] as number).word(sum[1] as number).word(sum[2] as number).word(sum[3] as number).digest();
      part.storedHashes[slot] = h;
    }
    return h;
  }

  /**
   * Stored pairs' hashes by key, value and renaming slot. A value is a JSON string that copies of the storage share
   * and that most later states hold unchanged (a log entry's), so it is hashed once rather than at every change of
   * its node's storage. Dropped when it grows large, to keep memory bounded on a long search.
   */
  private pairs = new Map<string, Map<string, Array<Hash128 | undefined>>>();
  private pairCount = 0;

  private pairHash(key: string, json: string, slot: number): Hash128 {
    let byValue = this.pairs.get(key);
    if (byValue === undefined) this.pairs.set(key, (byValue = new Map()));
    let bySlot = byValue.get(json);
    if (bySlot === undefined) {
      if (++this.pairCount > PAIR_CACHE_LIMIT) {
        this.pairs = new Map([[key, (byValue = new Map())]]);
        this.pairCount = 1;
      }
      byValue.set(json, (bySlot = []));
    }
    return (bySlot[slot] ??= this.hasher.reset().str(key).str(this.setup.storedText(key, json, this.renames[slot] as Rename)).digest());
  }

  /**
   * The key with renaming `slot`: four 32-bit lanes, each a sum of part hashes (nodes hashed with their position
   * after renaming, messages with their renamed ends; a sum does not depend on order, and counts repeats: a
   * multiset). Every part hash is a 128-bit StateHasher digest, so two different states share a key only by
   * accident, with a chance near 2^-128 (see StateHasher).
   */
  private keyWith(slot: number, nodes: readonly NodeId[], parts: readonly NodePart[], heads: readonly number[], deliveries: readonly Delivery[], extra: Hash128): Hash128 {
    const rename = this.renames[slot] as Rename;
    const h = this.hasher;
    const sum = [0, 0, 0, 0];
    for (let k = 0; k < nodes.length; k++) {
      const part = parts[k] as NodePart;
      const node = this.nodeHash(part, slot);
      const stored = this.storedHash(part, slot);
      h.reset().word(0).word(this.positions.get(rename(nodes[k] as NodeId)) as number);
      for (let w = 0; w < 5; w++) h.word(heads[k * 5 + w] as number);
      h.hash(node).hash(stored).addTo(sum);
    }
    for (const d of deliveries) {
      const msg = this.messageHash(d.msg, slot);
      h.reset().word(1).word(rename(d.from)).word(rename(d.to)).hash(msg).addTo(sum);
    }
    return h.reset().hash(extra).word(sum[0] as number).word(sum[1] as number).word(sum[2] as number).word(sum[3] as number).digest();
  }
}

/** Words in a node's signature: its head (timers and status) and the hashes of its state and of its storage. */
const W = 13;

/** Signatures `a` and `b` (indices into `sigs`) compared word by word. */
function compareSignatures(sigs: readonly number[], a: number, b: number): number {
  for (let f = 0; f < W; f++) {
    const d = (sigs[a * W + f] as number) - (sigs[b * W + f] as number);
    if (d !== 0) return d;
  }
  return 0;
}

const EMPTY: Hash128 = [0, 0, 0, 0];
const PAIR_CACHE_LIMIT = 200_000;
