/**
 * Connections as a Mermaid flowchart, for pull-request comments (GitHub renders ```mermaid blocks) and for
 * `npm run plan -- --format mermaid`. Pure: the same connections always give the same text.
 *
 * Namespaces are subgraphs (dashed, "(audit)" in the title, when they audit), the Kubernetes API server, each named
 * address set ("internet", "VNet ...") and "outside the cluster" (the remaining external ranges, merged) are nodes
 * of their own, edges carry their ports and notes (the firewall's FQDNs). Added edges are solid and green, removed
 * ones dotted and red (linkStyle), unchanged ones plain, and labels start with + or - so the picture reads without
 * colour too. DNS to CoreDNS, which every pod has, can be left out; the legend says what was.
 */
import { type Connection, ConnectionSet, type Entity, isNamedEntity } from "../../reach";

/** How an edge relates to the base of a diff; a plain matrix has only unchanged edges. */
export type EdgeChange = "added" | "removed" | "unchanged";

/** One connection and how it changed. */
export interface GraphConnection {
    readonly connection: Connection;
    readonly change: EdgeChange;
    /** Added to the edge's label, e.g. "via firewall: api.adyen.com". */
    readonly note?: string;
}

/**
 * Mermaid's own render limits (mermaid 12.3.0 defaultConfig, config.schema.yaml: maxTextSize 50000 characters,
 * maxEdges 500; read 2026-12-01). GitHub renders with these defaults: past them a block shows an error instead of
 * a picture.
 */
export const MERMAID_LIMITS = { maxTextSize: 50_000, maxEdges: 500 } as const;

/** How large a picture may get before it is collapsed or cut. */
export interface GraphBudget {
    /** Workload-level edges a reader can still follow; above this, workloads collapse into their namespaces. */
    readonly maxWorkloadEdges: number;
    /** Edges of the final picture (at most MERMAID_LIMITS.maxEdges). */
    readonly maxEdges: number;
    /** Characters of the final Mermaid text (at most MERMAID_LIMITS.maxTextSize). */
    readonly maxTextSize: number;
}

/** Readable in a pull-request comment: two stacks' pictures fit next to their text in one 65536-character comment. */
export const COMMENT_GRAPH_BUDGET: GraphBudget = { maxWorkloadEdges: 60, maxEdges: 200, maxTextSize: 20_000 };
/** The whole matrix on its own: up to Mermaid's limits. */
export const MATRIX_GRAPH_BUDGET: GraphBudget = { maxWorkloadEdges: 80, maxEdges: MERMAID_LIMITS.maxEdges, maxTextSize: MERMAID_LIMITS.maxTextSize };

/** What to draw besides the connections. */
export interface GraphOptions {
    /** Entities (display form) drawn as the data tier: a cylinder, outlined red. */
    readonly dataTier?: ReadonlySet<string>;
    /** Every workload of the stack (display form): the ones not drawn are counted per namespace as "N more, unchanged". */
    readonly allWorkloads?: readonly string[];
    readonly budget?: GraphBudget;
    /** Namespaces in audit mode: drawn with a dashed border and "(audit)" in their title. */
    readonly auditNamespaces?: ReadonlySet<string>;
    /** Leave out DNS to CoreDNS (TCP/UDP 53 only), which every declared pod has; the legend counts it. */
    readonly hideDns?: boolean;
}

/** The Mermaid text, and a note for the reader when the picture was collapsed or cut. */
export interface Flowchart {
    readonly text: string;
    readonly note?: string;
    /** What the picture's marks mean and what it leaves out, one entry each (also `%%` comments in the text). */
    readonly legend: readonly string[];
    /** Edges drawn, in text order: from and to are entity displays (or namespace names when collapsed). */
    readonly edges: ReadonlyArray<{ readonly from: string; readonly to: string; readonly change: EdgeChange; readonly label: string }>;
}

const INTERNET_ID = "internet";
const API_SERVER_ID = "apiserver";
const API_SERVER_KIND = "APIServer";
const COREDNS = "kube-system/coredns[Pod]";
const DNS = ConnectionSet.ports("UDP", 53).union(ConnectionSet.ports("TCP", 53));
const AUDIT_STYLE = "stroke-dasharray:6 4";

const LINK_STYLES = {
    added: "stroke:#1a7f37,stroke-width:3px",
    removed: "stroke:#cf222e,stroke-width:3px,stroke-dasharray:6 4",
} as const;
const SIGNS: Record<EdgeChange, string> = { added: "+ ", removed: "- ", unchanged: "" };

