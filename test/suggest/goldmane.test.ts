/**
 * Goldmane flow exports (self-managed Calico): the fixture is written from goldmane/proto/api.proto's fields in
 * protobuf's JSON mapping, as `grpcurl ... goldmane.Flows/List` prints them (lowerCamelCase names, enums by name,
 * int64 as strings). Flows allowed today but denied by the pending (staged) trace are evidence, like iptables lines.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { readStackConfig } from "../../core/config";
import { LogInputError, looksLikeGoldmaneExport, observeGoldmaneFlows, parseGoldmaneFlows, proposalKey, proposalsOf, type ObservedFlow } from "../../core/evidence";
import { projectConfigValues } from "../../core/config";
import { stackConfig } from "../helpers/stack";

const FIXTURE = path.join(__dirname, "fixtures", "goldmane-flows.json");
const text = fs.readFileSync(FIXTURE, "utf8");
const intent = readStackConfig(projectConfigValues(stackConfig("dev")), "dev").segmentation!;

function row(flow: ObservedFlow): [string, string] {
    const outcome = flow.outcome.kind === "proposal" ? `propose ${proposalKey(flow.outcome.proposal)}` : flow.outcome.kind;
    return [flow.key, outcome];
}

describe("reading a Goldmane export", () => {
    it("keeps the enforced denies and the staged denies, each with the policy that decides it and where it is (the line of its Key)", () => {
        const log = parseGoldmaneFlows(text, "flows.json");
        expect(log.flowCount).toBe(6);
        expect(log.records.map((record) => [record.at, record.verdict, `${record.source.namespace}/${record.source.name} -> ${record.destination.namespace || record.destination.type}/${record.destination.name} ${record.protocol} ${record.destinationPort}`, record.decidedBy])).toEqual([
            ["flows.json:10", "staged-denied", "shop/frontend-6f7c9d8b5-* -> shop/database-0 TCP 5432", "staged StagedNetworkPolicy shop/log-denied (tier default)"],
            ["flows.json:48", "staged-denied", "shop/frontend-6f7c9d8b5-* -> shop/database-0 TCP 5432", "staged StagedNetworkPolicy shop/log-denied (tier default)"],
            ["flows.json:78", "staged-denied", "shop/frontend-6f7c9d8b5-* -> shop/backend-5c6d7e8f9-* TCP 9090", "end of tier default, selected by staged StagedKubernetesNetworkPolicy shop/workload-frontend (tier default)"],
            ["flows.json:108", "staged-denied", "shop/backend-5c6d7e8f9-* -> Network/pub TCP 443", "staged StagedNetworkPolicy shop/log-denied (tier default)"],
            ["flows.json:137", "denied", "monitoring/prometheus-server-7d4b8c9f6-* -> Network/pub TCP 443", "GlobalNetworkPolicy platform.infra-monitoring-egress (tier platform)"],
        ]);
        expect(log.records[0]).toMatchObject({ reporter: "Src", connections: 3, startTime: "2026-12-06T06:00:00.000Z", endTime: "2026-12-06T06:00:15.000Z", source: { type: "WorkloadEndpoint", labels: { app: "frontend", tier: "web" } } });
        expect(looksLikeGoldmaneExport(text)).toBe(true);
        expect(looksLikeGoldmaneExport("2026-12-01T10:00:00Z node kernel: calico-packet: IN=cali1 OUT=eth0")).toBe(false);
    });

    it("reads grpcurl's stream output (one object after another) and the proto's snake_case names alike", () => {
        const flows = (JSON.parse(text) as { flows: Array<{ flow: { Key: Record<string, unknown> } }> }).flows;
        const stream = flows.map((result) => JSON.stringify(result, null, 2)).join("\n");
        expect(parseGoldmaneFlows(stream, "stream.json").records).toHaveLength(5);
        const snake = JSON.stringify({ Key: { source_name: "a-*", source_namespace: "shop", source_type: 1, dest_name: "pvt", dest_type: "Network", dest_port: 5432, proto: "TCP", reporter: 1, action: 2, policies: { enforced_policies: [{ kind: "EndOfTier", tier: "default", action: "Deny" }] } }, source_labels: ["app=frontend"] });
        expect(parseGoldmaneFlows(snake, "snake.json").records[0]).toMatchObject({ verdict: "denied", decidedBy: "end of tier default", destination: { type: "Network", name: "pvt" }, destinationPort: 5432 });
    });

    it("reads the policy kinds of every pinned release: AdminNetworkPolicy (3.30, 3.31) and ClusterNetworkPolicy (3.32+), by name or number", () => {
        // goldmane/proto/api.proto PolicyKind: 7 AdminNetworkPolicy, 8 BaselineAdminNetworkPolicy at v3.30.7 and v3.31.7 (the same file);
        // 11 ClusterNetworkPolicy at v3.32.1 (7 and 8 removed). Tier names from api/pkg/apis/projectcalico/v3/tier.go.
        const denied = (kind: string | number, name: string, tier: string) => JSON.stringify({ Key: { sourceName: "a-*", sourceNamespace: "shop", sourceType: "WorkloadEndpoint", destName: "pub", destType: "Network", destPort: "443", proto: "tcp", reporter: "Src", action: "Deny", policies: { enforcedPolicies: [{ kind, name, tier, action: "Deny", policyIndex: "0", ruleIndex: "0" }] } } });
        const decided = (flow: string) => parseGoldmaneFlows(flow, "flows.json").records[0]!.decidedBy;
        expect(decided(denied("AdminNetworkPolicy", "no-egress", "adminnetworkpolicy"))).toBe("AdminNetworkPolicy no-egress (tier adminnetworkpolicy)");
        expect(decided(denied(8, "baseline", "baselineadminnetworkpolicy"))).toBe("BaselineAdminNetworkPolicy baseline (tier baselineadminnetworkpolicy)");
        expect(decided(denied("ClusterNetworkPolicy", "no-egress", "kube-admin"))).toBe("ClusterNetworkPolicy no-egress (tier kube-admin)");
        expect(decided(denied(11, "no-egress", "kube-baseline"))).toBe("ClusterNetworkPolicy no-egress (tier kube-baseline)");
        expect(() => decided(denied("ClusterNetworkPolicyAdminTier", "x", "kube-admin"))).toThrow(/unknown policy kind "ClusterNetworkPolicyAdminTier" \(expected one of CalicoNetworkPolicy, .*, AdminNetworkPolicy, BaselineAdminNetworkPolicy, Profile, EndOfTier, ClusterNetworkPolicy\)/);
        expect(() => decided(denied(12, "x", "default"))).toThrow(/unknown policy kind 12/);
    });

    it("names the file and line of what it cannot read", () => {
        const bad = text.replace('"reporter": "Dst"', '"reporter": "Both"');
        expect(() => parseGoldmaneFlows(bad, "flows.json")).toThrow(new LogInputError('unknown reporter "Both" (expected one of Src, Dst)', "flows.json", 48));
        expect(() => parseGoldmaneFlows('{"flows": [{"id": "1"}]}', "empty.json")).toThrow(/^empty\.json:1: expected Goldmane flows/);
        expect(() => parseGoldmaneFlows("calico-packet: IN=", "kern.log")).toThrow(/^kern\.log:1: expected a JSON object or array/);
    });
});

describe("suggest from Goldmane flows", () => {
    const flows = observeGoldmaneFlows(parseGoldmaneFlows(text, "flows.json").records, intent);

    it("turns staged denies into proposals as it does iptables lines, merging the two reporters of one flow", () => {
        expect(flows.map(row)).toEqual([
            ["monitoring/prometheus-server-7d4b8c9f6-* network/pub TCP 443", "review"],
            ["shop/backend network/pub TCP 443", "review"],
            ["shop/frontend shop/backend TCP 9090", "propose flow shop/frontend -> shop/backend TCP/9090"],
            ["shop/frontend shop/database TCP 5432", "propose flow shop/frontend -> shop/database TCP/5432"],
        ]);
        const database = flows.find((flow) => flow.key === "shop/frontend shop/database TCP 5432")!;
        expect(database).toMatchObject({ count: 6, firstSeen: "2026-12-06T06:00:00.000Z", lastSeen: "2026-12-06T06:00:15.000Z", firstAt: "flows.json:10", namespaces: ["shop"] });
        expect(database.notes).toEqual(["allowed today; would be denied by staged StagedNetworkPolicy shop/log-denied (tier default) once enforced"]);
        expect(proposalsOf(flows).map(proposalKey)).toEqual(["flow shop/frontend -> shop/backend TCP/9090", "flow shop/frontend -> shop/database TCP/5432"]);
    });

    it("sends flows to networks Goldmane gives no address for to review, with where to look instead", () => {
        const internet = flows.find((flow) => flow.key === "shop/backend network/pub TCP 443")!;
        expect(internet.outcome).toEqual({ kind: "review", reason: "to a public network (Goldmane gives no address): decide the host name from the firewall's AZFWApplicationRule log and declare it in egress.fqdns (or the range in egress.cidrs)" });
        expect(flows.find((flow) => flow.key.startsWith("monitoring/"))!.notes).toEqual(["denied by GlobalNetworkPolicy platform.infra-monitoring-egress (tier platform)"]);
    });
});
