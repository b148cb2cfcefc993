import { describe, expect, it } from "vitest";
import { findPlaceholders, readStackConfig, StackConfig } from "../../core/config";
import { ConfigError } from "../../core/common";
import { undeclaredFlowPortWarnings } from "../../core/intent";
import { projectConfigValues } from "../../core/config";
import { stackConfig } from "../helpers/stack";

/** The dev stack's config values, with one change applied by the test. */
function devValues(change: (values: Record<string, any>) => void = () => undefined): Record<string, any> {
    const values = structuredClone(projectConfigValues(stackConfig("dev"))) as Record<string, any>;
    change(values);
    return values;
}

/** The problems a config produces, as "path: message" lines. */
function problemsOf(values: Record<string, unknown>, stack = "dev", today?: string): string[] {
    try {
        readStackConfig(values, stack, { today });
    } catch (error) {
        if (error instanceof ConfigError) {
            return error.problems.map((problem) => `${problem.path}: ${problem.message}`);
        }
        throw error;
    }
    return [];
}

describe("stack config validation", () => {
    it("accepts both checked-in stacks", () => {
        const dev: StackConfig = readStackConfig(projectConfigValues(stackConfig("dev")), "dev");
        const prod: StackConfig = readStackConfig(projectConfigValues(stackConfig("prod")), "prod");
        expect(dev.protect).toBe(false);
        expect(prod.protect).toBe(true);
        expect(dev.egress.fqdns[0]).toEqual({ fqdn: "ghcr.io", protocol: "Https", ports: [443] });
    });

    it("rejects a malformed CIDR and names the key", () => {
        expect(problemsOf(devValues((v) => { v.network.vnetCidr = "10.10.0/16"; }))).toEqual([
            'aks-zero-trust:network.vnetCidr: expected an IPv4 CIDR such as 10.0.0.0/16, got "10.10.0/16"',
        ]);
    });

    it("rejects a CIDR with host bits set and suggests the network address", () => {
        expect(problemsOf(devValues((v) => { v.cluster.podCidr = "10.244.1.0/16"; }))).toEqual([
            'aks-zero-trust:cluster.podCidr: "10.244.1.0/16" has host bits set; the network address is 10.244.0.0/16',
        ]);
    });

    it("rejects a pod CIDR that overlaps the VNet", () => {
        expect(problemsOf(devValues((v) => { v.cluster.podCidr = "10.10.0.0/16"; }))).toContain(
            "aks-zero-trust:cluster.podCidr: 10.10.0.0/16 overlaps the VNet 10.10.0.0/16 (network.vnetCidr); overlay pod CIDRs must be outside the VNet",
        );
    });

    it("rejects a service CIDR that overlaps the VNet or the pod CIDR", () => {
        expect(problemsOf(devValues((v) => { v.cluster.serviceCidr = "10.10.128.0/20"; v.cluster.dnsServiceIp = "10.10.128.10"; }))).toEqual([
            "aks-zero-trust:cluster.serviceCidr: 10.10.128.0/20 overlaps the VNet 10.10.0.0/16 (network.vnetCidr)",
        ]);
        expect(problemsOf(devValues((v) => { v.cluster.serviceCidr = "10.244.128.0/20"; v.cluster.dnsServiceIp = "10.244.128.10"; }))).toEqual([
            "aks-zero-trust:cluster.serviceCidr: 10.244.128.0/20 overlaps the pod CIDR 10.244.0.0/16 (cluster.podCidr)",
        ]);
    });

    it("rejects a DNS service IP outside the service CIDR, or on the kubernetes service address", () => {
        expect(problemsOf(devValues((v) => { v.cluster.dnsServiceIp = "10.97.0.10"; }))).toEqual([
            "aks-zero-trust:cluster.dnsServiceIp: 10.97.0.10 is outside the service CIDR 10.96.0.0/16 (cluster.serviceCidr)",
        ]);
        expect(problemsOf(devValues((v) => { v.cluster.dnsServiceIp = "10.96.0.1"; }))[0]).toMatch(/^aks-zero-trust:cluster\.dnsServiceIp: 10\.96\.0\.1 is the network, broadcast or kubernetes service address/);
    });

    it("rejects an AzureFirewallSubnet smaller than /26", () => {
        expect(problemsOf(devValues((v) => { v.network.firewallSubnetCidr = "10.10.0.0/27"; }))).toEqual([
            "aks-zero-trust:network.firewallSubnetCidr: 10.10.0.0/27 is too small: AzureFirewallSubnet must be at least a /26",
        ]);
    });

    it("rejects a subnet outside the VNet", () => {
        expect(problemsOf(devValues((v) => { v.network.nodeSubnetCidr = "10.11.16.0/22"; }))).toEqual([
            "aks-zero-trust:network.nodeSubnetCidr: 10.11.16.0/22 lies outside the VNet 10.10.0.0/16 (network.vnetCidr)",
        ]);
    });

    it("rejects a node subnet too small for the node pools", () => {
        expect(problemsOf(devValues((v) => { v.network.nodeSubnetCidr = "10.10.16.0/29"; }))).toEqual([
            "aks-zero-trust:network.nodeSubnetCidr: 10.10.16.0/29 is too small: 3 usable addresses, but the node pools can grow to 8 nodes including upgrade surge",
        ]);
    });

    it("refuses the Basic firewall, which has no DNS proxy, and Basic threat intel other than Alert", () => {
        expect(problemsOf(devValues((v) => { v.firewall.tier = "Basic"; }))).toEqual([
            "aks-zero-trust:firewall.tier: Basic is not supported: Azure Firewall Basic has no DNS proxy, which the VNet's DNS and the FQDN network rules need; use Standard or Premium",
        ]);
        expect(problemsOf(devValues((v) => { v.firewall.tier = "Basic"; v.firewall.threatIntelMode = "Deny"; }))).toEqual([
            "aks-zero-trust:firewall.tier: Basic is not supported: Azure Firewall Basic has no DNS proxy, which the VNet's DNS and the FQDN network rules need; use Standard or Premium",
            'aks-zero-trust:firewall.threatIntelMode: Azure Firewall Basic runs threat intelligence in Alert mode only, got "Deny"',
        ]);
    });

    it("refuses a Kubernetes version past AKS end of life on the day it is judged, naming where to upgrade", () => {
        expect(problemsOf(devValues((v) => { v.cluster.kubernetesVersion = "1.24"; }))).toEqual([
            "aks-zero-trust:cluster.kubernetesVersion: 1.24 is not in AKS's version calendar (supported on 2026-12-01: 1.35, 1.36, 1.37)",
        ]);
        expect(problemsOf(devValues((v) => { v.cluster.kubernetesVersion = "1.33"; }))).toEqual([
            "aks-zero-trust:cluster.kubernetesVersion: 1.33 reached the end of AKS standard support on 2026-07-31 (judged on 2026-12-01): AKS creates no clusters or node pools on it; upgrade to 1.35 in one step, AKS's unsupported recovery path (the minors between are out of support too)",
        ]);
        expect(problemsOf(devValues((v) => { v.cluster.kubernetesVersion = "1.35"; }))).toEqual([]);
        // The same config, judged a day after 1.36's end of life (2027-06-30), is refused; the day before, it is not.
        expect(problemsOf(devValues(), "dev", "2027-07-01")).toEqual([
            "aks-zero-trust:cluster.kubernetesVersion: 1.36 reached the end of AKS standard support on 2027-06-30 (judged on 2027-07-01): AKS creates no clusters or node pools on it; upgrade to 1.37 (one minor at a time)",
        ]);
        expect(problemsOf(devValues(), "dev", "2027-06-30")).toEqual([]);
    });

    it("accepts only major.minor: the patch auto-upgrade channel moves patches itself", () => {
        expect(problemsOf(devValues((v) => { v.cluster.kubernetesVersion = "1.36.2"; }))).toEqual([
            'aks-zero-trust:cluster.kubernetesVersion: 1.36.2 pins a patch version, but the cluster auto-upgrades on the patch channel: AKS moves to newer patches itself and the next pulumi up would ask for a downgrade; write "1.36"',
        ]);
    });

    it("refuses a system pool below AKS's minimums: 30 pods, two nodes, 4 vCPUs, 4 GiB, no B-series, and sizes it cannot read", () => {
        expect(problemsOf(devValues((v) => { v.cluster.systemPool.maxPods = 20; }))).toEqual([
            "aks-zero-trust:cluster.systemPool.maxPods: AKS requires a system pool to run at least 30 pods per node, got 20",
        ]);
        expect(problemsOf(devValues((v) => { v.cluster.systemPool.minCount = 1; }))).toEqual([
            "aks-zero-trust:cluster.systemPool.minCount: AKS requires a system pool of at least 2 nodes (three recommended), got 1",
        ]);
        expect(problemsOf(devValues((v) => { v.cluster.systemPool.vmSize = "Standard_D2ds_v5"; }))).toEqual([
            "aks-zero-trust:cluster.systemPool.vmSize: Standard_D2ds_v5 has 2 vCPU and 8 GiB; AKS requires at least 4 vCPUs and 4 GiB for a system pool; use a size such as Standard_D4ds_v5",
        ]);
        expect(problemsOf(devValues((v) => { v.cluster.systemPool.vmSize = "Standard_B4ms"; }))).toEqual([
            "aks-zero-trust:cluster.systemPool.vmSize: Standard_B4ms is a B-series size, which AKS does not support for system pools; use e.g. Standard_D4ds_v5",
        ]);
        // Exactly 4 vCPUs is enough, whatever the memory per vCPU: D4ls_v5 (8 GiB), F4s_v2.
        expect(problemsOf(devValues((v) => { v.cluster.systemPool.vmSize = "Standard_D4ls_v5"; }))).toEqual([]);
        expect(problemsOf(devValues((v) => { v.cluster.systemPool.vmSize = "Standard_F4s_v2"; }))).toEqual([]);
        expect(problemsOf(devValues((v) => { v.cluster.systemPool.vmSize = "Standard_D11_v2"; }))).toEqual([
            'aks-zero-trust:cluster.systemPool.vmSize: cannot read vCPUs and memory from "Standard_D11_v2"; use one of D and E (v3 or later), F (v2), L (v3) and B (v1) sizes, e.g. Standard_D4ds_v5',
        ]);
    });

    it("puts dev's maintenance windows two days before prod's, four hours each, and takes a stack's own", () => {
        const dev = readStackConfig(devValues(), "dev").cluster.maintenance;
        const prod = readStackConfig(projectConfigValues(stackConfig("prod")), "prod").cluster.maintenance;
        const days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
        for (const window of ["kubernetesUpgrades", "nodeImageUpgrades"] as const) {
            expect(days.indexOf(prod[window].dayOfWeek) - days.indexOf(dev[window].dayOfWeek)).toBe(2);
            expect(dev[window].durationHours).toBeGreaterThanOrEqual(4);
            expect(prod[window].durationHours).toBeGreaterThanOrEqual(4);
        }
        const own = { dayOfWeek: "Saturday", startTime: "22:30", durationHours: 6, utcOffset: "+05:30" };
        const configured = readStackConfig(devValues((v) => { v.cluster.maintenance = { nodeImageUpgrades: own }; }), "dev").cluster.maintenance;
        expect(configured.nodeImageUpgrades).toEqual({ ...own, intervalWeeks: 1 });
        expect(configured.kubernetesUpgrades).toEqual(dev.kubernetesUpgrades);
    });

    it("refuses a maintenance window shorter than 4 hours, a bad start time, offset or day", () => {
        expect(problemsOf(devValues((v) => { v.cluster.maintenance = { kubernetesUpgrades: { dayOfWeek: "Sunday", startTime: "24:00", durationHours: 3, utcOffset: "+5:30" } }; }))).toEqual([
            `aks-zero-trust:cluster.maintenance.kubernetesUpgrades.startTime: expected a time 'HH:mm' from 00:00 to 23:59, got "24:00"`,
            "aks-zero-trust:cluster.maintenance.kubernetesUpgrades.durationHours: expected at least 4, got 3",
            'aks-zero-trust:cluster.maintenance.kubernetesUpgrades.utcOffset: expected a UTC offset such as +00:00, +05:30 or -08:00, got "+5:30"',
        ]);
        expect(problemsOf(devValues((v) => { v.cluster.maintenance = { nodeImageUpgrades: { dayOfWeek: "Sundy", startTime: "01:00", durationHours: 25 } }; }))).toEqual([
            'aks-zero-trust:cluster.maintenance.nodeImageUpgrades.dayOfWeek: expected one of "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", got "Sundy"',
            "aks-zero-trust:cluster.maintenance.nodeImageUpgrades.durationHours: expected at most 24, got 25",
        ]);
    });

    it("refuses a misspelt region and suggests the real one", () => {
        expect(problemsOf(devValues((v) => { v.location = "westeurpoe"; }))).toEqual([
            'aks-zero-trust:location: "westeurpoe" is not an Azure region; did you mean "westeurope"?',
        ]);
    });

    it("accepts the regions of Microsoft's Azure regions list, the newest included", () => {
        // Programmatic names from the Azure regions list (reliability-docs regions-list.md, read 2026-12-01).
        for (const region of ["indiasouthcentral", "austriaeast", "belgiumcentral", "chilecentral", "denmarkeast", "malaysiawest"]) {
            expect(problemsOf(devValues((v) => { v.location = region; })), region).toEqual([]);
        }
    });

    it("refuses a service CIDR of /12 or larger (AKS wants smaller than /12)", () => {
        expect(problemsOf(devValues((v) => { v.cluster.serviceCidr = "10.96.0.0/12"; }))).toEqual([
            "aks-zero-trust:cluster.serviceCidr: 10.96.0.0/12 is too large: AKS requires a service CIDR smaller than /12",
        ]);
        expect(problemsOf(devValues((v) => { v.cluster.serviceCidr = "10.96.0.0/13"; }))).toEqual([]);
    });

    it("checks LocalDNS's minimum of 4 vCPUs on every pool, and says which size of the family to take", () => {
        expect(problemsOf(devValues((v) => { v.cluster.localDns = true; v.cluster.userPools[0].vmSize = "Standard_D2ds_v5"; }))).toEqual([
            "aks-zero-trust:cluster.userPools[apps].vmSize: Standard_D2ds_v5 has 2 vCPUs; cluster.localDns needs at least 4 vCPUs per node: use a size such as Standard_D4ds_v5 for this pool, or leave localDns off",
        ]);
        // The size it names is one that the check accepts: a pool turns LocalDNS on by following the hint.
        expect(problemsOf(devValues((v) => { v.cluster.localDns = true; }))).toEqual([]);
        expect(problemsOf(devValues((v) => { v.cluster.localDns = true; v.cluster.systemPool.vmSize = "Standard_D4ds_v5"; v.cluster.userPools[0].vmSize = "Standard_NC6"; }))).toEqual([
            'aks-zero-trust:cluster.userPools[apps].vmSize: cannot read vCPUs from "Standard_NC6" to check LocalDNS\'s minimum of 4 vCPUs; use one of D and E (v3 or later), F (v2), L (v3) and B (v1) sizes',
        ]);
    });

    it("lets user pools scale to zero, but not the system pool", () => {
        expect(problemsOf(devValues((v) => { v.cluster.userPools[0].minCount = 0; }))).toEqual([]);
        expect(problemsOf(devValues((v) => { v.cluster.systemPool.minCount = 0; }))).toEqual([
            "aks-zero-trust:cluster.systemPool.minCount: expected at least 1, got 0",
        ]);
    });

    it("requires a break-glass admin group in prod", () => {
        const prod = structuredClone(projectConfigValues(stackConfig("prod"))) as Record<string, any>;
        prod.cluster.adminGroupObjectIds = [];
        expect(problemsOf(prod, "prod")).toEqual([
            "aks-zero-trust:cluster.adminGroupObjectIds: prod needs at least one Entra ID admin group (break-glass access through Azure RBAC)",
        ]);
    });

    it("rejects the wildcard * FQDN and malformed FQDNs", () => {
        expect(problemsOf(devValues((v) => { v.egress.fqdns = [{ fqdn: "*" }]; }))).toEqual([
            'aks-zero-trust:egress.fqdns[0].fqdn: "*" would allow every destination; list the host names the workload needs',
        ]);
        expect(problemsOf(devValues((v) => { v.egress.fqdns = [{ fqdn: "api..example.com" }, { fqdn: "*.com" }, { fqdn: "a*.example.com" }]; }))).toEqual([
            'aks-zero-trust:egress.fqdns[0].fqdn: "api..example.com" is not a valid host name (label "": expected letters, digits and inner hyphens, 1-63 characters)',
            'aks-zero-trust:egress.fqdns[1].fqdn: "*.com" is a wildcard over a whole top-level domain',
            'aks-zero-trust:egress.fqdns[2].fqdn: "a*.example.com" has a wildcard that is not the whole leftmost label; only "*.example.com" is supported',
        ]);
    });

    it("accepts a leading-label wildcard FQDN", () => {
        expect(problemsOf(devValues((v) => { v.egress.fqdns = [{ fqdn: "*.blob.core.windows.net" }]; }))).toEqual([]);
    });

    it("rejects ports out of range", () => {
        expect(problemsOf(devValues((v) => { v.egress.fqdns = [{ fqdn: "api.example.com", ports: [0, 70000] }]; }))).toEqual([
            "aks-zero-trust:egress.fqdns[0].ports[0]: expected at least 1, got 0",
            "aks-zero-trust:egress.fqdns[0].ports[1]: expected at most 65535, got 70000",
        ]);
    });

    it("rejects unknown keys, at the top level and nested, naming the nearest known one or listing them", () => {
        expect(problemsOf(devValues((v) => { v.clsuter = {}; }))).toEqual([
            'aks-zero-trust: unknown key "clsuter" (did you mean "cluster"?)',
        ]);
        expect(problemsOf(devValues((v) => { v.cluster.systemPool.vmsize = "x"; }))).toEqual([
            'aks-zero-trust:cluster.systemPool: unknown key "vmsize" (did you mean "vmSize"?)',
        ]);
        expect(problemsOf(devValues((v) => { v.cluster.systemPool.flavour = "x"; }))).toEqual([
            'aks-zero-trust:cluster.systemPool: unknown key "flavour" (expected one of: maxCount, maxPods, minCount, vmSize)',
        ]);
    });

    it("names an unknown key in backend's egress by namespace and workload, with the nearest key, in plain words", () => {
        expect(problemsOf(devValues((v) => { v.segmentation.namespaces[0].workloads[1].egress.fqdns[0] = { fqdn: "api.stripe.com", port: [443] }; }))).toEqual([
            'aks-zero-trust:segmentation.namespaces[shop].workloads[backend].egress.fqdns[0]: unknown key "port" (did you mean "ports"?)',
        ]);
        expect(problemsOf(devValues((v) => { v.tags = ["a"]; }))).toEqual(['aks-zero-trust:tags: expected a mapping (key: value), got ["a"]']);
    });

    it("requires prod to restrict its API server, and never accepts 0.0.0.0/0", () => {
        const prod = projectConfigValues(stackConfig("prod")) as Record<string, any>;
        const open = structuredClone(prod);
        open.cluster.apiServer = { authorizedIpRanges: [] };
        expect(problemsOf(open, "prod")).toEqual(["aks-zero-trust:cluster.apiServer: prod must restrict the API server: set privateCluster: true or list authorizedIpRanges"]);
        const world = structuredClone(prod);
        world.cluster.apiServer = { authorizedIpRanges: ["0.0.0.0/0"] };
        expect(problemsOf(world, "prod")).toEqual(["aks-zero-trust:cluster.apiServer.authorizedIpRanges[0]: 0.0.0.0/0 would open the API server to the whole internet"]);
    });

    it("reports every problem at once, and says how many", () => {
        const values = devValues((v) => { v.network.vnetCidr = "x"; v.firewall.threatIntelMode = "Sometimes"; });
        expect(() => readStackConfig(values, "dev")).toThrow(/^Invalid stack config \(2 problems\):\n  - aks-zero-trust:network\.vnetCidr: .*\n  - aks-zero-trust:firewall\.threatIntelMode: expected one of "Off", "Alert", "Deny", got "Sometimes"$/);
    });
});

