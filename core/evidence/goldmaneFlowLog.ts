/**
 * Reads Goldmane flow exports: the `Flow` messages of Calico's flow-aggregation API (self-managed Calico 3.30+),
 * as `grpcurl` prints them for `goldmane.Flows/List` (a FlowListResult: `{"meta": ..., "flows": [{"id", "flow"}]}`)
 * or `goldmane.Flows/Stream` (one FlowResult object after another), or a JSON array of FlowResults or Flows.
 * Pure: text in, records out; mistakes are LogInputError naming file:line.
 *
 * Format (projectcalico/calico goldmane/proto/api.proto, read 2026-12-07), in protobuf's JSON mapping (field names
 * in lowerCamelCase, `snake_case` accepted too; enums by name; int64 as strings):
 * - Flow: `Key` (FlowKey), `start_time`/`end_time` (Unix seconds), `source_labels`/`dest_labels` ("key=value",
 *   the labels every pod of the flow shares), `num_connections_started`, packet and byte counters.
 * - FlowKey: `source_name`/`dest_name` (for a WorkloadEndpoint, the pods' shared GenerateName, e.g.
 *   `backend-5c6d7e8f9-*`; for a Network, `pub` or `pvt`), `source_namespace`/`dest_namespace`,
 *   `source_type`/`dest_type` (WorkloadEndpoint, HostEndpoint, NetworkSet, Network), `dest_port`, `proto`,
 *   `reporter` (Src, Dst), `action` (the enforced verdict: Allow, Deny, Pass), `policies` (PolicyTrace).
 * - PolicyTrace: `enforced_policies` (what the dataplane did) and `pending_policies` ("the expected policy rules
 *   traversed by this Flow when including staged policies"), each a list of PolicyHit: `kind`
 *   (CalicoNetworkPolicy, GlobalNetworkPolicy, StagedNetworkPolicy, StagedGlobalNetworkPolicy,
 *   StagedKubernetesNetworkPolicy, NetworkPolicy, ..., EndOfTier), `namespace`, `name`, `tier`, `action`,
 *   `policy_index`, `rule_index`, and for EndOfTier the `trigger` (the first policy of the tier that selected the
 *   flow). The last hit of a trace is the verdict.
 * Goldmane carries no IP addresses: a flow to the internet is `dest_type: Network, dest_name: pub`.
 */
import { LogInputError } from "./logAnalyticsRows";

/** Endpoint types of FlowKey (api.proto EndpointType). */
export type GoldmaneEndpointType = "WorkloadEndpoint" | "HostEndpoint" | "NetworkSet" | "Network";

/** One side of a Goldmane flow. */
export interface GoldmaneEndpoint {
    readonly type: GoldmaneEndpointType;
    /** Aggregated pod name (`backend-5c6d7e8f9-*`), host endpoint or network set name, or `pub`/`pvt`. */
    readonly name: string;
    /** Namespace; empty for networks and global objects. */
    readonly namespace: string;
    /** Labels shared by every pod of the flow. */
    readonly labels: Readonly<Record<string, string>>;
}

/** A flow that enforcement denied, or that the staged policies would deny. */
export interface GoldmaneFlowRecord {
    readonly source: GoldmaneEndpoint;
    readonly destination: GoldmaneEndpoint;
    /** `TCP`, `UDP`, `SCTP`, `ICMP`, ... as Goldmane writes it. */
    readonly protocol: string;
    readonly destinationPort?: number;
    readonly reporter: "Src" | "Dst";
    /** `denied`: the enforced verdict is Deny; `staged-denied`: allowed today, denied once the staged policies are enforced. */
    readonly verdict: "denied" | "staged-denied";
    /** The policy (or end of tier) that decides the deny, as `Kind [namespace/]name (tier T)`. */
    readonly decidedBy: string;
    /** Connections the flow aggregates (num_connections_started; 1 when absent). */
    readonly connections: number;
    /** Start and end of the aggregation window, ISO 8601 UTC. */
    readonly startTime?: string;
    readonly endTime?: string;
    /** Where it came from: `file:line`. */
    readonly at: string;
}

/** A flow that enforcement allowed: traffic that used an allowance (the quarterly review's evidence). */
export interface GoldmaneTraffic {
    readonly source: GoldmaneEndpoint;
    readonly destination: GoldmaneEndpoint;
    readonly protocol: string;
    readonly destinationPort?: number;
    readonly connections: number;
    readonly startTime?: string;
    readonly endTime?: string;
    readonly at: string;
}