/** Where an entity is drawn. */
interface Place {
    readonly key: string;
    readonly namespace?: string;
    readonly label: string;
    readonly shape: "workload" | "data" | "internet" | "apiserver" | "namespace";
    /** A collapsed namespace in audit mode (drawn dashed). */
    readonly audit?: boolean;
}

interface Edge {
    readonly from: Place;
    readonly to: Place;
    readonly change: EdgeChange;
    ports: ConnectionSet;
    count: number;
    readonly notes: Set<string>;
}

/** The connections as a flowchart, collapsed to namespaces or cut (with a note) when over budget. */
export function connectionFlowchart(connections: readonly GraphConnection[], options: GraphOptions = {}): Flowchart {
    const budget = options.budget ?? COMMENT_GRAPH_BUDGET;
    const dns = options.hideDns ? connections.filter(({ connection }) => isDns(connection)) : [];
    const drawnConnections = dns.length > 0 ? connections.filter((connection) => !dns.includes(connection)) : connections;
    const legend = legendOf(drawnConnections, dns.length, options);
    const audit = options.auditNamespaces ?? new Set<string>();
    const byWorkload = buildEdges(drawnConnections, (entity) => workloadPlace(entity, options.dataTier));
    if (byWorkload.length <= budget.maxWorkloadEdges) {
        const drawn = render(byWorkload, hiddenWorkloads(byWorkload, options.allWorkloads), false, audit, legend);
        if (drawn.text.length <= budget.maxTextSize) return drawn;
    }
    const byNamespace = buildEdges(drawnConnections, (entity) => namespacePlace(entity, options.dataTier, audit));
    const collapsed = `${byWorkload.length} workload edges are too many to read: drawn per namespace`;
    if (byNamespace.length <= budget.maxEdges) {
        const drawn = render(byNamespace, new Map(), true, audit, legend, collapsed);
        if (drawn.text.length <= budget.maxTextSize) return drawn;
    }
    // Still too large: changes first, then cut at the budget.
    const ordered = [...byNamespace].sort((a, b) => changeRank(a.change) - changeRank(b.change));
    for (let keep = Math.min(ordered.length, budget.maxEdges); keep > 0; keep = Math.floor(keep * 0.8)) {
        const note = `${collapsed}; only ${keep} of ${byNamespace.length} namespace edges fit in a picture GitHub renders`;
        const drawn = render(ordered.slice(0, keep), new Map(), true, audit, legend, note);
        if (drawn.text.length <= budget.maxTextSize) return drawn;
    }
    return render([], new Map(), true, audit, legend, `${byNamespace.length} namespace edges are too many for a picture GitHub renders`);
}

/** DNS to CoreDNS and nothing else: what every declared pod has. */
function isDns(connection: Connection): boolean {
    return connection.destination.display === COREDNS && DNS.covers(connection.ports);
}

/** One entry per mark the picture uses, and for what it leaves out. */
function legendOf(drawn: readonly GraphConnection[], dnsLeftOut: number, options: GraphOptions): string[] {
    const changes = new Set(drawn.map((connection) => connection.change));
    const namespaces = new Set(drawn.flatMap(({ connection }) => [connection.source, connection.destination].flatMap((entity) => (entity.type === "workload" ? [entity.namespace] : []))));
    const audit = [...(options.auditNamespaces ?? [])].filter((namespace) => namespaces.has(namespace)).sort();
    return [
        ...(changes.has("added") || changes.has("removed") ? ["+ added (solid, green), - removed (dotted, red)"] : []),
        ...(audit.length > 0 ? [`dashed border: in audit mode, everything is allowed and logged (${audit.join(", ")}); edges show what enforce allows`] : []),
        ...(drawn.some(({ connection }) => options.dataTier?.has(connection.destination.display)) ? ["cylinder: tier=data"] : []),
        ...(dnsLeftOut > 0 ? [`DNS to CoreDNS not drawn (${dnsLeftOut} ${dnsLeftOut === 1 ? "connection" : "connections"})`] : []),
    ];
}

function changeRank(change: EdgeChange): number {
    return change === "added" ? 0 : change === "removed" ? 1 : 2;
}