describe("config errors keep their hint", () => {
    /** The dev intent's workload by name, for edits. */
    const workload = (values: Record<string, any>, name: string) => values.segmentation.namespaces[0].workloads.find((w: { name: string }) => w.name === name);

    it("prints a pattern check's own message, not zod's \"expected regex\"", () => {
        expect(problemsOf(devValues((v) => { v.cluster.kubernetesVersion = "v1.33"; }))).toEqual([
            'aks-zero-trust:cluster.kubernetesVersion: expected a version such as 1.33 or 1.33.2, got "v1.33"',
        ]);
        expect(problemsOf(devValues((v) => { v.cluster.systemPool.vmSize = "D4ds_v5"; }))).toEqual([
            'aks-zero-trust:cluster.systemPool.vmSize: expected an Azure VM size such as Standard_D4ds_v5, got "D4ds_v5"',
        ]);
        expect(problemsOf(devValues((v) => { v.segmentation.namespaces[0].name = "Shop"; }))).toContain(
            'aks-zero-trust:segmentation.namespaces[Shop].name: expected a DNS-1123 label: lowercase letters, digits and inner hyphens, got "Shop"',
        );
    });

    it("lists the allowed values of an enum", () => {
        expect(problemsOf(devValues((v) => { v.segmentation.defaultMode = "Enforce"; }))).toEqual([
            'aks-zero-trust:segmentation.defaultMode: expected one of "audit", "enforce", got "Enforce"',
        ]);
    });

    it("says which protocols a port may name, at the protocol key", () => {
        expect(problemsOf(devValues((v) => { v.segmentation.flows[0].ports = [{ port: 80, protocol: "tcp" }]; }))).toEqual([
            'aks-zero-trust:segmentation.flows[0].ports[0].protocol: expected one of "TCP", "UDP", "SCTP", got "tcp"',
        ]);
        expect(problemsOf(devValues((v) => { v.segmentation.flows[0].ports = ["http"]; }))).toEqual([
            'aks-zero-trust:segmentation.flows[0].ports[0]: expected a port number (TCP) or {port, endPort, protocol: TCP, UDP or SCTP}, got "http"',
        ]);
    });

    it("says which keys an object takes when a scalar is written in its place (egress.cidrs: [0.0.0.0/0])", () => {
        expect(problemsOf(devValues((v) => { workload(v, "backend").egress.cidrs = ["0.0.0.0/0"]; }))).toEqual([
            expect.stringMatching(/^aks-zero-trust:segmentation\.namespaces\[shop\]\.workloads\[backend\]\.egress\.cidrs\[0\]: expected a mapping \{cidr, ports\}, got "0\.0\.0\.0\/0"$/),
        ]);
        expect(problemsOf(devValues((v) => { workload(v, "backend").egress.fqdns = ["api.stripe.com"]; }))).toEqual([
            expect.stringMatching(/^aks-zero-trust:segmentation\.namespaces\[shop\]\.workloads\[backend\]\.egress\.fqdns\[0\]: expected a mapping \{fqdn, ports, protocol\}, got "api\.stripe\.com"$/),
        ]);
    });

    it("rejects workload egress to 0.0.0.0/0 or a public range wider than a /8, naming the key", () => {
        const problems = problemsOf(devValues((v) => {
            workload(v, "backend").egress.cidrs = [{ cidr: "0.0.0.0/0", ports: [443] }, { cidr: "64.0.0.0/2", ports: [443] }, { cidr: "10.0.0.0/8", ports: [5432] }];
        }));
        expect(problems).toEqual([
            expect.stringMatching(/^aks-zero-trust:segmentation\.namespaces\[shop\]\.workloads\[backend\]\.egress\.cidrs\[0\]\.cidr: 0\.0\.0\.0\/0 would open egress to the whole internet; list the ranges the workload needs \(at most a \/8 each\), or reach internet hosts by name under egress\.fqdns/),
            expect.stringMatching(/^aks-zero-trust:segmentation\.namespaces\[shop\]\.workloads\[backend\]\.egress\.cidrs\[1\]\.cidr: 64\.0\.0\.0\/2 would open egress to 1,073,741,824 addresses, most of them public;/),
        ]);
    });

    it("says a pod CIDR holds 1 node /24 range, not 1 ranges", () => {
        expect(problemsOf(devValues((v) => { v.cluster.podCidr = "10.244.0.0/24"; }))).toEqual([
            expect.stringMatching(/^aks-zero-trust:cluster\.podCidr: 10\.244\.0\.0\/24 is too small: it holds 1 node \/24 range, but/),
        ]);
    });
});