/** What reading a Goldmane export gave. */
export interface GoldmaneFlowLog {
    /** Denied and staged-denied flows. */
    readonly records: readonly GoldmaneFlowRecord[];
    /** Flows whose enforced action is Allow. */
    readonly allowed: readonly GoldmaneTraffic[];
    /** Flows read in all (allowed ones included). */
    readonly flowCount: number;
}

const ENDPOINT_TYPES: readonly string[] = ["EndpointTypeUnspecified", "WorkloadEndpoint", "HostEndpoint", "NetworkSet", "Network"];
const REPORTERS: readonly string[] = ["ReporterUnspecified", "Src", "Dst"];
const ACTIONS: readonly string[] = ["ActionUnspecified", "Allow", "Deny", "Pass"];
/**
 * PolicyKind by number, as api.proto numbers them: 7 AdminNetworkPolicy and 8 BaselineAdminNetworkPolicy in 3.30
 * and 3.31 (goldmane/proto/api.proto at v3.30.7 and v3.31.7, byte-identical); 3.32 drops both for 11 ClusterNetworkPolicy (v3.32.1;
 * release notes: "Removing AdminNetworkPolicy and BaselineAdminNetworkPolicy API support in favor of
 * ClusterNetworkPolicy"). No number is reused, so one table reads every pinned release.
 */
const POLICY_KINDS: readonly (string | undefined)[] = [
    "KindUnspecified", "CalicoNetworkPolicy", "GlobalNetworkPolicy", "StagedNetworkPolicy", "StagedGlobalNetworkPolicy",
    "StagedKubernetesNetworkPolicy", "NetworkPolicy", "AdminNetworkPolicy", "BaselineAdminNetworkPolicy", "Profile", "EndOfTier",
    "ClusterNetworkPolicy",
];
const STAGED_KINDS = new Set(["StagedNetworkPolicy", "StagedGlobalNetworkPolicy", "StagedKubernetesNetworkPolicy"]);

type Json = Record<string, unknown>;

