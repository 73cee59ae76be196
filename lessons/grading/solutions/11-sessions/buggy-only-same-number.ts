// Corpus, exercise 11: a buggy solution: only the very last number is a repeat.

import type { Command, KvImage } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "treats only seq === the session's number as a repeat, so an older command that arrives late runs again" };

export function applyCommand(state: KvImage, command: Command): { state: KvImage; result: string | null } {
  if (command.kind !== "client") return { state, result: null };
  const seen = state.sessions[command.client];
  if (command.seq !== undefined && seen !== undefined && command.seq === seen.seq) return { state, result: seen.result };
  const { op } = command;
  const value = op.type === "append" ? (state.data[op.key] ?? "") + op.value : op.value;
  const data = { ...state.data, [op.key]: value };
  const sessions = command.seq === undefined ? state.sessions : { ...state.sessions, [command.client]: { seq: command.seq, result: value } };
  return { state: { data, sessions }, result: value };
}
