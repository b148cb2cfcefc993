import { beforeAll, describe, expect, it } from "vitest";
import { fakeAccessToken, type MockRun } from "../../offline/runtime";
import { deployerRoleAssignment, ofType, runStack, single } from "../helpers/stack";
import { expectDayTwoLifecycle, expectHostNetworkKeptOut, expectPlatformEndpointsClosed, expectPolicySetsThroughClusterProvider, expectZeroTrustBoundary } from "./shared";
import { describeRefreshedPreview } from "./drift.shared";

describe("prod stack under mocks", () => {
    let run: MockRun;
    beforeAll(async () => {
        run = await runStack("prod");
    });

    describeRefreshedPreview(() => run);

    it("turns LocalDNS off explicitly on every pool (mode Disabled), since leaving the profile out would leave it as it is", () => {
        const cluster = single(run, "azure-native:containerservice:ManagedCluster");
        const profiles = [
            ...(cluster.inputs.agentPoolProfiles as Array<{ localDNSProfile?: unknown }>).map((pool) => pool.localDNSProfile),
            ...ofType(run, "azure-native:containerservice:AgentPool").map((pool) => pool.inputs.localDNSProfile),
        ];
        expect(profiles).toEqual([{ mode: "Disabled" }, { mode: "Disabled" }]);
    });

    it("runs every pool on the cluster's version and times patches and node images in two maintenance windows of at least 4 hours, after dev's", () => {
        expect(expectDayTwoLifecycle(run)).toEqual({ aksManagedAutoUpgradeSchedule: "Wednesday", aksManagedNodeOSUpgradeSchedule: "Thursday" });
    });

    it("builds the zero-trust boundary: overlay + Calico, UDR through the firewall, AKS rules, ordering, secret kubeconfig", () => {
        expectZeroTrustBoundary(run);
    });

    it("applies the enforce-mode policy sets through the cluster's Kubernetes provider, namespace first and denies last", () => {
        expectPolicySetsThroughClusterProvider(run, "enforce");
    });

    it("drops every pod -> 169.254.169.254:80 and -> 168.63.129.16:80,32526 (enforce mode): app tiers, data tier, infrastructure, peer, undeclared", () => {
        expectPlatformEndpointsClosed(run, "prod");
    });

    it("keeps host-networked pods out: Pod Security Admission on the declared namespace, Azure Policy's host-network deny cluster-wide", () => {
        expectHostNetworkKeptOut(run);
    });

    it("runs a zone-redundant Premium firewall with IDPS and threat intel in Deny mode", () => {
        const policy = single(run, "azure-native:network:FirewallPolicy");
        expect(policy.inputs).toMatchObject({ sku: { tier: "Premium" }, threatIntelMode: "Deny", intrusionDetection: { mode: "Deny" } });
        const firewall = single(run, "azure-native:network:AzureFirewall");
        expect(firewall.inputs).toMatchObject({ sku: { name: "AZFW_VNet", tier: "Premium" }, zones: ["1", "2", "3"] });
        expect(single(run, "azure-native:containerservice:ManagedCluster").inputs.agentPoolProfiles).toEqual([expect.objectContaining({ availabilityZones: ["1", "2", "3"] })]);
    });

    it("spreads SNAT over many public IPs, each routed straight out", () => {
        const ips = ofType(run, "azure-native:network:PublicIPAddress");
        expect(ips.length).toBeGreaterThanOrEqual(20);
        const routes = single(run, "azure-native:network:RouteTable").inputs.routes as Array<{ nextHopType: string }>;
        expect(routes.filter((route) => route.nextHopType === "Internet")).toHaveLength(ips.length);
    });

    it("gets a distinct address for every firewall public IP, so every route is distinct (as Azure assigns them)", () => {
        const addresses = run.outputs.firewallPublicIps.value as string[];
        expect(addresses).toHaveLength(ofType(run, "azure-native:network:PublicIPAddress").length);
        expect(new Set(addresses).size).toBe(addresses.length);
        const prefixes = (single(run, "azure-native:network:RouteTable").inputs.routes as Array<{ addressPrefix: string }>).map((route) => route.addressPrefix);
        expect(new Set(prefixes).size).toBe(prefixes.length);
    });

    it("limits the API server to authorized ranges plus the firewall's egress IPs, and disables local accounts", () => {
        const cluster = single(run, "azure-native:containerservice:ManagedCluster");
        expect(cluster.inputs.disableLocalAccounts).toBe(true);
        const ranges = (cluster.inputs.apiServerAccessProfile as { authorizedIPRanges: string[] }).authorizedIPRanges;
        expect(ranges).toContain("203.0.113.0/24");
        for (const ip of run.outputs.firewallPublicIps.value as string[]) {
            expect(ranges).toContain(`${ip}/32`);
        }
        expect(ranges).not.toContain("0.0.0.0/0");
    });

    it("grants the deploying service principal cluster admin with principalType ServicePrincipal, read from its token", () => {
        const grant = deployerRoleAssignment(run);
        expect(grant.inputs.principalType).toBe("ServicePrincipal");
        expect(String(grant.inputs.roleDefinitionId)).toMatch(/\/roleDefinitions\/b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b$/);
        // The token is a credential: only the principal type derived from it reaches the resources.
        expect(JSON.stringify(run.resources)).not.toContain(fakeAccessToken("service-principal"));
    });

    it("protects the stateful resources: resource group, cluster, firewall, firewall policy and workspace", () => {
        const protectedTypes = run.resources.filter((resource) => resource.protect).map((resource) => resource.type).sort();
        expect(protectedTypes).toEqual([
            "azure-native:containerservice:ManagedCluster",
            "azure-native:network:AzureFirewall",
            "azure-native:network:FirewallPolicy",
            "azure-native:operationalinsights:Workspace",
            "azure-native:resources:ResourceGroup",
        ]);
    });
});
