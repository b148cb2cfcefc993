import { describe, expect, it } from "vitest";
import { readStackConfig } from "../../core/config";
import { apiServerEgressGroup, needsApiServerEgressGroup, planFirewallRules } from "../../core/firewall";
import { projectConfigValues } from "../../core/config";
import { stackConfig } from "../helpers/stack";

/** The prod stack's validated config, with one change applied to the raw values first. */
function prodConfig(change: (values: Record<string, any>) => void = () => undefined) {
    const values = structuredClone(projectConfigValues(stackConfig("prod"))) as Record<string, any>;
    change(values);
    return readStackConfig(values, "prod");
}

const allRules = (config: ReturnType<typeof prodConfig>) => planFirewallRules(config, []).flatMap((group) => group.ruleCollections.flatMap((collection) => collection.rules));

describe("AKS-required firewall rules", () => {
    it("open no network rule to a region's Azure addresses (konnectivity clusters need no 1194/9000)", () => {
        const networkRules = allRules(prodConfig()).filter((rule) => rule.ruleType === "NetworkRule");
        expect(networkRules.map((rule) => rule.name)).toEqual(["aks-ntp", "azure-monitor-tcp-443"]);
        expect(JSON.stringify(networkRules)).not.toContain("AzureCloud");
    });

    it("give the Azure Policy add-on its telemetry endpoint even when Container Insights is off", () => {
        const rules = allRules(prodConfig((v) => { v.cluster.monitoringAddon = false; }));
        expect(rules.find((rule) => rule.name === "azure-policy-addon")).toMatchObject({ targetFqdns: expect.arrayContaining(["dc.services.visualstudio.com"]) });
        expect(rules.find((rule) => rule.name === "azure-monitor-addon")).toBeUndefined();
    });
});

describe("the API server rule", () => {
    it("is planned only when a workload, infrastructure namespace or peer calls the Kubernetes API on a public API server", () => {
        expect(needsApiServerEgressGroup(prodConfig())).toBe(true);
        // prod: monitoring (infrastructure) and ingress-nginx (peer) call the API; no shop workload does.
        const withoutInfrastructureApi = (v: Record<string, any>) => { delete v.segmentation.infrastructure[0].egress; };
        const withoutPeerApi = (v: Record<string, any>) => { delete v.segmentation.peers[0].egress; };
        expect(needsApiServerEgressGroup(prodConfig((v) => { withoutInfrastructureApi(v); withoutPeerApi(v); }))).toBe(false);
        // A peer alone (an ingress controller watching Ingresses) reaches the API server through the firewall too.
        expect(needsApiServerEgressGroup(prodConfig(withoutInfrastructureApi))).toBe(true);
        expect(needsApiServerEgressGroup(prodConfig(withoutPeerApi))).toBe(true);
        // A private API server is an endpoint inside the VNet: the VNet route reaches it, not the firewall.
        expect(needsApiServerEgressGroup(prodConfig((v) => { v.cluster.apiServer = { privateCluster: true }; }))).toBe(false);
    });

    it("allows TCP 443 from the nodes to the cluster's own FQDN only, in a group after the others", () => {
        const config = prodConfig();
        const group = apiServerEgressGroup(config, "zt-prod-1a2b3c4d.hcp.westeurope.azmk8s.io");
        expect(group.priority).toBeGreaterThan(Math.max(...planFirewallRules(config, [{ owner: "cluster", fqdn: "x.example.com", protocol: "Https", ports: [443] }]).map((planned) => planned.priority)));
        expect(group.ruleCollections.flatMap((collection) => collection.rules)).toEqual([{
            ruleType: "NetworkRule", name: "kubernetes-api-clients", sourceAddresses: ["10.20.16.0/20"], ipProtocols: ["TCP"], destinationPorts: ["443"], destinationFqdns: ["zt-prod-1a2b3c4d.hcp.westeurope.azmk8s.io"],
        }]);
    });
});
