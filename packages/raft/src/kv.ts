// The replicated key-value state machine, with client sessions so a retried command is applied exactly once (§8).

import type { StateHasher } from "@course/sim";
import type { Command, KvWrite } from "./types.js";

const startsWithDigit = (key: string) => key.length > 0 && key.charCodeAt(0) >= 48 && key.charCodeAt(0) <= 57;

interface Session {
  readonly seq: number;
  readonly result: string | null;
}

export interface KvImage {
  readonly data: Readonly<Record<string, string>>;
  readonly sessions: Readonly<Record<string, Session>>;
}

export class KvStore {
  private data = new Map<string, string>();
  private sessions = new Map<string, Session>();

  get(key: string): string | null {
    return this.data.get(key) ?? null;
  }

  /**
   * Applies a committed command and returns its result. §8: each client numbers its commands; the state machine
   * remembers the latest number per client and answers a repeat from memory instead of executing it again.
   */
  apply(command: Command): string | null {
    if (command.kind !== "client") return null;
    const { client, seq, op } = command;
    if (seq !== undefined) {
      const seen = this.sessions.get(client);
      if (seen !== undefined && seq <= seen.seq) return seen.result;
    }
    const result = this.write(op);
    // Frozen: copies of the store (checkpoints) share it.
    if (seq !== undefined) this.sessions.set(client, Object.freeze({ seq, result }));
    return result;
  }

  private write(op: KvWrite): string {
    const value = op.type === "append" ? (this.data.get(op.key) ?? "") + op.value : op.value;
    this.data.set(op.key, value);
    return value;
  }

  toJSON(): KvImage {
    return { data: Object.fromEntries(this.data), sessions: Object.fromEntries(this.sessions) };
  }

  /**
   * The same information as `JSON.stringify(this.toJSON())`, fed into a hasher (an exhaustive search's state key).
   * The JSON lists keys in insertion order unless a key looks like an array index (objects put those first): then
   * the JSON text itself is hashed.
   */
  hashInto(h: StateHasher): void {
    for (const key of this.data.keys()) if (startsWithDigit(key)) return void h.word(0).str(JSON.stringify(this.toJSON()));
    for (const key of this.sessions.keys()) if (startsWithDigit(key)) return void h.word(0).str(JSON.stringify(this.toJSON()));
    h.word(1).word(this.data.size);
    for (const [key, value] of this.data) h.str(key).str(value);
    h.word(this.sessions.size);
    for (const [client, { seq, result }] of this.sessions) {
      h.str(client).num(seq);
      if (result === null) h.word(0);
      else h.word(1).str(result);
    }
  }

  static from(image: KvImage | undefined): KvStore {
    const kv = new KvStore();
    if (image) {
      kv.data = new Map(Object.entries(image.data));
      kv.sessions = new Map(Object.entries(image.sessions));
    }
    return kv;
  }

  entries(): Record<string, string> {
    return Object.fromEntries(this.data);
  }
}

/** "x=1" for a put, "x+=1" for an append, "no-op", "config [1,2,3]": how a command reads in narration and charts. */
export function formatCommand(command: Command): string {
  switch (command.kind) {
    case "noop":
      return "no-op";
    case "config":
      return `config [${command.members.join(",")}]`;
    case "client":
      return `${command.op.key}${command.op.type === "append" ? "+=" : "="}${command.op.value}`;
  }
}
