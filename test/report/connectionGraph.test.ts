import { describe, expect, it } from "vitest";
import { COMMENT_GRAPH_BUDGET, connectionFlowchart, escapeLabel, GraphConnection, MATRIX_GRAPH_BUDGET, MERMAID_LIMITS, MermaidIds } from "../../offline/report";
import { compileAddressNames, parseConnectionLine } from "../../reach";
import { parseFlowchart } from "../helpers/mermaid";

const unchanged = (line: string): GraphConnection => ({ connection: parseConnectionLine(line), change: "unchanged" });

/** A stack of `namespaces` x `perNamespace` workloads where every workload reaches every other on TCP 8080, plus DNS. */
function fullMesh(namespaces: number, perNamespace: number): GraphConnection[] {
    const workloads = Array.from({ length: namespaces }, (_, n) => Array.from({ length: perNamespace }, (_, w) => `team-${n}/app-${w}[Pod]`)).flat();
    const lines = workloads.flatMap((from) => [
        `${from} => kube-system/coredns[Pod] : UDP 53`,
        ...workloads.filter((to) => to !== from).map((to) => `${from} => ${to} : TCP 8080`),
    ]);
    return lines.map(unchanged);
}

describe("Mermaid parsing (the test's own parser)", () => {
    it("rejects broken flowcharts, so a passing parse means something", async () => {
        await expect(parseFlowchart('flowchart LR\n  a -->|"unterminated label b')).rejects.toThrow();
        await expect(parseFlowchart("flowchart LR\n  subgraph x\n    a --> b\n")).rejects.toThrow();
        await expect(parseFlowchart("flowchart LR\n  a --> b\n  linkStyle 3 stroke:red")).rejects.toThrow();
    });
});

