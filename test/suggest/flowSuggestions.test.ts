import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { readClusterAddresses } from "../../core/evidence";
import { readStackConfig, type StackConfig } from "../../core/config";
import { parseDeniedFlowLog } from "../../core/evidence";
import { observeFlows, proposalKey, proposalsOf, summariseNamespaces, suggestionText, type ObservedFlow } from "../../core/evidence";
import { projectConfigValues } from "../../core/config";
import { applyProposalsToStackText } from "../../offline/edit";
import { parseStackFile } from "../../offline/runtime";
import { PROJECT_DIR, stackConfig } from "../helpers/stack";
import {
    ACCEPTANCE_PACKETS,
    clusterDump,
    HOST_IPS,
    iptablesLines,
    logAnalyticsJson,
    nftablesLines,
    NODE_A,
    NODE_B,
    SHOP_NAMESPACES,
    SHOP_PODS,
    SHOP_SERVICES,
    type FixturePacket,
} from "./fixtures";

const devConfig: StackConfig = readStackConfig(projectConfigValues(stackConfig("dev")), "dev");
const intent = devConfig.segmentation!;
const dump = clusterDump(SHOP_NAMESPACES, SHOP_PODS, SHOP_SERVICES);

function observe(logText: string, dumpText = dump): ObservedFlow[] {
    return observeFlows(parseDeniedFlowLog(logText, "input").records, readClusterAddresses(dumpText, "dump.json"), intent);
}

/** A flow as a row of the truth table: "source -> destination PROTO port" and what it amounts to. */
function row(flow: ObservedFlow): [string, string] {
    const outcome = flow.outcome.kind === "proposal" ? `propose ${proposalKey(flow.outcome.proposal)}` : flow.outcome.kind;
    return [flow.key, outcome];
}

/** The acceptance window, stated from the scenario (not from running the code). */
const ACCEPTANCE_TABLE: Array<[string, string]> = [
    ["10.244.3.99 shop/backend TCP 80", "unknown"],
    ["shop/backend 10.30.0.12 TCP 5432", "propose egress shop/backend -> 10.30.0.12/32 TCP/5432"],
    ["shop/frontend shop/database TCP 5432", "propose flow shop/frontend -> shop/database TCP/5432"],
];

