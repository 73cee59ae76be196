// etcd's v3 JSON gateway over HTTP (node's fetch): get, put, compare-and-set as a transaction, status, member list.

/**
 * Why a request failed, which decides what the history may say about it. `unreached`: the connection was refused,
 * so the member never saw the request and it certainly had no effect. `unknown`: it may or may not have taken
 * effect (a timeout, a connection cut mid-request, or etcd's own "request timed out").
 */
export class GatewayError extends Error {
  override name = "GatewayError";
  constructor(
    message: string,
    readonly outcome: "unreached" | "unknown",
  ) {
    super(message);
  }
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const unb64 = (s: string) => Buffer.from(s, "base64").toString("utf8");

/** The JSON gateway writes 64-bit numbers as strings and leaves out fields that are zero or false. */
interface Header {
  readonly member_id?: string;
  readonly revision?: string;
  readonly raft_term?: string;
}

function causeCode(e: unknown): string | undefined {
  const cause = (e as { cause?: { code?: string; errors?: Array<{ code?: string }> } }).cause;
  return cause?.code ?? cause?.errors?.[0]?.code;
}

async function post<T>(endpoint: string, path: string, body: unknown, signal: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${endpoint}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal });
  } catch (e) {
    if (causeCode(e) === "ECONNREFUSED") throw new GatewayError("connection refused", "unreached");
    const name = (e as Error).name;
    throw new GatewayError(name === "TimeoutError" || name === "AbortError" ? "no answer in time" : `connection failed (${causeCode(e) ?? (e as Error).message})`, "unknown");
  }
  let json: T & { error?: string; message?: string };
  try {
    json = (await res.json()) as T & { error?: string; message?: string };
  } catch (e) {
    throw new GatewayError(`unreadable answer (${(e as Error).name === "TimeoutError" ? "cut off by the timeout" : `HTTP ${res.status}`})`, "unknown");
  }
  if (!res.ok || json.error !== undefined) throw new GatewayError(json.message ?? json.error ?? `HTTP ${res.status}`, "unknown");
  return json;
}

export interface ReadOptions {
  /**
   * A serializable read is answered from the member's own copy, without asking the leader; a linearizable one
   * (the default) first confirms with the leader how far the log is committed (etcd's ReadIndex).
   */
  readonly serializable?: boolean;
}

/** The key's value, or null when the key does not exist. */
export async function get(endpoint: string, key: string, options: ReadOptions, signal: AbortSignal): Promise<string | null> {
  const r = await post<{ kvs?: Array<{ value?: string }> }>(endpoint, "/v3/kv/range", { key: b64(key), ...(options.serializable ? { serializable: true } : {}) }, signal);
  const kv = r.kvs?.[0];
  return kv === undefined ? null : unb64(kv.value ?? "");
}

export async function put(endpoint: string, key: string, value: string, signal: AbortSignal): Promise<void> {
  await post<{ header: Header }>(endpoint, "/v3/kv/put", { key: b64(key), value: b64(value) }, signal);
}

/**
 * Compare-and-set as one etcd transaction: if the key holds `expected` (or, for null, does not exist: its
 * create_revision is 0), write `value`. Resolves to whether the write happened.
 */
export async function cas(endpoint: string, key: string, expected: string | null, value: string, signal: AbortSignal): Promise<boolean> {
  const compare = expected === null ? { key: b64(key), target: "CREATE", result: "EQUAL", create_revision: "0" } : { key: b64(key), target: "VALUE", result: "EQUAL", value: b64(expected) };
  const r = await post<{ succeeded?: boolean }>(endpoint, "/v3/kv/txn", { compare: [compare], success: [{ request_put: { key: b64(key), value: b64(value) } }] }, signal);
  return r.succeeded === true;
}

export interface MemberStatus {
  readonly memberId: string;
  /** The member it believes leads, by id; undefined while it knows of none. */
  readonly leaderId: string | undefined;
  readonly term: number;
  /** Index of the last entry in its Raft log. */
  readonly index: number;
}

export async function status(endpoint: string, signal: AbortSignal): Promise<MemberStatus> {
  const r = await post<{ header: Header; leader?: string; raftTerm?: string; raftIndex?: string }>(endpoint, "/v3/maintenance/status", {}, signal);
  return { memberId: r.header.member_id ?? "", leaderId: r.leader && r.leader !== "0" ? r.leader : undefined, term: Number(r.raftTerm ?? 0), index: Number(r.raftIndex ?? 0) };
}

/** Member ids to names. */
export async function memberNames(endpoint: string, signal: AbortSignal): Promise<Map<string, string>> {
  const r = await post<{ members?: Array<{ ID: string; name?: string }> }>(endpoint, "/v3/cluster/member/list", {}, signal);
  return new Map((r.members ?? []).map((m) => [m.ID, m.name ?? m.ID]));
}
