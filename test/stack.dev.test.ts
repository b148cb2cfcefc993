import { beforeAll, describe, expect, it } from "vitest";
import type { MockRun } from "../offline/runtime";
import { ofType, runStack, single } from "./helpers/stack";
import { expectHostNetworkKeptOut, expectPlatformEndpointsClosed, expectPolicySetsThroughClusterProvider, expectZeroTrustBoundary } from "./stack.shared";

describe("dev stack under mocks", () => {
    let run: MockRun;
    beforeAll(async () => {
        run = await runStack("dev");
    });

    it("builds the zero-trust boundary: overlay + Calico, UDR through the firewall, AKS rules, ordering, secret kubeconfig", () => {
        expectZeroTrustBoundary(run);
    });

    it("applies the audit-mode policy sets through the cluster's Kubernetes provider, namespace first and denies last", () => {
        expectPolicySetsThroughClusterProvider(run, "audit");
    });

    it("drops every pod -> 169.254.169.254:80 and -> 168.63.129.16:80,32526 (audit mode): app tiers, data tier, infrastructure, peer, undeclared", () => {
        expectPlatformEndpointsClosed(run, "dev");
    });

    it("keeps host-networked pods out: Pod Security Admission on the declared namespace, Azure Policy's host-network deny cluster-wide", () => {
        expectHostNetworkKeptOut(run);
    });

    it("is small: Standard firewall alerting on threat intel, one zone, one public IP", () => {
        const policy = single(run, "azure-native:network:FirewallPolicy");
        expect(policy.inputs).toMatchObject({ sku: { tier: "Standard" }, threatIntelMode: "Alert" });
        expect(policy.inputs.intrusionDetection).toBeUndefined();
        expect(single(run, "azure-native:network:AzureFirewall").inputs.zones).toEqual(["1"]);
        expect(ofType(run, "azure-native:network:PublicIPAddress")).toHaveLength(1);
    });

    it("protects nothing, so the environment can be torn down", () => {
        expect(run.resources.filter((resource) => resource.protect)).toEqual([]);
    });
});
