import { describe, expect, it } from "vitest";
import { resource, validateResource, withInputs } from "./harness";

const cluster = resource("azure-native:containerservice:ManagedCluster", "aks-cluster", {
    resourceName: "aks-zt-dev",
    kubernetesVersion: "1.36",
    disableLocalAccounts: true,
    apiServerAccessProfile: { authorizedIPRanges: ["203.0.113.0/24"] },
    tags: { environment: "dev" },
});

describe("aks-kubernetes-version-support (advisory, judged on the day the pack runs)", () => {
    const check = (version: string, today: string) => validateResource("aks-kubernetes-version-support", withInputs(cluster, { kubernetesVersion: version }), { today }).messages;

    it("is quiet while the version has more than 90 days of support left", () => {
        expect(check("1.36", "2026-12-01")).toEqual([]);
        expect(check("1.36.2", "2027-03-31")).toEqual([]);
    });

    it("warns when support ends within 90 days, naming the date and the versions to move to", () => {
        expect(check("1.36", "2027-04-01")[0]).toBe(
            "kubernetesVersion 1.36 leaves AKS standard support on 2027-06-30, in 90 days. Plan the upgrade to one of 1.37 (stack config cluster.kubernetesVersion).",
        );
    });

    it("warns when support has ended", () => {
        expect(check("1.36", "2027-07-01")[0]).toBe(
            "kubernetesVersion 1.36 left AKS standard support on 2027-06-30: AKS no longer creates clusters on it. Upgrade to one of 1.37 (stack config cluster.kubernetesVersion).",
        );
    });

    it("warns when the calendar itself is more than 120 days old: AKS has released versions since", () => {
        expect(check("1.37", "2027-03-31")).toEqual([]);
        expect(check("1.37", "2027-04-01")).toEqual([
            "The AKS version calendar was read on 2026-12-01, 121 days before 2027-04-01: AKS has released versions since; update core/azure/aksVersions.ts from the docs (Supported Kubernetes versions, release calendar).",
        ]);
    });
});

describe("aks-api-server-restricted-in-dev (advisory)", () => {
    const check = (changes: Record<string, unknown>, stackEnvironment: "dev" | "prod" = "dev") => validateResource("aks-api-server-restricted-in-dev", withInputs(cluster, changes), { stackEnvironment }).messages;

    it("flags a dev API server open to the internet", () => {
        expect(check({ apiServerAccessProfile: { authorizedIPRanges: [] } })).toEqual([
            "the API server is public and open to the whole internet (no authorized IP ranges). List authorizedIPRanges (stack config cluster.apiServer.authorizedIpRanges) or make the cluster private.",
        ]);
    });

    it("accepts authorized ranges or a private cluster, and leaves prod to aks-api-server-access", () => {
        expect(check({})).toEqual([]);
        expect(check({ apiServerAccessProfile: { enablePrivateCluster: true } })).toEqual([]);
        expect(check({ apiServerAccessProfile: { authorizedIPRanges: [] } }, "prod")).toEqual([]);
    });
});
