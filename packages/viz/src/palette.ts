// Colours shared by every chart, so a role, a term or a message type looks the same everywhere.

import * as d3 from "d3";

const ROLE_COLORS: Record<string, string> = {
  leader: "#1b9e77",
  candidate: "#e6a117",
  precandidate: "#f0c35a",
  "pre-candidate": "#f0c35a",
  follower: "#7b8fa6",
  learner: "#8e7cc3",
  proposer: "#c55a8a",
  acceptor: "#4d7ea8",
  coordinator: "#c55a8a",
  participant: "#4d7ea8",
};

export const CRASHED = "#3b3b3b";
export const CUT = "#d1495b";
export const MUTED = "#b8c0cc";

export function roleColor(role: string | undefined): string {
  if (role === undefined) return "#9aa5b1";
  return ROLE_COLORS[role.toLowerCase()] ?? "#9aa5b1";
}

const TERM_SCHEME = d3.schemeTableau10;

/** Terms cycle through ten colours; term 0 (nothing yet) is neutral. */
export function termColor(term: number | undefined): string {
  if (term === undefined || term <= 0) return "#d5dbe3";
  return TERM_SCHEME[(term - 1) % TERM_SCHEME.length] as string;
}

const TYPE_SCHEME = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#5b5f97"];

/** Requests in a strong shade, their replies in a light one of the same hue, so a round trip reads as a pair. */
const KNOWN_TYPES: Record<string, string> = {
  RequestVote: "#e15759",
  RequestVoteReply: "#f4a3a5",
  PreVote: "#d4a017",
  PreVoteReply: "#ecd27a",
  AppendEntries: "#4e79a7",
  AppendEntriesReply: "#9dbfe0",
  InstallSnapshot: "#8a5a9e",
  InstallSnapshotReply: "#cdb0d9",
  TimeoutNow: "#9c755f",
  prepare: "#e15759",
  promise: "#f4a3a5",
  accept: "#4e79a7",
  accepted: "#9dbfe0",
  nack: "#9c755f",
  learn: "#59a14f",
  chosen: "#59a14f",
  heartbeat: "#76b7b2",
  vote: "#f28e2b",
  commit: "#59a14f",
  abort: "#8c2d3a",
};

/** A stable colour per message type name (fixed for known types, else a hash: never order of appearance, so charts agree). */
export function typeColor(type: string): string {
  const known = KNOWN_TYPES[type];
  if (known !== undefined) return known;
  let h = 0;
  for (let i = 0; i < type.length; i++) h = (h * 31 + type.charCodeAt(i)) >>> 0;
  return TYPE_SCHEME[h % TYPE_SCHEME.length] as string;
}

/** "S1" style node names; the label the lesson text uses. */
export function nodeName(id: number): string {
  return `S${id}`;
}
