import { beforeAll, describe, expect, it } from "vitest";
import type { MockRun } from "../../offline/runtime";
import { deployerRoleAssignment, ofType, runStack, stackConfig } from "../helpers/stack";

/** Prod, with no workload, infrastructure namespace or peer calling the Kubernetes API, and no Azure Policy add-on. */
function prodWithoutApiClients() {
    const config = { ...stackConfig("prod") };
    const cluster = JSON.parse(config["aks-zero-trust:cluster"]) as { azurePolicyAddon?: boolean };
    cluster.azurePolicyAddon = false;
    config["aks-zero-trust:cluster"] = JSON.stringify(cluster);
    type WithEgress = { egress?: { kubernetesApi?: boolean } };
    const segmentation = JSON.parse(config["aks-zero-trust:segmentation"]) as { infrastructure: WithEgress[]; peers: WithEgress[] };
    for (const infra of segmentation.infrastructure) delete infra.egress;
    for (const peer of segmentation.peers) delete peer.egress;
    config["aks-zero-trust:segmentation"] = JSON.stringify(segmentation);
    return config;
}

describe("prod stack deployed by a person (az login), with no Kubernetes API clients and no Azure Policy add-on", () => {
    let run: MockRun;
    beforeAll(async () => {
        run = await runStack("prod", prodWithoutApiClients(), "user");
    });

    it("grants the deploying user cluster admin with principalType User, read from the access token", () => {
        expect(deployerRoleAssignment(run).inputs.principalType).toBe("User");
    });

    it("plans no API server rule when nothing in the intent asks for the Kubernetes API", () => {
        const groups = ofType(run, "azure-native:network:FirewallPolicyRuleCollectionGroup").map((group) => group.inputs.ruleCollectionGroupName);
        expect(groups).toEqual(["aks-required", "workload-egress"]);
    });

    it("assigns no host-network policy without the Azure Policy add-on, which is what would enforce it", () => {
        const cluster = ofType(run, "azure-native:containerservice:ManagedCluster")[0]!;
        expect((cluster.inputs.addonProfiles as Record<string, { enabled: boolean }>).azurepolicy).toEqual({ enabled: false });
        expect(ofType(run, "azure-native:authorization:PolicyAssignment")).toEqual([]);
    });
});