/** Whether the text looks like a Goldmane export (used to detect the format). */
export function looksLikeGoldmaneExport(text: string): boolean {
    return /"(Key|key)"\s*:\s*\{/.test(text) && /"(sourceName|source_name|destName|dest_name)"/.test(text);
}

/** Reads a Goldmane export; throws LogInputError for text that is not one. */
export function parseGoldmaneFlows(text: string, file: string): GoldmaneFlowLog {
    const values = jsonValues(text, file);
    const flows: Array<{ flow: Json; line: number }> = [];
    const take = (value: unknown, line: number): void => {
        const record = asRecord(value);
        if (Array.isArray(value)) {
            value.forEach((item) => take(item, line));
        } else if (record && Array.isArray(record.flows)) {
            record.flows.forEach((item) => take(item, line));
        } else if (record && asRecord(record.flow)) {
            flows.push({ flow: record.flow as Json, line });
        } else if (record && asRecord(field(record, "Key"))) {
            flows.push({ flow: record, line });
        } else {
            throw new LogInputError("expected Goldmane flows: a FlowListResult ({\"flows\": [...]}), FlowResult objects ({\"id\", \"flow\"}) or Flow objects ({\"Key\": ...}) as grpcurl prints them", file, line);
        }
    };
    values.forEach(({ value, line }) => take(value, line));
    // Each Flow has exactly one Key, in document order: its line is where the flow is.
    const keyLines = [...text.matchAll(/"[Kk]ey"\s*:/g)].map((match) => text.slice(0, match.index).split("\n").length);
    const records: GoldmaneFlowRecord[] = [];
    const allowed: GoldmaneTraffic[] = [];
    for (const [index, entry] of flows.entries()) {
        const line = keyLines.length === flows.length ? keyLines[index]! : entry.line;
        const flow = entry.flow;
        const record = flowRecord(flow, `${file}:${line}`, { file, line });
        if (record) records.push(record);
        const traffic = allowedTraffic(flow, `${file}:${line}`, { file, line });
        if (traffic) allowed.push(traffic);
    }
    return { records, allowed, flowCount: flows.length };
}

interface Place {
    readonly file: string;
    readonly line: number;
}

function flowRecord(flow: Json, at: string, place: Place): GoldmaneFlowRecord | undefined {
    const key = asRecord(field(flow, "Key"))!;
    const action = enumName(field(key, "action"), ACTIONS, "action", place);
    const policies = asRecord(field(key, "policies")) ?? {};
    const enforced = hits(field(policies, "enforced_policies"), place);
    const pending = hits(field(policies, "pending_policies"), place);
    let verdict: GoldmaneFlowRecord["verdict"];
    let decidedBy: string;
    if (action === "Deny") {
        verdict = "denied";
        decidedBy = describeHit(enforced[enforced.length - 1]);
    } else {
        const last = pending[pending.length - 1];
        if (!last || last.action !== "Deny") return undefined;
        verdict = "staged-denied";
        decidedBy = describeHit(last);
    }
    const { source, destination, protocol, destinationPort, connections, startTime, endTime } = flowRecordFields(flow, key, place);
    return {
        source,
        destination,
        protocol,
        ...(destinationPort !== undefined ? { destinationPort } : {}),
        reporter: enumName(field(key, "reporter"), REPORTERS, "reporter", place) === "Dst" ? "Dst" : "Src",
        verdict,
        decidedBy,
        connections,
        ...(startTime ? { startTime } : {}),
        ...(endTime ? { endTime } : {}),
        at,
    };
}

/** The endpoints, protocol, port, counter and window of a flow, whatever its verdict. */
function flowRecordFields(flow: Json, key: Json, place: Place) {
    const port = integer(field(key, "dest_port"), "dest_port", place);
    const start = integer(field(flow, "start_time"), "start_time", place);
    const end = integer(field(flow, "end_time"), "end_time", place);
    const connections = integer(field(flow, "num_connections_started"), "num_connections_started", place);
    const protocol = String(field(key, "proto") ?? "").toUpperCase();
    if (protocol === "") throw new LogInputError("expected Key.proto (TCP, UDP, ...)", place.file, place.line);
    return {
        source: endpoint(key, "source", flow, place),
        destination: endpoint(key, "dest", flow, place),
        protocol,
        destinationPort: port !== undefined && port > 0 ? port : undefined,
        connections: connections !== undefined && connections > 0 ? connections : 1,
        startTime: start !== undefined && start > 0 ? new Date(start * 1000).toISOString() : undefined,
        endTime: end !== undefined && end > 0 ? new Date(end * 1000).toISOString() : undefined,
    };
}

/** The flow as traffic, when its enforced action is Allow. */
function allowedTraffic(flow: Json, at: string, place: Place): GoldmaneTraffic | undefined {
    const key = asRecord(field(flow, "Key"))!;
    if (enumName(field(key, "action"), ACTIONS, "action", place) !== "Allow") return undefined;
    const { source, destination, protocol, destinationPort, connections, startTime, endTime } = flowRecordFields(flow, key, place);
    return { source, destination, protocol, ...(destinationPort !== undefined ? { destinationPort } : {}), connections, ...(startTime ? { startTime } : {}), ...(endTime ? { endTime } : {}), at };
}

interface Hit {
    readonly kind: string;
    readonly namespace: string;
    readonly name: string;
    readonly tier: string;
    readonly action: string;
    readonly trigger?: Hit;
}

function hits(value: unknown, place: Place): Hit[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw new LogInputError("expected a list of policy hits in Key.policies", place.file, place.line);
    return value.map((item) => hit(item, place));
}

function hit(value: unknown, place: Place): Hit {
    const record = asRecord(value);
    if (!record) throw new LogInputError("expected a policy hit object ({kind, namespace, name, tier, action})", place.file, place.line);
    const trigger = asRecord(field(record, "trigger"));
    return {
        kind: enumName(field(record, "kind"), POLICY_KINDS, "policy kind", place),
        namespace: String(field(record, "namespace") ?? ""),
        name: String(field(record, "name") ?? ""),
        tier: String(field(record, "tier") ?? ""),
        action: enumName(field(record, "action"), ACTIONS, "policy action", place),
        ...(trigger ? { trigger: hit(trigger, place) } : {}),
    };
}

/** `StagedNetworkPolicy shop/default.log-denied (tier default)`; an end of tier names the policy that selected the flow. */
export function describeHit(hit: Hit | undefined): string {
    if (!hit) return "no policy named in the trace";
    if (hit.kind === "EndOfTier") {
        const trigger = hit.trigger ? `, selected by ${describeHit(hit.trigger)}` : "";
        return `end of tier ${hit.tier}${trigger}`;
    }
    const staged = STAGED_KINDS.has(hit.kind) ? "staged " : "";
    return `${staged}${hit.kind} ${hit.namespace ? `${hit.namespace}/` : ""}${hit.name}${hit.tier ? ` (tier ${hit.tier})` : ""}`;
}

function endpoint(key: Json, side: "source" | "dest", flow: Json, place: Place): GoldmaneEndpoint {
    const type = enumName(field(key, `${side}_type`), ENDPOINT_TYPES, `${side}_type`, place);
    if (type === "EndpointTypeUnspecified") throw new LogInputError(`expected Key.${side}_type (WorkloadEndpoint, HostEndpoint, NetworkSet or Network)`, place.file, place.line);
    const labels: Record<string, string> = {};
    const list = field(flow, `${side}_labels`) ?? [];
    if (!Array.isArray(list)) throw new LogInputError(`expected ${side}_labels to be a list of "key=value"`, place.file, place.line);
    for (const entry of list) {
        const text = String(entry);
        const equals = text.indexOf("=");
        if (equals <= 0) throw new LogInputError(`label "${text}" in ${side}_labels is not key=value`, place.file, place.line);
        labels[text.slice(0, equals)] = text.slice(equals + 1);
    }
    return { type: type as GoldmaneEndpointType, name: String(field(key, `${side}_name`) ?? ""), namespace: String(field(key, `${side}_namespace`) ?? ""), labels };
}

/** A field by its proto name, in either JSON spelling (lowerCamelCase or the original snake_case). */
function field(record: Json, protoName: string): unknown {
    if (protoName in record) return record[protoName];
    const camel = protoName.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
    if (camel in record) return record[camel];
    const lower = protoName.charAt(0).toLowerCase() + protoName.slice(1);
    return record[lower];
}

function enumName(value: unknown, names: readonly (string | undefined)[], what: string, place: Place): string {
    if (value === undefined || value === null) return names[0]!;
    if (typeof value === "number" && Number.isInteger(value) && names[value] !== undefined) return names[value]!;
    if (typeof value === "string" && names.includes(value)) return value;
    throw new LogInputError(`unknown ${what} ${JSON.stringify(value)} (expected one of ${names.slice(1).filter((name) => name !== undefined).join(", ")})`, place.file, place.line);
}

function integer(value: unknown, what: string, place: Place): number | undefined {
    if (value === undefined || value === null) return undefined;
    const number = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof number !== "number" || !Number.isInteger(number)) throw new LogInputError(`${what} ${JSON.stringify(value)} is not an integer`, place.file, place.line);
    return number;
}

