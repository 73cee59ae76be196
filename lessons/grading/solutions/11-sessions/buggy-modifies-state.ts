// Corpus, exercise 11: a buggy solution: the state it was given is edited in place.

import type { Command, KvImage } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "writes into state.data and state.sessions instead of new objects; the server's snapshot and the caller's copy change under their feet" };

export function applyCommand(state: KvImage, command: Command): { state: KvImage; result: string | null } {
  if (command.kind !== "client") return { state, result: null };
  const seen = state.sessions[command.client];
  if (command.seq !== undefined && seen !== undefined && command.seq <= seen.seq) return { state, result: seen.result };
  const { op } = command;
  const value = op.type === "append" ? (state.data[op.key] ?? "") + op.value : op.value;
  const data = state.data as Record<string, string>;
  data[op.key] = value;
  const sessions = state.sessions as Record<string, { seq: number; result: string | null }>;
  if (command.seq !== undefined) sessions[command.client] = { seq: command.seq, result: value };
  return { state: { data, sessions }, result: value };
}
