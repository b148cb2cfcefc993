/** Connection sets, external ranges, diffs and expectations: the promises of the output formats. */
import { describe, expect, it } from "vitest";
import {
    type Connection,
    ConnectionSet,
    type Entity,
    InputError,
    analyze,
    checkExpectations,
    diffConnections,
    formatConnection,
    formatDiff,
    parseConnectionSet,
    parseExpectations,
    parseEntityDisplay,
    parseManifests,
    presentConnections,
} from "../../reach";
import { generateCluster } from "../../reach/bench";

describe("ConnectionSet text form", () => {
    it("prints ports per protocol in TCP, UDP, SCTP order with ranges", () => {
        const set = ConnectionSet.ports("UDP", 53)
            .union(ConnectionSet.ports("TCP", 8080, 8090))
            .union(ConnectionSet.ports("TCP", 443))
            .union(ConnectionSet.ports("TCP", 80));
        expect(set.format()).toBe("TCP 80,443,8080-8090,UDP 53");
    });

    it("prints a fully open protocol as its bare name, everything as All Connections", () => {
        expect(ConnectionSet.protocol("TCP").union(ConnectionSet.ports("SCTP", 9)).format()).toBe("TCP,SCTP 9");
        expect(ConnectionSet.ALL.format()).toBe("All Connections");
        expect(ConnectionSet.ALL.subtract(ConnectionSet.OTHER).format()).toBe("TCP,UDP,SCTP");
        expect(ConnectionSet.protocolNumber(1).union(ConnectionSet.protocolNumber(47)).format()).toBe("ICMP,PROTO 47");
        expect(ConnectionSet.ALL.subtract(ConnectionSet.ports("TCP", 22)).format()).toBe("TCP 1-21,23-65535,UDP,SCTP,OTHER");
    });

    it("parses its own output back", () => {
        for (const text of ["TCP 80,443,8080-8090,UDP 53", "All Connections", "TCP,SCTP 9", "ICMP,PROTO 47", "TCP 1-21,23-65535,UDP,SCTP,OTHER"]) {
            const parsed = parseConnectionSet(text);
            expect(typeof parsed === "string" ? parsed : parsed.format()).toBe(text);
        }
        expect(parseConnectionSet("TCP 80, 443")).toEqual(ConnectionSet.ports("TCP", 80).union(ConnectionSet.ports("TCP", 443)));
        expect(parseConnectionSet("TCP 0")).toBe('port 0 is outside 1-65535');
        expect(parseConnectionSet("HTTP 80")).toMatch(/^expected a protocol/);
    });
});

const workload = (namespace: string, name: string): Entity => ({ type: "workload", kind: "Deployment", namespace, name, display: `${namespace}/${name}[Deployment]` });
const external = (start: string, end: string): Entity => {
    const number = (text: string) => text.split(".").reduce((value, part) => value * 256 + Number(part), 0);
    return { type: "external", start: number(start), end: number(end), display: `${start}-${end}[External]` };
};
const connection = (source: Entity, destination: Entity, ports: string): Connection => ({
    source,
    destination,
    ports: parseConnectionSet(ports) as ConnectionSet,
});

describe("diffConnections", () => {
    const web = workload("shop", "web");
    const api = workload("shop", "api");

    it("reports port-level additions and removals per pair", () => {
        const diff = diffConnections([connection(web, api, "TCP 80,443")], [connection(web, api, "TCP 443,8080"), connection(api, web, "UDP 53")]);
        expect(formatDiff(diff, "text").split("\n")).toEqual([
            "+ shop/api[Deployment] => shop/web[Deployment] : UDP 53",
            "- shop/web[Deployment] => shop/api[Deployment] : TCP 80",
            "+ shop/web[Deployment] => shop/api[Deployment] : TCP 8080",
            "",
        ]);
    });

    it("compares external ranges cut differently before and after, and merges the result", () => {
        const before = [connection(web, external("0.0.0.0", "255.255.255.255"), "TCP 443")];
        const after = [
            connection(web, external("0.0.0.0", "9.255.255.255"), "TCP 443"),
            connection(web, external("11.0.0.0", "255.255.255.255"), "TCP 443"),
            connection(external("10.0.0.0", "10.255.255.255"), web, "TCP 80"),
        ];
        const diff = diffConnections(before, after);
        expect(diff.removed.map(formatConnection)).toEqual(["shop/web[Deployment] => 10.0.0.0/8[External] : TCP 443"]);
        expect(diff.added.map(formatConnection)).toEqual(["10.0.0.0/8[External] => shop/web[Deployment] : TCP 80"]);
    });

    it("finds nothing between identical lists", () => {
        const list = [connection(web, api, "TCP 80"), connection(web, external("1.0.0.0", "1.255.255.255"), "All Connections")];
        expect(diffConnections(list, list)).toEqual({ added: [], removed: [] });
    });

    it("renders Markdown", () => {
        const diff = diffConnections([], [connection(web, api, "TCP 80")]);
        expect(formatDiff(diff, "md")).toBe(
            "| Change | Source | Destination | Connections |\n| --- | --- | --- | --- |\n| added | shop/web[Deployment] | shop/api[Deployment] | TCP 80 |\n",
        );
    });
});