function workloadPlace(entity: Entity, dataTier: ReadonlySet<string> | undefined): Place {
    if (isNamedEntity(entity)) return { key: `address ${entity.name}`, label: entity.name, shape: "internet" };
    if (entity.type === "external") return { key: INTERNET_ID, label: "outside the cluster", shape: "internet" };
    if (entity.kind === API_SERVER_KIND) return { key: API_SERVER_ID, label: "Kubernetes API server", shape: "apiserver" };
    return { key: entity.display, namespace: entity.namespace, label: entity.kind === "Pod" ? entity.name : `${entity.name} (${entity.kind})`, shape: dataTier?.has(entity.display) ? "data" : "workload" };
}

/** A namespace's workloads as one node, its tier=data workloads as another, so that edges into the data tier stay apart. */
function namespacePlace(entity: Entity, dataTier: ReadonlySet<string> | undefined, audit: ReadonlySet<string>): Place {
    const place = workloadPlace(entity, dataTier);
    if (place.namespace === undefined) return place;
    const inAudit = audit.has(place.namespace);
    const label = inAudit ? `${place.namespace} (audit)` : place.namespace;
    return place.shape === "data"
        ? { key: `namespace ${place.namespace} tier=data`, label: `${label} tier=data`, shape: "data", audit: inAudit }
        : { key: `namespace ${place.namespace}`, label, shape: "namespace", audit: inAudit };
}

/** Merges connections that land on the same drawn edge (external ranges, or workloads of a collapsed namespace). */
function buildEdges(connections: readonly GraphConnection[], placeOf: (entity: Entity) => Place): Edge[] {
    const edges = new Map<string, Edge>();
    for (const { connection, change, note } of connections) {
        const from = placeOf(connection.source);
        const to = placeOf(connection.destination);
        const key = `${from.key}\u0000${to.key}\u0000${change}`;
        let edge = edges.get(key);
        if (edge) {
            edge.ports = edge.ports.union(connection.ports);
            edge.count++;
        } else {
            edges.set(key, (edge = { from, to, change, ports: connection.ports, count: 1, notes: new Set() }));
        }
        if (note) edge.notes.add(note);
    }
    return [...edges.values()].sort((a, b) => compareText(a.from.key, b.from.key) || compareText(a.to.key, b.to.key) || changeRank(a.change) - changeRank(b.change));
}

/** Workloads of the drawn namespaces that no edge touches, counted per namespace. */
function hiddenWorkloads(edges: readonly Edge[], allWorkloads: readonly string[] | undefined): Map<string, number> {
    const drawn = new Set(edges.flatMap((edge) => [edge.from.key, edge.to.key]));
    const namespaces = new Set(edges.flatMap((edge) => [edge.from.namespace, edge.to.namespace]).filter((namespace): namespace is string => namespace !== undefined));
    const hidden = new Map<string, number>();
    for (const workload of allWorkloads ?? []) {
        const namespace = workload.split("/")[0]!;
        if (namespaces.has(namespace) && !drawn.has(workload)) hidden.set(namespace, (hidden.get(namespace) ?? 0) + 1);
    }
    return hidden;
}

