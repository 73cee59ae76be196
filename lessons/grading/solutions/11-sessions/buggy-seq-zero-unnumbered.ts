// Corpus, exercise 11: a buggy solution: command number 0 counts as no number.

import type { Command, KvImage } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "tests command.seq for truthiness, so a client that numbers from 0 has its command 0 executed again on every retry" };

export function applyCommand(state: KvImage, command: Command): { state: KvImage; result: string | null } {
  if (command.kind !== "client") return { state, result: null };
  const seen = state.sessions[command.client];
  if (command.seq && seen !== undefined && command.seq <= seen.seq) return { state, result: seen.result };
  const { op } = command;
  const value = op.type === "append" ? (state.data[op.key] ?? "") + op.value : op.value;
  const data = { ...state.data, [op.key]: value };
  const sessions = !command.seq ? state.sessions : { ...state.sessions, [command.client]: { seq: command.seq, result: value } };
  return { state: { data, sessions }, result: value };
}