describe("presentation: what users read", () => {
    const web = workload("shop", "web");
    const api = workload("shop", "api");

    it("prints one address as an address, an exact CIDR block in CIDR form, anything else as a range", () => {
        const lines = presentConnections([
            connection(web, external("8.8.8.8", "8.8.8.8"), "UDP 53"),
            connection(web, external("10.0.0.0", "10.255.255.255"), "TCP 443"),
            connection(web, external("172.16.0.0", "172.16.0.127"), "TCP 22"),
            connection(web, external("192.168.1.1", "192.168.1.9"), "TCP 80"),
        ]).map(formatConnection);
        expect(lines).toEqual([
            "shop/web[Deployment] => 8.8.8.8[External] : UDP 53",
            "shop/web[Deployment] => 10.0.0.0/8[External] : TCP 443",
            "shop/web[Deployment] => 172.16.0.0/25[External] : TCP 22",
            "shop/web[Deployment] => 192.168.1.1-192.168.1.9[External] : TCP 80",
        ]);
        for (const line of lines) {
            const display = line.split(" => ")[1]!.split(" : ")[0]!;
            expect(parseEntityDisplay(display)?.display).toBe(display);
        }
    });

    it("merges adjacent external ranges with the same traffic, per workload and direction, and only those", () => {
        const lines = presentConnections([
            connection(web, external("0.0.0.0", "9.255.255.255"), "All Connections"),
            connection(web, external("10.0.0.0", "10.255.255.255"), "All Connections"),
            connection(web, external("11.0.0.0", "255.255.255.255"), "All Connections"),
            // Same traffic but not adjacent (a gap at 1.0.0.0-1.255.255.255): two lines.
            connection(api, external("0.0.0.0", "0.255.255.255"), "TCP 443"),
            connection(api, external("2.0.0.0", "2.255.255.255"), "TCP 443"),
            // Adjacent but different traffic: two lines.
            connection(api, external("3.0.0.0", "3.255.255.255"), "TCP 443"),
            connection(api, external("4.0.0.0", "4.255.255.255"), "TCP 80"),
            // Inbound ranges merge among themselves, not with outbound ones.
            connection(external("0.0.0.0", "127.255.255.255"), web, "TCP 80"),
            connection(external("128.0.0.0", "255.255.255.255"), web, "TCP 80"),
        ]).map(formatConnection);
        expect(lines).toEqual([
            "shop/api[Deployment] => 0.0.0.0/8[External] : TCP 443",
            "shop/api[Deployment] => 2.0.0.0/7[External] : TCP 443",
            "shop/api[Deployment] => 4.0.0.0/8[External] : TCP 80",
            "shop/web[Deployment] => 0.0.0.0/0[External] : All Connections",
            "0.0.0.0/0[External] => shop/web[Deployment] : TCP 80",
        ]);
    });

    it("leaves a workload's connections to itself out unless asked", () => {
        const connections = [connection(web, web, "All Connections"), connection(web, api, "TCP 80")];
        expect(presentConnections(connections).map(formatConnection)).toEqual(["shop/web[Deployment] => shop/api[Deployment] : TCP 80"]);
        expect(presentConnections(connections, { self: true })).toHaveLength(2);
    });

    it("finds no difference between two analyses that differ only in how other policies cut the address space", () => {
        // After: a policy of another workload mentions 10.0.0.0/8, so web's egress arrives in three pieces.
        const cluster = (extra: string) =>
            analyze(
                parseManifests(
                    `apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: api, namespace: shop, labels: {app: api}}\n${extra}`,
                    "m.yaml",
                ).objects,
            ).connections;
        const before = cluster("");
        const after = cluster(
            "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: api}}\n  policyTypes: [Egress]\n  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}]}]\n",
        );
        expect(after.filter((line) => line.source.display === "shop/web[Pod]" && line.destination.type === "external")).toHaveLength(3);
        const web = (connections: readonly Connection[]) => presentConnections(connections).filter((line) => line.source.display === "shop/web[Pod]");
        expect(web(after).map(formatConnection)).toEqual(web(before).map(formatConnection));
        const diff = diffConnections(before, after);
        expect(diff.added.filter((line) => line.source.display === "shop/web[Pod]")).toEqual([]);
        expect(diff.removed.filter((line) => line.source.display === "shop/web[Pod]")).toEqual([]);
    });
});