describe("from denied-flow records to proposals (shop, dev stack, audit mode)", () => {
    it("gives the same keys and proposals from iptables lines, nftables lines and Log Analytics JSON", () => {
        const inputs = {
            iptables: iptablesLines(ACCEPTANCE_PACKETS),
            nftables: nftablesLines(ACCEPTANCE_PACKETS),
            "log-analytics (iptables)": logAnalyticsJson(ACCEPTANCE_PACKETS, "iptables", HOST_IPS),
            "log-analytics (nftables)": logAnalyticsJson(ACCEPTANCE_PACKETS, "nftables", HOST_IPS),
        };
        for (const [format, text] of Object.entries(inputs)) {
            expect(observe(text).map(row), format).toEqual(ACCEPTANCE_TABLE);
        }
    });

    it("counts one flow logged on two nodes and its retries once per key, with first and last seen", () => {
        const flows = new Map(observe(iptablesLines(ACCEPTANCE_PACKETS)).map((flow) => [flow.key, flow]));
        expect(flows.get("shop/backend 10.30.0.12 TCP 5432")).toMatchObject({ count: 3, firstSeen: "2026-12-01T09:15:02.118Z", lastSeen: "2026-12-01T09:15:05.179Z", nodes: [NODE_B] });
        // Two frontend replicas on two nodes, each connection logged as egress and as ingress: one key.
        expect(flows.get("shop/frontend shop/database TCP 5432")).toMatchObject({ count: 4, firstSeen: "2026-12-01T09:20:44.502Z", lastSeen: "2026-12-01T09:31:10.008Z", nodes: [NODE_A, NODE_B] });
        expect(flows.get("10.244.3.99 shop/backend TCP 80")?.outcome).toEqual({ kind: "unknown", reason: "10.244.3.99 is in the pod CIDR 10.244.0.0/16, but no pod in the dump has it (a pod since deleted, or a dump from another time)" });
    });

    it("notes the AZFWApplicationRule log on an egress CIDR proposal", () => {
        const egress = observe(iptablesLines(ACCEPTANCE_PACKETS)).find((flow) => flow.key.startsWith("shop/backend 10.30.0.12"))!;
        expect(egress.notes).toEqual(["if this address is an internet service behind a host name, prefer egress.fqdns, decided from the firewall's AZFWApplicationRule log"]);
    });

    it("reads a dump of typed lists (PodList items without kind) as the same cluster", () => {
        const typed = clusterDump(SHOP_NAMESPACES, SHOP_PODS, SHOP_SERVICES, { typed: true });
        expect(observe(iptablesLines(ACCEPTANCE_PACKETS), typed).map(row)).toEqual(ACCEPTANCE_TABLE);
    });

    const at = (time: string) => `2026-12-01T${time}Z`;
    const packet = (source: string, destination: string, protocol: FixturePacket["protocol"], destinationPort: number | undefined, time: string): FixturePacket => ({
        source, destination, protocol, sourcePort: 45000, destinationPort, node: NODE_B, time: at(time), direction: "egress",
    });

    it("maps a ClusterIP destination to the backend the policy sees after DNAT, and says so", () => {
        // frontend -> Service backend (10.96.12.80:8000 -> pod port 80): frontend -> backend TCP 80 is declared.
        // backend -> Service database (10.96.41.17:5432 -> named port postgres = 5432): declared too.
        const flows = observe(iptablesLines([packet("10.244.1.14", "10.96.12.80", "TCP", 8000, "10:00:00.000"), packet("10.244.1.7", "10.96.41.17", "TCP", 5432, "10:00:01.000")]));
        expect(flows.map(row)).toEqual([
            ["shop/backend shop/database TCP 5432", "declared"],
            ["shop/frontend shop/backend TCP 80", "declared"],
        ]);
        expect(flows[1].notes).toEqual(["DST 10.96.12.80 is the ClusterIP of Service shop/backend: the line was logged before DNAT; policy sees the backend shop/backend-5c6d7e8f9[ReplicaSet] on port 80"]);
    });

    it("reports what the intent cannot take as is: unknown services, system namespaces, nodes, portless protocols", () => {
        const flows = observe(iptablesLines([
            packet("10.244.1.7", "10.96.12.80", "TCP", 9999, "10:00:00.000"), // a port the Service does not have
            packet("10.244.1.7", "10.96.200.1", "TCP", 443, "10:00:01.000"), // a ClusterIP the dump does not have
            packet("10.244.0.5", "10.244.1.7", "TCP", 80, "10:00:02.000"), // from coredns (kube-system)
            packet("10.10.16.4", "10.244.1.7", "TCP", 80, "10:00:03.000"), // from node A (kubelet probe)
            packet("10.244.1.7", "10.244.0.30", "SCTP", undefined, "10:00:04.000"),
            packet("10.244.1.7", "10.244.0.30", "UDP", 5432, "10:00:05.000"),
        ]));
        expect(flows.map(row)).toEqual([
            ["shop/backend 10.96.12.80 TCP 9999", "unknown"],
            ["shop/backend 10.96.200.1 TCP 443", "unknown"],
            ["kube-system/coredns-6f8d7c9b4[ReplicaSet] shop/backend TCP 80", "review"],
            ["node/aks-apps-31415926-vmss000000 shop/backend TCP 80", "review"],
            ["shop/backend shop/database 132 -", "review"],
            ["shop/backend shop/database UDP 5432", "propose flow shop/backend -> shop/database UDP/5432"],
        ].sort(([a], [b]) => (a < b ? -1 : 1)));
    });

    it("summarises per namespace, with the guardrails' refusals and readiness to enforce", () => {
        const flows = observe(iptablesLines(ACCEPTANCE_PACKETS));
        const verdicts = new Map([
            ["egress shop/backend -> 10.30.0.12/32 TCP/5432", []],
            ["flow shop/frontend -> shop/database TCP/5432", [{ guardrail: "policy web-tier-never-reaches-data-tier (mandatory)", message: "shop/frontend => shop/database : TCP 5432." }]],
        ]);
        const [shop] = summariseNamespaces(flows, intent, verdicts);
        expect(shop).toMatchObject({ namespace: "shop", mode: "audit", proposals: 1, rejected: 1, unknown: 1, review: 0, declared: 0 });
        expect(shop.verdict).toBe("not ready to enforce: 2 unexplained flows (1 the guardrails refuse: fix the client or treat as an incident, 1 unknown)");
        const text = suggestionText([shop], verdicts, ["header"]);
        expect(text).toContain("    propose shop/backend egress.cidrs: 10.30.0.12/32 TCP 5432\n");
        expect(text).toContain("    DO NOT ADD flows: shop/frontend -> shop/database TCP 5432: it breaks policy web-tier-never-reaches-data-tier (mandatory)\n");
        expect(text).toContain("Summary: 3 flows from 8 records; 1 proposed, 1 do not add, 1 unknown, 0 to review, 0 already declared\n");
    });

    it("calls a namespace ready when every flow in the window is declared", () => {
        const flows = observe(iptablesLines([packet("10.244.1.14", "10.244.1.7", "TCP", 80, "10:00:00.000")]));
        expect(summariseNamespaces(flows, intent, new Map())[0].verdict).toBe("ready to enforce: every flow in the window is declared");
    });
});

