// Corpus, exercise 11: a correct solution that edits a deep copy of the state.

import type { Command, KvImage } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "clones the whole state with structuredClone and edits the copy; the input is never touched" };

export function applyCommand(state: KvImage, command: Command): { state: KvImage; result: string | null } {
  if (command.kind !== "client") return { state, result: null };
  const next = structuredClone(state) as { data: Record<string, string>; sessions: Record<string, { seq: number; result: string | null }> };
  const last = next.sessions[command.client];
  if (command.seq !== undefined && last !== undefined && command.seq <= last.seq) return { state, result: last.result };
  const { key, value, type } = command.op;
  next.data[key] = type === "put" ? value : (next.data[key] ?? "") + value;
  const result = next.data[key] as string;
  if (command.seq !== undefined) next.sessions[command.client] = { seq: command.seq, result };
  return { state: next, result };
}