function render(edges: readonly Edge[], hidden: ReadonlyMap<string, number>, collapsed: boolean, audit: ReadonlySet<string>, legend: readonly string[], note?: string): Flowchart {
    const ids = new MermaidIds();
    const places = new Map<string, Place>();
    for (const edge of edges) {
        places.set(edge.from.key, edge.from);
        places.set(edge.to.key, edge.to);
    }
    const lines = ["flowchart LR"];
    if (note) lines.push(`  %% ${note.replace(/[\r\n]+/g, " ")}`);
    for (const entry of legend) lines.push(`  %% legend: ${entry.replace(/[\r\n]+/g, " ")}`);
    const outside = [...places.values()].filter((place) => place.namespace === undefined).sort((a, b) => compareText(a.key, b.key));
    for (const place of outside) lines.push(`  ${nodeText(ids.of(place.key), place)}`);
    const namespaces = [...new Set([...places.values()].flatMap((place) => (place.namespace === undefined ? [] : [place.namespace])))].sort(compareText);
    for (const namespace of namespaces) {
        lines.push(`  subgraph ${ids.of(`subgraph ${namespace}`)}["${escapeLabel(audit.has(namespace) ? `${namespace} (audit)` : namespace)}"]`);
        const members = [...places.values()].filter((place) => place.namespace === namespace).sort((a, b) => compareText(a.key, b.key));
        for (const place of members) lines.push(`    ${nodeText(ids.of(place.key), place)}`);
        const more = hidden.get(namespace);
        if (more) lines.push(`    ${ids.of(`more ${namespace}`)}["${more} more, unchanged"]:::unchanged`);
        lines.push("  end");
    }
    const drawn: Array<Flowchart["edges"][number]> = [];
    edges.forEach((edge) => {
        const label = `${SIGNS[edge.change]}${collapsed ? collapsedCount(edge) : ""}${edge.ports.format()}${edge.notes.size > 0 ? ` ${[...edge.notes].sort().join("; ")}` : ""}`;
        const arrow = edge.change === "removed" ? "-.->" : "-->";
        lines.push(`  ${ids.of(edge.from.key)} ${arrow}|"${escapeLabel(label)}"| ${ids.of(edge.to.key)}`);
        drawn.push({ from: edge.from.namespace === undefined || !collapsed ? edge.from.key : edge.from.label, to: edge.to.namespace === undefined || !collapsed ? edge.to.key : edge.to.label, change: edge.change, label });
    });
    // Unchanged edges keep Mermaid's default style; the others are styled in one linkStyle line per change.
    for (const change of ["added", "removed"] as const) {
        const indexes = edges.flatMap((edge, index) => (edge.change === change ? [index] : []));
        if (indexes.length > 0) lines.push(`  linkStyle ${indexes.join(",")} ${LINK_STYLES[change]}`);
    }
    lines.push("  classDef data stroke:#cf222e,stroke-width:2px", "  classDef unchanged stroke-dasharray:3 3,color:#57606a");
    // Subgraphs take a class by the `class` statement (a `style` line would add a node of the same id).
    const auditDrawn = [
        ...namespaces.filter((namespace) => audit.has(namespace)).map((namespace) => ids.of(`subgraph ${namespace}`)),
        ...outside.filter((place) => place.audit).map((place) => ids.of(place.key)),
    ];
    if (auditDrawn.length > 0) lines.push(`  classDef audit ${AUDIT_STYLE}`, `  class ${auditDrawn.join(",")} audit`);
    if (edges.length === 0) lines.push(`  ${ids.of("nothing")}["no connection to draw"]:::unchanged`);
    const text = `${lines.join("\n")}\n`;
    return note ? { text, note, legend, edges: drawn } : { text, legend, edges: drawn };
}

/** In the per-namespace view: how many connections an edge stands for, and whether it goes into tier=data or to the API server. */
function collapsedCount(edge: Edge): string {
    const count = edge.count > 1 ? `${edge.count} connections` : "";
    const into = edge.to.shape === "data" ? "into tier=data" : edge.to.shape === "apiserver" ? "to the API server" : "";
    const words = [count, into].filter(Boolean).join(" ");
    return words ? `${words}: ` : "";
}

function nodeText(id: string, place: Place): string {
    const label = `"${escapeLabel(place.label)}"`;
    switch (place.shape) {
        case "internet":
            return `${id}((${label}))`;
        case "apiserver":
            return `${id}[[${label}]]`;
        case "data":
            return `${id}[(${label})]:::data`;
        case "namespace":
            return `${id}[${label}]`;
        case "workload":
            return `${id}[${label}]`;
    }
}

/**
 * Text inside a quoted Mermaid label. Mermaid decodes `#name;` and `#code;` entities in labels (flowchart docs,
 * "Entity codes to escape characters"), so the characters that would end or break a label are written that way.
 */
export function escapeLabel(text: string): string {
    return text
        .replace(/#/g, "#35;")
        .replace(/"/g, "#quot;")
        .replace(/\|/g, "#124;")
        .replace(/</g, "#lt;")
        .replace(/>/g, "#gt;")
        .replace(/`/g, "#96;")
        .replace(/[\r\n]+/g, " ");
}

/**
 * Node ids: letters, digits and underscores only, with a prefix so no id is a Mermaid keyword (`end`, `graph`,
 * `subgraph`, ...) or starts with `o`/`x` right after an arrow (which would make a circle or cross edge).
 * Names that sanitize alike get a numeric suffix.
 */
export class MermaidIds {
    private readonly byKey = new Map<string, string>();
    private readonly used = new Set<string>();

    of(key: string): string {
        const known = this.byKey.get(key);
        if (known) return known;
        const base = key === INTERNET_ID || key === API_SERVER_ID ? key : `n_${key.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "")}`;
        let id = base;
        for (let suffix = 2; this.used.has(id); suffix++) id = `${base}_${suffix}`;
        this.used.add(id);
        this.byKey.set(key, id);
        return id;
    }
}

function compareText(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