describe("writing accepted proposals into the stack file", () => {
    const devText = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8");

    it("adds an egress CIDR and a flow in place, keeping comments, key order and flow style", () => {
        const edited = applyProposalsToStackText(devText, "Pulumi.dev.yaml", proposalsOf(observe(iptablesLines(ACCEPTANCE_PACKETS))));
        // Stated by hand: backend's egress gains a cidrs list after its fqdns, the flow goes after the last flow.
        const expected = insertAfter(
            insertAfter(devText, "                - fqdn: api.stripe.com\n                  ports: [443]\n", "              cidrs:\n                - cidr: 10.30.0.12/32\n                  ports: [5432]\n"),
            "      - from: shop/backend\n        to: shop/database\n        ports: [5432]\n",
            "      - from: shop/frontend\n        to: shop/database\n        ports: [5432]\n",
        );
        expect(edited).toBe(expected);
    });

    it("adds a port to an existing flow rather than a second entry, and writes non-TCP ports with their protocol", () => {
        const edited = applyProposalsToStackText(devText, "Pulumi.dev.yaml", [
            { kind: "flow", from: "shop/frontend", to: "shop/backend", port: { protocol: "TCP", port: 8443 } },
            { kind: "flow", from: "shop/frontend", to: "shop/backend", port: { protocol: "UDP", port: 8443 } },
        ]);
        expect(edited).toContain("      - from: shop/frontend\n        to: shop/backend\n        ports: [80, 8443, {port: 8443, protocol: UDP}]\n");
        const values = projectConfigValues(parseStackFile(edited, "Pulumi.dev.yaml"));
        expect(readStackConfig(values, "dev").segmentation!.flows.find((flow) => flow.to.workload === "backend")!.ports).toEqual([
            { protocol: "TCP", port: 80 }, { protocol: "TCP", port: 8443 }, { protocol: "UDP", port: 8443 },
        ]);
    });

    it("names the stack file when it has no segmentation to edit", () => {
        expect(() => applyProposalsToStackText("config:\n  aks-zero-trust:environment: dev\n", "Pulumi.x.yaml", [])).toThrow("Pulumi.x.yaml: has no aks-zero-trust:segmentation mapping to add the proposals to");
    });
});

/** `text` with `addition` inserted after the one occurrence of `anchor`. */
function insertAfter(text: string, anchor: string, addition: string): string {
    const index = text.indexOf(anchor);
    if (index < 0 || text.indexOf(anchor, index + 1) >= 0) throw new Error(`anchor not found exactly once: ${anchor}`);
    return text.slice(0, index + anchor.length) + addition + text.slice(index + anchor.length);
}

describe("reading the cluster dump", () => {
    it("names file:line when two pods of different workloads claim one address", () => {
        const clash = clusterDump(SHOP_NAMESPACES, [...SHOP_PODS, { ...SHOP_PODS[3], name: "other-0", owner: { kind: "StatefulSet", name: "other" } }], []);
        expect(() => readClusterAddresses(clash, "dump.json")).toThrow(/^dump\.json:\d+: 10\.244\.0\.30 belongs to two pods, shop\/database-0 and shop\/other-0/);
    });
});
