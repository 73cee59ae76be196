// Corpus, exercise 11: a buggy solution: a client's session is written once and never updated.

import type { Command, KvImage } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "records a session only for a client's first command: a retry of its second or later command is executed again" };

export function applyCommand(state: KvImage, command: Command): { state: KvImage; result: string | null } {
  if (command.kind !== "client") return { state, result: null };
  const seen = state.sessions[command.client];
  if (command.seq !== undefined && seen !== undefined && command.seq <= seen.seq) return { state, result: seen.result };
  const { op } = command;
  const value = op.type === "append" ? (state.data[op.key] ?? "") + op.value : op.value;
  const data = { ...state.data, [op.key]: value };
  const sessions = command.seq === undefined || seen !== undefined ? state.sessions : { ...state.sessions, [command.client]: { seq: command.seq, result: value } };
  return { state: { data, sessions }, result: value };
}