function asRecord(value: unknown): Json | undefined {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : undefined;
}

/**
 * Every top-level JSON value of the text with the line it starts on: one document, a JSON array, or values one
 * after another (grpcurl prints each streamed message as its own object).
 */
function jsonValues(text: string, file: string): Array<{ value: unknown; line: number }> {
    const values: Array<{ value: unknown; line: number }> = [];
    let line = 1;
    let index = 0;
    while (index < text.length) {
        const char = text[index]!;
        if (char === "\n") line++;
        if (/\s/.test(char)) {
            index++;
            continue;
        }
        if (char !== "{" && char !== "[") throw new LogInputError(`expected a JSON object or array, found ${JSON.stringify(char)}`, file, line);
        const startLine = line;
        const start = index;
        let depth = 0;
        let inString = false;
        for (; index < text.length; index++) {
            const current = text[index]!;
            if (current === "\n") line++;
            if (inString) {
                if (current === "\\") index++;
                else if (current === '"') inString = false;
                continue;
            }
            if (current === '"') inString = true;
            else if (current === "{" || current === "[") depth++;
            else if (current === "}" || current === "]") {
                depth--;
                if (depth === 0) {
                    index++;
                    break;
                }
            }
        }
        if (depth !== 0) throw new LogInputError("unterminated JSON value", file, startLine);
        try {
            values.push({ value: JSON.parse(text.slice(start, index)), line: startLine });
        } catch (error) {
            throw new LogInputError(`invalid JSON: ${(error as Error).message}`, file, startLine);
        }
    }
    return values;
}