describe("intent warnings", () => {
    it("warns about a flow to a port the target workload does not declare, naming both workloads", () => {
        const config = readStackConfig(devValues((v) => { v.segmentation.flows[0].ports = [81, { port: 80, protocol: "TCP" }]; }), "dev");
        expect(undeclaredFlowPortWarnings(config.segmentation!)).toEqual([
            "flow shop/frontend -> shop/backend on TCP 81: shop/backend does not declare that port (it declares TCP 80 (http), TCP 9090 (metrics))",
        ]);
    });

    it("has nothing to say about the checked-in stacks", () => {
        for (const stack of ["dev", "prod"]) {
            expect(undeclaredFlowPortWarnings(readStackConfig(projectConfigValues(stackConfig(stack)), stack).segmentation!)).toEqual([]);
        }
    });
});

describe("placeholders", () => {
    it("names the shipped stacks' placeholders: the TEST-NET-3 range, and prod's all-zero admin group", () => {
        expect(findPlaceholders(projectConfigValues(stackConfig("dev"))).map((found) => `${found.key}: ${found.value}`)).toEqual([
            "aks-zero-trust:cluster.apiServer.authorizedIpRanges[0]: 203.0.113.0/24",
        ]);
        expect(findPlaceholders(projectConfigValues(stackConfig("prod"))).map((found) => `${found.key}: ${found.value}`)).toEqual([
            "aks-zero-trust:cluster.adminGroupObjectIds[0]: 00000000-0000-4000-8000-000000000000",
            "aks-zero-trust:cluster.apiServer.authorizedIpRanges[0]: 203.0.113.0/24",
        ]);
    });

    it("finds documentation ranges, example GUIDs and example domains anywhere, and leaves real values alone", () => {
        const found = findPlaceholders({
            egress: { fqdns: [{ fqdn: "api.example.com" }, { fqdn: "ghcr.io" }, { fqdn: "*.svc.test" }] },
            cluster: { adminGroupObjectIds: ["11111111-1111-1111-1111-111111111111", "6dae42f8-4368-4678-94ff-3960e28e3630"], apiServer: { authorizedIpRanges: ["198.51.100.7", "192.0.2.0/25", "203.0.0.0/8", "20.1.2.0/24"] } },
        });
        expect(found.map((item) => `${item.key}: ${item.why}`)).toEqual([
            "aks-zero-trust:cluster.adminGroupObjectIds[0]: an example GUID (all zeros or one repeated digit)",
            "aks-zero-trust:cluster.apiServer.authorizedIpRanges[0]: a documentation address range (198.51.100.0/24, RFC 5737)",
            "aks-zero-trust:cluster.apiServer.authorizedIpRanges[1]: a documentation address range (192.0.2.0/24, RFC 5737)",
            "aks-zero-trust:egress.fqdns[0].fqdn: an example domain (RFC 2606)",
            "aks-zero-trust:egress.fqdns[2].fqdn: a reserved top-level domain (.test, RFC 2606/6761)",
        ]);
    });
});