describe("connection flowcharts", () => {
    it("draws namespaces as subgraphs, the API server and outside world as nodes, and edges with their ports", async () => {
        const chart = connectionFlowchart([
            unchanged("shop/frontend[Pod] => shop/backend[Pod] : TCP 80"),
            unchanged("shop/backend[Pod] => default/kubernetes[APIServer] : TCP 443"),
            unchanged("shop/backend[Pod] => 0.0.0.0-9.255.255.255[External] : TCP 443"),
            unchanged("shop/backend[Pod] => 11.0.0.0-100.63.255.255[External] : TCP 443,UDP 443"),
        ]);
        const parsed = await parseFlowchart(chart.text);
        expect(parsed.subgraphs.map((subgraph) => [subgraph.title, [...subgraph.nodes].sort()])).toEqual([["shop", ["n_shop_backend_Pod", "n_shop_frontend_Pod"]]]);
        expect(parsed.edges.map((edge) => `${edge.start} ${edge.text} ${edge.end}`)).toEqual([
            "n_shop_backend_Pod TCP 443 apiserver",
            // Both external ranges are one node: their ports are merged.
            "n_shop_backend_Pod TCP 443,UDP 443 internet",
            "n_shop_frontend_Pod TCP 80 n_shop_backend_Pod",
        ]);
        // Unchanged edges keep Mermaid's default style.
        expect(parsed.edges.every((edge) => edge.style.length === 0)).toBe(true);
    });

    it("leaves DNS to CoreDNS out and dashes audit namespaces, saying both in the legend; named destinations carry their notes", async () => {
        const names = compileAddressNames([{ name: "internet", cidrs: ["0.0.0.0/0"], except: ["10.0.0.0/8"] }]);
        const added = (line: string, note?: string): GraphConnection => ({ connection: parseConnectionLine(line, names), change: "added", ...(note ? { note } : {}) });
        const chart = connectionFlowchart(
            [
                added("pay/api[Pod] => kube-system/coredns[Pod] : TCP 53,UDP 53"),
                added("pay/api[Pod] => internet : TCP 443", "via firewall: api.adyen.com"),
                added("shop/backend[Pod] => pay/api[Pod] : TCP 8080"),
                // Not only DNS: drawn.
                added("shop/backend[Pod] => kube-system/coredns[Pod] : TCP 53,9153"),
            ],
            { auditNamespaces: new Set(["pay"]), hideDns: true },
        );
        expect(chart.legend).toEqual([
            "+ added (solid, green), - removed (dotted, red)",
            "dashed border: in audit mode, everything is allowed and logged (pay); edges show what enforce allows",
            "DNS to CoreDNS not drawn (1 connection)",
        ]);
        const parsed = await parseFlowchart(chart.text);
        expect(parsed.edges.map((edge) => `${parsed.vertices.get(edge.start)!.text} -> ${parsed.vertices.get(edge.end)!.text}: ${edge.text}`).sort()).toEqual([
            "api -> internet: + TCP 443 via firewall: api.adyen.com",
            "backend -> api: + TCP 8080",
            "backend -> coredns: + TCP 53,9153",
        ]);
        expect(parsed.subgraphs.find((subgraph) => subgraph.title === "pay (audit)")).toMatchObject({ classes: ["audit"] });
    });

    it("makes ids Mermaid accepts from any name: keywords, arrow letters, collisions", async () => {
        const ids = new MermaidIds();
        const names = ["end/end[Pod]", "o/x[Pod]", "a-b/c[Pod]", "a_b/c[Pod]", "graph/subgraph[Pod]"];
        const made = names.map((name) => ids.of(name));
        expect(new Set(made).size).toBe(names.length);
        expect(made.every((id) => /^[A-Za-z0-9_]+$/.test(id))).toBe(true);
        expect(ids.of("a-b/c[Pod]")).toBe(made[2]);
        const lines = ["end/end[Pod] => o/x[Pod] : TCP 80", "a-b/c[Pod] => a_b/c[Pod] : TCP 81", "graph/subgraph[Pod] => end/end[Pod] : TCP 82"];
        const parsed = await parseFlowchart(connectionFlowchart(lines.map(unchanged)).text);
        expect(parsed.edges).toHaveLength(3);
        expect(parsed.subgraphs.map((subgraph) => subgraph.title).sort()).toEqual(["a-b", "a_b", "end", "graph", "o"]);
    });

    it("escapes characters that would end or break a label", async () => {
        expect(escapeLabel('a"b|c#d<e>f`g\nh')).toBe("a#quot;b#124;c#35;d#lt;e#gt;f#96;g h");
        const connection = parseConnectionLine("shop/frontend[Pod] => shop/backend[Pod] : TCP 80");
        const odd = { ...connection, destination: { ...connection.destination, kind: 'Odd"|Kind]', display: 'shop/backend[Odd"|Kind]]' } } as typeof connection;
        const parsed = await parseFlowchart(connectionFlowchart([{ connection: odd, change: "added" }]).text);
        expect(parsed.edges).toHaveLength(1);
        expect(parsed.vertices.size).toBe(2);
    });

    it("stays readable at 50 workloads: the matrix collapses to namespaces, with a note", async () => {
        const connections = fullMesh(5, 10);
        expect(connections.length).toBeGreaterThan(2000);
        const chart = connectionFlowchart(connections, { budget: MATRIX_GRAPH_BUDGET });
        expect(chart.note).toMatch(/workload edges are too many to read: drawn per namespace/);
        expect(chart.text).toContain(`%% ${chart.note}`);
        const parsed = await parseFlowchart(chart.text);
        // 5 x 5 namespace pairs (including each to itself) plus DNS from each namespace.
        expect(parsed.edges).toHaveLength(30);
        expect(parsed.edges.find((edge) => edge.start === "n_namespace_team_0" && edge.end === "n_namespace_team_1")?.text).toBe("100 connections: TCP 8080");
    });

    it("cuts a picture that would be too large for GitHub to render, changes first, and says so", async () => {
        // 30 namespaces of 1 workload: 870 namespace edges, more than Mermaid's 500.
        const connections = fullMesh(30, 1).map((connection, index) => (index === 7 ? { ...connection, change: "added" as const } : connection));
        const chart = connectionFlowchart(connections, { budget: MATRIX_GRAPH_BUDGET });
        expect(chart.note).toMatch(/only \d+ of 900 namespace edges fit in a picture GitHub renders/);
        expect(chart.edges.length).toBeLessThanOrEqual(MERMAID_LIMITS.maxEdges);
        expect(chart.text.length).toBeLessThanOrEqual(MERMAID_LIMITS.maxTextSize);
        expect(chart.edges[0]?.change).toBe("added");
        const parsed = await parseFlowchart(chart.text);
        expect(parsed.edges).toHaveLength(chart.edges.length);
    });

    it("keeps a pull-request picture within the comment budget", () => {
        const chart = connectionFlowchart(fullMesh(12, 4).map((connection) => ({ ...connection, change: "added" as const })));
        expect(chart.text.length).toBeLessThanOrEqual(COMMENT_GRAPH_BUDGET.maxTextSize);
        expect(chart.edges.length).toBeLessThanOrEqual(COMMENT_GRAPH_BUDGET.maxEdges);
        expect(chart.note).toBeDefined();
    });
});