describe("external ranges", () => {
    it("names a single address as the address, not as a one-address range", () => {
        const { objects } = parseManifests(
            `apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  egress:
  - to: [{ipBlock: {cidr: 168.63.129.16/32}}]
    ports: [{port: 53, protocol: UDP}]
`,
            "m.yaml",
        );
        const lines = analyze(objects).connections.map(formatConnection);
        expect(lines).toEqual(["shop/api[Pod] => 168.63.129.16[External] : UDP 53"]);
    });
});

describe("expectations", () => {
    const analysis = analyze(
        parseManifests(
            `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: web}}}]
    ports: [{port: 80}, {port: 443}]
`,
            "m.yaml",
        ).objects,
    );

    const check = (line: string) => checkExpectations(analysis, parseExpectations(`expectations:\n  - ${line}\n`, "e.yaml"))[0]!;

    it("supports at least, exactly, deny, deny of some ports, allow and all", () => {
        expect(check("shop/web -> shop/api: TCP 80").passed).toBe(true);
        expect(check("shop/web -> shop/api: exactly TCP 80,443").passed).toBe(true);
        expect(check("shop/web -> shop/api: exactly TCP 80").reason).toBe("expected exactly TCP 80, found TCP 80,443");
        expect(check("shop/web -> shop/api: deny TCP 22").passed).toBe(true);
        expect(check("shop/web -> shop/api: deny").reason).toBe("expected no connection, found TCP 80,443");
        expect(check("shop/api -> shop/web: all").passed).toBe(true);
        expect(check("shop/web -> shop/api: allow").passed).toBe(true);
        expect(check("shop/web[Pod] -> 8.8.8.8: All Connections").passed).toBe(true);
        expect(check("10.0.0.0/8 -> shop/api: deny").passed).toBe(true);
    });

    it("reads README's bare list as well as the `expectations:` key, with the same lines", () => {
        const bare = parseExpectations("# what must hold\n- shop/web -> shop/api: allow\n- shop/web -> shop/db: deny\n", "e.yaml");
        const keyed = parseExpectations("expectations:\n  - shop/web -> shop/api: allow\n  - shop/web -> shop/db: deny\n", "e.yaml");
        expect(bare.map((expectation) => [expectation.text, expectation.line])).toEqual([["shop/web -> shop/api: allow", 2], ["shop/web -> shop/db: deny", 3]]);
        expect(keyed.map((expectation) => expectation.requirement)).toEqual(bare.map((expectation) => expectation.requirement));
    });

    it("names the file and line of a bad expectation", () => {
        expect(() => parseExpectations("expectations:\n  - shop/web -> shop/api: sometimes\n", "e.yaml")).toThrow(
            /^e\.yaml:2: expected a protocol/,
        );
        expect(() => check("shop/nope -> shop/api: deny")).toThrow(new InputError("unknown workload shop/nope", "e.yaml", 2));
        expect(() => parseExpectations("expect: []\n", "e.yaml")).toThrow(/^e\.yaml:1: expected a list of expectations, at the top or under `expectations:`/);
    });
});

describe("the benchmark cluster", () => {
    it("allows exactly the ADR's flows for one app namespace", () => {
        const lines = analyze(generateCluster(1)).connections.map(formatConnection);
        const app = lines.filter((line) => line.includes("app-0000"));
        expect(app).toEqual([
            "app-0000/backend[Deployment] => app-0000/database[Deployment] : TCP 5432",
            "app-0000/backend[Deployment] => default/kubernetes[APIServer] : TCP 443", // public API server, via 0.0.0.0/0 minus private ranges
            "app-0000/backend[Deployment] => kube-system/coredns[Deployment] : TCP 53,UDP 53",
            "app-0000/backend[Deployment] => 0.0.0.0-9.255.255.255[External] : TCP 443",
            "app-0000/backend[Deployment] => 11.0.0.0-172.15.255.255[External] : TCP 443",
            "app-0000/backend[Deployment] => 172.32.0.0-192.167.255.255[External] : TCP 443",
            "app-0000/backend[Deployment] => 192.169.0.0-255.255.255.255[External] : TCP 443",
            "app-0000/database[Deployment] => kube-system/coredns[Deployment] : TCP 53,UDP 53",
            "app-0000/frontend[Deployment] => app-0000/backend[Deployment] : TCP 80",
            "app-0000/frontend[Deployment] => kube-system/coredns[Deployment] : TCP 53,UDP 53",
            "monitoring/prometheus[Deployment] => app-0000/backend[Deployment] : TCP 9090",
            "monitoring/prometheus[Deployment] => app-0000/database[Deployment] : TCP 9090",
            "monitoring/prometheus[Deployment] => app-0000/frontend[Deployment] : TCP 9090",
        ]);
    });
});
