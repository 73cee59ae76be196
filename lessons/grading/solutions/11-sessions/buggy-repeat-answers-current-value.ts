// Corpus, exercise 11: a buggy solution: a repeat is answered with the key's current value.

import type { Command, KvImage } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "answers a repeat with the key's value now instead of the command's own result, so a retry sees later writes (a wrong reply value)" };

export function applyCommand(state: KvImage, command: Command): { state: KvImage; result: string | null } {
  if (command.kind !== "client") return { state, result: null };
  const seen = state.sessions[command.client];
  if (command.seq !== undefined && seen !== undefined && command.seq <= seen.seq) return { state, result: state.data[command.op.key] ?? null };
  const { op } = command;
  const value = op.type === "append" ? (state.data[op.key] ?? "") + op.value : op.value;
  const data = { ...state.data, [op.key]: value };
  const sessions = command.seq === undefined ? state.sessions : { ...state.sessions, [command.client]: { seq: command.seq, result: value } };
  return { state: { data, sessions }, result: value };
}
