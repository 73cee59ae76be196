// Colours shared by every chart, so a role, a term or a message type looks the same everywhere; text stays readable (WCAG 4.5:1).

import * as d3 from "d3";

/** Fills that carry white text (a node's name): every one has at least 4.5:1 contrast with white. */
const ROLE_COLORS: Record<string, string> = {
  leader: "#0f7a5a",
  candidate: "#a35f00",
  precandidate: "#8c6a1a",
  "pre-candidate": "#8c6a1a",
  follower: "#52637a",
  learner: "#6c5aa6",
  proposer: "#a8416f",
  acceptor: "#3d6a91",
  coordinator: "#a8416f",
  participant: "#3d6a91",
};

export const CRASHED = "#3b3b3b";
export const CUT = "#b8323f";
export const MUTED = "#b8c0cc";
/** The election timer ring: grey, so it never reads as a candidate's orange. */
export const TIMER = "#6b7785";
/** Text colours on a white chart background, darkest first; all at least 4.5:1. */
export const INK = "#1f2a36";
export const INK_SOFT = "#4d5b69";
export const INK_FAINT = "#5b6b7b";
const UNKNOWN_ROLE = "#647280";
const DARK_TEXT = "#111820";

export function roleColor(role: string | undefined): string {
  if (role === undefined) return UNKNOWN_ROLE;
  return ROLE_COLORS[role.toLowerCase()] ?? UNKNOWN_ROLE;
}

/** Tableau 10 with its brown lightened: #9c755f gives neither white nor dark text 4.5:1 (a term badge's label). */
const TERM_SCHEME = d3.schemeTableau10.map((c) => (c === "#9c755f" ? "#b0876f" : c));

/** Terms cycle through ten colours; term 0 (nothing yet) is neutral. */
export function termColor(term: number | undefined): string {
  if (term === undefined || term <= 0) return "#d5dbe3";
  return TERM_SCHEME[(term - 1) % TERM_SCHEME.length] as string;
}

/** Fixed colours for every message type the course's protocols send; within one protocol no two types share one. */
const KNOWN_TYPES: Record<string, string> = {
  // Raft: requests strong, replies a light shade of the same hue, so a round trip reads as a pair.
  RequestVote: "#e15759",
  RequestVoteReply: "#f4a3a5",
  PreVote: "#d4a017",
  PreVoteReply: "#ecd27a",
  AppendEntries: "#4e79a7",
  AppendEntriesReply: "#9dbfe0",
  InstallSnapshot: "#8a5a9e",
  InstallSnapshotReply: "#cdb0d9",
  TimeoutNow: "#9c755f",
  // Paxos (basic and multi).
  prepare: "#e15759",
  promise: "#f4a3a5",
  accept: "#4e79a7",
  accepted: "#9dbfe0",
  nack: "#9c755f",
  learn: "#59a14f",
  chosen: "#59a14f",
  heartbeat: "#76b7b2",
  forward: "#b07aa1",
  catchup: "#edc948",
  // Two-phase commit (prepare is shared with Paxos: it is the same first question).
  vote: "#f28e2b",
  decision: "#59a14f",
  ack: "#a0cbe8",
  "status-query": "#b07aa1",
  status: "#d4a6c8",
  commit: "#59a14f",
  abort: "#8c2d3a",
  // The coordinator's decision replicated with Basic Paxos (lesson 1): hues 2PC's own types do not use.
  "paxos-prepare": "#5b5f97",
  "paxos-promise": "#a3a6cf",
  "paxos-accept": "#1f7f8c",
  "paxos-accepted": "#8fcbd3",
  "paxos-nack": "#9c755f",
};

const TYPE_SCHEME = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#5b5f97"];

/** A stable colour per message type name (fixed for known types, else a hash: never order of appearance, so charts agree). */
export function typeColor(type: string): string {
  const known = KNOWN_TYPES[type];
  if (known !== undefined) return known;
  let h = 0;
  for (let i = 0; i < type.length; i++) h = (h * 31 + type.charCodeAt(i)) >>> 0;
  return TYPE_SCHEME[h % TYPE_SCHEME.length] as string;
}

/** "S1" style node names: the label the charts, the panels and the narration use for node id 1. */
export function nodeName(id: number): string {
  return `S${id}`;
}

function luminance(hex: string): number {
  const c = d3.rgb(hex);
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

/** WCAG contrast ratio between two colours. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** White or near-black, whichever reads better on `background`. */
export function textOn(background: string): string {
  return contrast("#ffffff", background) >= contrast(DARK_TEXT, background) ? "#ffffff" : DARK_TEXT;
}

/** `color` laid over white at `opacity`, as an opaque colour (so text on it can be checked and chosen). */
export function overWhite(color: string, opacity: number): string {
  const c = d3.rgb(color);
  const mix = (v: number) => Math.round(255 - (255 - v) * opacity);
  return d3.rgb(mix(c.r), mix(c.g), mix(c.b)).formatHex();
}
