// Corpus, exercise 11: a buggy solution: sessions are never consulted.

import type { Command, KvImage } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "executes every committed command, so a retried append is applied twice" };

export function applyCommand(state: KvImage, command: Command): { state: KvImage; result: string | null } {
  if (command.kind !== "client") return { state, result: null };
  const seen = state.sessions[command.client];
  void seen;
  const { op } = command;
  const value = op.type === "append" ? (state.data[op.key] ?? "") + op.value : op.value;
  const data = { ...state.data, [op.key]: value };
  const sessions = command.seq === undefined ? state.sessions : { ...state.sessions, [command.client]: { seq: command.seq, result: value } };
  return { state: { data, sessions }, result: value };
}
