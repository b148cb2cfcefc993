import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { CliResult, runPlanInProcess } from "../helpers/cli";
import { parseFlowchart } from "../helpers/mermaid";
import { PROJECT_DIR } from "../helpers/stack";
import { widestLine } from "../helpers/width";

/** A copy of a checked-in stack file, with one text replacement, in a scratch folder; returns its path. */
function editedStackFile(stack: "dev" | "prod", from: string, to: string): string {
    const original = fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8");
    if (!original.includes(from)) throw new Error(`Pulumi.${stack}.yaml no longer contains ${JSON.stringify(from)}`);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), `Pulumi.${stack}.yaml`);
    fs.writeFileSync(file, original.replace(from, to));
    return file;
}

/** `npm run plan -- args`, in this process. */
function plan(args: readonly string[]): Promise<CliResult> {
    return runPlanInProcess(args);
}

/** Prod's text plan, shared by the tests that only read it. */
/** Prod's text plan with --out, shared by the tests that only read it (the --out files do not change stdout). */
const prodOut = fs.mkdtempSync(path.join(os.tmpdir(), "plan-out-"));
let prodText: Promise<CliResult> | undefined;
function prodTextPlan(): Promise<CliResult> {
    prodText ??= plan(["--stack", "prod", "--out", prodOut]);
    return prodText;
}

/** Dev's text plan, shared by the tests that only read it. */
let devText: Promise<CliResult> | undefined;
function devTextPlan(): Promise<CliResult> {
    devText ??= plan(["--stack", "dev"]);
    return devText;
}

describe("npm run plan", () => {
    it("prints the prod stack as JSON with the cluster, firewall, DNS proxy, AKS FQDN tag and the forced route", async () => {
        const result = await plan(["--stack", "prod", "--format", "json"]);
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        const planned = JSON.parse(result.stdout);
        expect(planned.stack).toBe("prod");
        const byType = (type: string) => planned.resources.filter((resource: { type: string }) => resource.type === type);
        expect(byType("azure-native:containerservice:ManagedCluster")[0].inputs.networkProfile).toMatchObject({
            networkPlugin: "azure", networkPluginMode: "overlay", networkPolicy: "calico", outboundType: "userDefinedRouting",
        });
        expect(byType("azure-native:network:AzureFirewall")).toHaveLength(1);
        expect(byType("azure-native:network:FirewallPolicy")[0].inputs.dnsSettings.enableProxy).toBe(true);
        expect(JSON.stringify(byType("azure-native:network:FirewallPolicyRuleCollectionGroup"))).toContain('"fqdnTags":["AzureKubernetesService"]');
        expect(byType("azure-native:network:RouteTable")[0].inputs.routes).toContainEqual(expect.objectContaining({ addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance" }));
        expect(planned.resources[0]).toEqual({ type: expect.any(String), name: expect.any(String), parent: null, inputs: expect.any(Object) });
        // What a real subscription needs (issue 9): derived principal type, a supported version, a DCR that collects,
        // no AzureCloud network rule, the API server rule after the cluster, an NSG on the node subnet.
        const deployer = byType("azure-native:authorization:RoleAssignment").find((grant: { name: string }) => grant.name.endsWith("deployer-cluster-admin"));
        expect(deployer.inputs.principalType).toBe("ServicePrincipal");
        expect(byType("azure-native:containerservice:ManagedCluster")[0].inputs.kubernetesVersion).toBe("1.36");
        // Day two (issue 21): every pool runs the cluster's version, both maintenance windows last at least 4 hours,
        // and the placeholders a real pulumi up refuses are listed.
        expect(planned.lifecycle.pools.map((pool: { name: string; orchestratorVersion: string }) => `${pool.name} ${pool.orchestratorVersion}`)).toEqual(["system 1.36", "apps 1.36"]);
        expect(byType("azure-native:containerservice:AgentPool").map((pool: { inputs: { orchestratorVersion: string } }) => pool.inputs.orchestratorVersion)).toEqual(["1.36"]);
        const windows = byType("azure-native:containerservice:MaintenanceConfiguration").map((config: { inputs: { configName: string; maintenanceWindow: { durationHours: number } } }) => config.inputs);
        expect(windows.map((window: { configName: string }) => window.configName)).toEqual(["aksManagedAutoUpgradeSchedule", "aksManagedNodeOSUpgradeSchedule"]);
        for (const window of windows) expect(window.maintenanceWindow.durationHours).toBeGreaterThanOrEqual(4);
        expect(planned.lifecycle.placeholders.map((placeholder: { value: string }) => placeholder.value)).toEqual(["00000000-0000-4000-8000-000000000000", "203.0.113.0/24"]);
        expect(planned.lifecycle.support).toEqual({ level: "ok", message: "1.36 is in AKS standard support until 2027-06-30 (205 days left on 2026-12-07)" });
        expect(JSON.stringify(byType("azure-native:monitor:DataCollectionRule")[0].inputs)).toContain('"facilityNames":["kern"]');
        expect(byType("azure-native:monitor:DataCollectionRuleAssociation")).toHaveLength(1);
        const groups = byType("azure-native:network:FirewallPolicyRuleCollectionGroup");
        expect(JSON.stringify(groups)).not.toContain("AzureCloud");
        expect(groups.at(-1).inputs.ruleCollectionGroupName).toBe("aks-apiserver");
        const names = planned.resources.map((resource: { type: string }) => resource.type);
        expect(names.indexOf("azure-native:network:FirewallPolicyRuleCollectionGroup", names.indexOf("azure-native:containerservice:ManagedCluster"))).toBeGreaterThan(-1);
        expect(byType("azure-native:network:NetworkSecurityGroup")).toHaveLength(1);
    });

    it("prints the dev stack as a tree with key settings and a summary, then the security sections (self-managed Calico, audit staged)", async () => {
        const result = await devTextPlan();
        expect(result.status).toBe(0);
        expect(result.stdout).toMatch(/├─ azure-native:network:RouteTable nodes-route-table\n│ +0\.0\.0\.0\/0 -> VirtualAppliance 10\.10\.0\.4; 203\.0\.113\.\d+\/32 -> Internet\n/);
        expect(result.stdout).toMatch(/azure\/overlay\/none, outbound userDefinedRouting/);
        expect(result.stdout).toContain("├─ kubernetes:helm.sh/v3:Release calico-tigera-operator\n");
        expect(result.stdout).toContain("├─ kubernetes:operator.tigera.io/v1:Installation calico-installation  (cluster-wide)\n");
        // Wrapped at 120 columns.
        expect(result.stdout).toContain("Calico: self-managed, pinned 3.33.1 (Helm chart tigera-operator v3.33.1; Installation AKS/AzureVNET, APIServer,\n  Goldmane, Whisker; policies on projectcalico.org/v3)\n");
        expect(result.stdout).toContain("  tiers: platform (order 100, defaultAction Pass), then default; staged policies (evaluated, not enforced): 8\n");
        expect(result.stdout).not.toContain("crd.projectcalico.org");
        // The guardrails in the plan: the metadata-service guardrail enforced in audit, and (Azure Policy add-on on) the
        // host-network deny.
        expect(result.stdout).toMatch(/─ kubernetes:projectcalico\.org\/v3:GlobalNetworkPolicy\s+\S+-platform\.metadata-service-guardrail\n/);
        expect(result.stdout).toContain("─ azure-native:authorization:PolicyAssignment aks-no-host-network\n");
        expect(result.stdout).toMatch(/\n {2}\d+ resources to create, 0 protected\n/);
        expect(result.stdout).toContain("Firewall rules (source of every rule: 10.10.16.0/22, the node subnet;");
        expect(result.stdout).toMatch(/ {2}rule collection group workload-egress \(priority 300\):\n(.*\n)*? {2}workload-fqdns +100 +shop-backend +api\.stripe\.com +Https:443\n/);
        expect(result.stdout).toMatch(/ {2}shop +audit +6\/10\n/);
        expect(result.stdout).toContain("note: shop in audit mode");
        // The matrix shows what enforce would allow, then one line for what audit lets through today.
        const reach = result.stdout.slice(result.stdout.indexOf("Reachability"), result.stdout.indexOf("Intent check:"));
        expect(reach).toContain("  as enforce would allow it (shop in audit mode):\n");
        expect(reach).toContain("    shop/frontend[Pod] => shop/backend[Pod] : TCP 80\n");
        expect(reach).not.toContain("shop/frontend[Pod] => shop/database[Pod]");
        // One line per audit namespace for what audit lets through today (--verbose lists the pairs).
        expect(reach).toMatch(/\n {2}! shop audit: everything else allowed, a staged deny in Goldmane, \d+ pairs \(--verbose lists them\)\n/);
        expect(result.stdout.trimEnd().split("\n").pop()).toMatch(/^ {2}PASS \(\d+ allowed connections checked against the intent, \d+ declared ones found allowed\)$/);
    });

    it("keeps prod's plan and reach --explain on its objects to 120 columns (dev and 12 namespaces: test/cli/commandWidths.test.ts)", async () => {
        const result = await prodTextPlan();
        expect(result.status).toBe(0);
        expect(widestLine(result.stdout)).toBeLessThanOrEqual(120);
        const { run } = await import("../../cli/reach");
        // The pairs commandWidths.test.ts explains on dev and the 12 namespaces, and reach's connection list.
        for (const [source, destination] of [["shop/frontend", "shop/database"], ["shop/backend", "1.1.1.1"], ["monitoring/monitoring-agent", "shop/database"], ["undeclared-namespace/probe", "shop/backend"]]) {
            let explained = "";
            expect(run([prodOut, "--explain", source!, destination!], { out: (text) => (explained += text), err: () => undefined })).toBe(0);
            expect(explained).toContain("verdict:");
            expect(widestLine(explained), `${source} -> ${destination}`).toBeLessThanOrEqual(120);
        }
        let listed = "";
        expect(run([prodOut], { out: (text) => (listed += text), err: () => undefined })).toBe(0);
        expect(widestLine(listed)).toBeLessThanOrEqual(120);
    });

    it("prints prod's reachability: exactly the intended flows, and PASS", async () => {
        const result = await prodTextPlan();
        expect(result.status).toBe(0);
        const reach = result.stdout.slice(result.stdout.indexOf("Reachability"), result.stdout.indexOf("Intent check:"));
        const shopLines = reach.split("\n").map((line) => line.trim()).filter((line) => line.startsWith("shop/"));
        expect(shopLines).toEqual([
            "shop/backend[Pod] => kube-system/coredns[Pod] : TCP 53,UDP 53",
            "shop/backend[Pod] => shop/database[Pod] : TCP 5432",
            // Every public address on TCP 443 (the policy's 0.0.0.0/0 minus the stack's own ranges): one line.
            "shop/backend[Pod] => internet : TCP 443",
            "shop/database[Pod] => kube-system/coredns[Pod] : TCP 53,UDP 53",
            "shop/frontend[Pod] => kube-system/coredns[Pod] : TCP 53,UDP 53",
            "shop/frontend[Pod] => shop/backend[Pod] : TCP 80",
        ]);
        expect(reach).toContain("monitoring/monitoring-agent[Pod] => shop/database[Pod] : TCP 9090,9187");
        expect(reach).toContain("  VNet 10.20.0.0/16 => ingress-nginx/ingress-nginx-peer[Pod] : TCP 80,443\n");
        // The load balancer's health probes reach the ingress peer on its VNet ports, and nothing else of WireServer's.
        expect(reach.split("\n").filter((line) => line.includes("168.63.129.16"))).toEqual(["  Azure WireServer 168.63.129.16 => ingress-nginx/ingress-nginx-peer[Pod] : TCP 80,443"]);
        expect(result.stdout).toContain("─ azure-native:authorization:PolicyAssignment aks-no-host-network\n");
        expect(result.stdout).toMatch(/─ kubernetes:crd\.projectcalico\.org\/v1:GlobalNetworkPolicy\s+\S+-deny-platform-endpoints\n/);
        expect(reach).not.toContain("[External]");
        expect(reach).not.toContain("audit lets through");
        expect(result.stdout.trimEnd().split("\n").pop()).toMatch(/^ {2}PASS /);
    });

    it("fails on invalid config with the key named, exit code 1 and no stack trace", async () => {
        const file = editedStackFile("dev", "dnsServiceIp: 10.96.0.10", "dnsServiceIp: 10.97.0.10");
        const result = await plan(["--stack", "dev", "--config", file]);
        expect(result.status).toBe(1);
        expect(result.stdout).toBe("");
        // The key's line and column in the file, from the YAML parser's positions.
        expect(result.stderr).toBe(`error: Invalid stack config (1 problem):\n  - ${file}:15:19: aks-zero-trust:cluster.dnsServiceIp: 10.97.0.10 is outside the service CIDR 10.96.0.0/16 (cluster.serviceCidr)\n`);
    });

    it("refuses every config Azure would refuse, naming each key, with exit code 1 and no resource printed", async () => {
        const edits: Array<[string, string]> = [
            ["location: westeurope\n  aks-zero-trust:network", "location: westeurpoe\n  aks-zero-trust:network"],
            ['kubernetesVersion: "1.36"', 'kubernetesVersion: "1.24"'],
            ["serviceCidr: 10.96.0.0/16", "serviceCidr: 10.96.0.0/12"],
            ["      vmSize: Standard_D4ds_v5\n      minCount: 2\n      maxCount: 3\n", "      vmSize: Standard_B1s\n      minCount: 1\n      maxCount: 2\n      maxPods: 20\n"],
            ["tier: Standard\n    threatIntelMode: Alert", "tier: Basic\n    threatIntelMode: Deny"],
            ["    monitoringAddon: true\n", "    monitoringAddon: true\n    localDns: true\n"],
        ];
        const original = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8");
        const edited = edits.reduce((text, [from, to]) => {
            if (!text.includes(from)) throw new Error(`Pulumi.dev.yaml no longer contains ${JSON.stringify(from)}`);
            return text.replace(from, to);
        }, original);
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), "Pulumi.dev.yaml");
        fs.writeFileSync(file, edited);
        const result = await plan(["--stack", "dev", "--config", file, "--format", "json"]);
        expect(result.status).toBe(1);
        expect(result.stdout).toBe("");
        for (const key of ["location", "cluster.kubernetesVersion", "cluster.serviceCidr", "cluster.systemPool.maxPods", "cluster.systemPool.minCount", "cluster.systemPool.vmSize", "firewall.tier", "firewall.threatIntelMode"]) {
            expect(result.stderr).toMatch(new RegExp(`\\n  - \\S+Pulumi\\.dev\\.yaml:\\d+:\\d+: aks-zero-trust:${key.replace(/\./g, "\\.")}: `));
        }
        expect(result.stderr).not.toMatch(/\n\s+at /);
    });

    it("refuses what would open the platform endpoints or leave the policies unenforced, naming each key at its file:line, with no internal error", async () => {
        /** Applies the edits to the checked-in dev stack (self-managed Calico, audit) and plans it. */
        const planEdited = async (edits: ReadonlyArray<readonly [string, string]>) => {
            const edited = edits.reduce((text, [from, to]) => {
                if (!text.includes(from)) throw new Error(`Pulumi.dev.yaml no longer contains ${JSON.stringify(from)}`);
                return text.replace(from, to);
            }, fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8"));
            const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), "Pulumi.dev.yaml");
            fs.writeFileSync(file, edited);
            const result = await plan(["--stack", "dev", "--config", file]);
            expect(result.status).toBe(1);
            expect(result.stdout).toBe("");
            expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
            /** The 1-based line of the edited file that holds `text` (once). */
            const lineOf = (text: string) => {
                const lines = edited.split("\n").flatMap((line, index) => (line.includes(text) ? [index + 1] : []));
                expect(lines, text).toHaveLength(1);
                return lines[0]!;
            };
            /** The error line for a key: file, line, column, key, then the reason. */
            const errorFor = (key: string) => {
                const found = result.stderr.split("\n").filter((line) => line.includes(`: aks-zero-trust:${key}: `));
                expect(found, key).toHaveLength(1);
                const match = /^  - (\S+):(\d+):\d+: /.exec(found[0]!);
                expect(match?.[1], found[0]).toBe(file);
                return { line: Number(match![2]), text: found[0]! };
            };
            return { lineOf, errorFor };
        };

        // The shipped dev stack: egress CIDRs into IMDS and WireServer on a workload, a peer and infrastructure, and an
        // override taking a generated policy's name.
        const platform = await planEdited([
            ["            egress:\n              fqdns:\n", "            egress:\n              cidrs:\n                - {cidr: 169.254.169.254/32, ports: [80]}\n                - {cidr: 168.63.129.16/32, ports: [80, 32526]}\n              fqdns:\n"],
            ["        egress:\n          kubernetesApi: true\n    # Platform namespaces", "        egress:\n          kubernetesApi: true\n          cidrs: [{cidr: 169.254.0.0/16, ports: [80]}]\n    # Platform namespaces"],
            ["            ports: [8443]\n        egress:\n          kubernetesApi: true\n", "            ports: [8443]\n        egress:\n          kubernetesApi: true\n          cidrs: [{cidr: 168.63.129.16/32, ports: [32526]}]\n"],
            ["      - name: shop\n", "      - name: shop\n        overrides:\n          - {apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: deny-kubernetes-api}, spec: {podSelector: {}}}\n"],
        ]);
        const cases: Array<[string, string, RegExp]> = [
            ["segmentation.namespaces[shop].workloads[backend].egress.cidrs[0].cidr", "{cidr: 169.254.169.254/32", /169\.254\.169\.254\/32 overlaps link-local 169\.254\.0\.0\/16, where the instance metadata service \(169\.254\.169\.254\) hands out the node's managed-identity tokens/],
            ["segmentation.namespaces[shop].workloads[backend].egress.cidrs[1].cidr", "{cidr: 168.63.129.16/32, ports: [80, 32526]}", /168\.63\.129\.16\/32 holds WireServer 168\.63\.129\.16, the Azure host agent's endpoint/],
            ["segmentation.infrastructure[monitoring].egress.cidrs[0].cidr", "cidrs: [{cidr: 169.254.0.0/16", /169\.254\.0\.0\/16 overlaps link-local/],
            ["segmentation.peers[ingress-nginx].egress.cidrs[0].cidr", "cidrs: [{cidr: 168.63.129.16/32, ports: [32526]}]", /holds WireServer/],
            ["segmentation.namespaces[shop].overrides[deny-kubernetes-api].metadata.name", "metadata: {name: deny-kubernetes-api}", /"deny-kubernetes-api" is already used by a generated policy/],
        ];
        for (const [key, text, reason] of cases) {
            const error = platform.errorFor(key);
            expect(error.line, key).toBe(platform.lineOf(text));
            expect(error.text).toMatch(reason);
        }

        // networkPolicy none is what self-managed Calico replaces; with AKS-managed Calico it leaves the policies unenforced.
        const unenforced = await planEdited([["      mode: self-managed\n      version: \"3.33.1\"\n", "      mode: aks-managed\n    networkPolicy: none\n"]]);
        const error = unenforced.errorFor("cluster.networkPolicy");
        expect(error.line).toBe(unenforced.lineOf("networkPolicy: none"));
        expect(error.text).toMatch(/is "none": no network policy engine runs, so no policy is enforced; the segmentation needs networkPolicy: calico \(AKS-managed Calico\) or cluster\.calico\.mode: self-managed$/);
    });

    it("judges version support on --today: prod fails a day after 1.36's end of life and warns 45 days before it", async () => {
        const after = await plan(["--stack", "prod", "--today", "2027-07-15"]);
        expect(after.status).toBe(1);
        expect(after.stdout).toBe("");
        expect(after.stderr).toContain("aks-zero-trust:cluster.kubernetesVersion: 1.36 reached the end of AKS standard support on 2027-06-30 (judged on 2027-07-15)");
        const before = await plan(["--stack", "prod", "--today", "2027-05-16"]);
        expect(before.status).toBe(0);
        expect(before.stdout).toContain("  version support: WARNING  1.36 leaves AKS standard support on 2027-06-30, in 45 days (judged on 2027-05-16): upgrade\n    to 1.37 (one minor at a time)\n");
        expect(before.stderr).toContain("warning: Kubernetes 1.36 leaves AKS standard support on 2027-06-30, in 45 days");
        // Warnings keep to 120 columns too, wrapped under their first line.
        expect(before.stderr).toContain("warning: the AKS version calendar was read on 2026-12-01");
        expect(widestLine(before.stderr)).toBeLessThanOrEqual(120);
        // The day decides warnings and refusals, never a resource: the tree is the same as on any other day.
        expect(before.stdout.slice(0, before.stdout.indexOf("Summary:"))).toBe((await prodTextPlan()).stdout.slice(0, (await prodTextPlan()).stdout.indexOf("Summary:")));
        // A day that does not exist is a command-line mistake (exit code 2), refused before anything is planned.
        const noSuchDay = await plan(["--stack", "prod", "--today", "2027-02-30"]);
        expect(noSuchDay.stderr).toBe('error: --today must be a day written YYYY-MM-DD, got "2027-02-30"\n');
        expect(noSuchDay.status).toBe(2);
    });

    it("judges on SOURCE_DATE_EPOCH when no --today is given: prod is refused the day after 1.36's end of life", async () => {
        const previous = process.env.SOURCE_DATE_EPOCH;
        // Date.UTC(2027, 6, 1) / 1000: 2027-07-01T00:00:00Z, the day after 2027-06-30. Refused before the program runs.
        process.env.SOURCE_DATE_EPOCH = "1814400000";
        try {
            const after = await plan(["--stack", "prod"]);
            expect(after.status).toBe(1);
            expect(after.stderr).toContain("aks-zero-trust:cluster.kubernetesVersion: 1.36 reached the end of AKS standard support on 2027-06-30 (judged on 2027-07-01)");
        } finally {
            if (previous === undefined) delete process.env.SOURCE_DATE_EPOCH;
            else process.env.SOURCE_DATE_EPOCH = previous;
        }
    });

    it("lists, with --verbose, every pair audit lets through today, marked", async () => {
        const result = await plan(["--stack", "dev", "--verbose"]);
        expect(result.status).toBe(0);
        expect(widestLine(result.stdout)).toBeLessThanOrEqual(120);
        const reach = result.stdout.slice(result.stdout.indexOf("Reachability"), result.stdout.indexOf("Intent check:"));
        const [enforced, auditOnly] = reach.split("audit lets through today");
        expect(enforced).not.toContain("shop/frontend[Pod] => shop/database[Pod]");
        // Each line names the staged policy that would deny it once enforced.
        expect(auditOnly).toMatch(/\n {2}! shop\/frontend\[Pod\] => shop\/database\[Pod\] : All Connections {2}\(would be denied by egress: staged Calico NetworkPolicy\s+shop\/log-denied;/);
        // The default output's summary lines count exactly the pairs --verbose lists.
        const counted = [...(await devTextPlan()).stdout.matchAll(/everything else allowed, a staged deny in Goldmane, (\d+) pairs/g)].reduce((sum, match) => sum + Number(match[1]), 0);
        expect(auditOnly.split("\n").filter((line) => line.startsWith("  ! ")).length).toBe(counted);
    });

    it("refuses a misspelt config namespace and an unknown key in backend's egress: exit 1, key, line and nearest match, nothing planned", async () => {
        // Before issue 23 the misspelt namespace planned with 0 policies and "Intent check: SKIPPED".
        const namespace = editedStackFile("dev", "aks-zero-trust:segmentation:", "aks-zerotrust:segmentation:");
        const misspelt = await plan(["--stack", "dev", "--config", namespace]);
        expect(misspelt.status).toBe(1);
        expect(misspelt.stdout).toBe("");
        expect(misspelt.stderr).toMatch(new RegExp(`^error: Invalid stack config \\(1 problem\\):\n {2}- ${namespace.replace(/[.]/g, "\\.")}:\\d+:3: aks-zerotrust:segmentation: unknown config namespace "aks-zerotrust" \\(did you mean "aks-zero-trust:segmentation"\\?\\)`));
        const key = editedStackFile("dev", "- fqdn: api.stripe.com\n                  ports: [443]", "- fqdn: api.stripe.com\n                  port: [443]");
        const unknown = await plan(["--stack", "dev", "--config", key]);
        expect(unknown.status).toBe(1);
        expect(unknown.stdout).toBe("");
        expect(unknown.stderr).toMatch(/:\d+:19: aks-zero-trust:segmentation\.namespaces\[shop\]\.workloads\[backend\]\.egress\.fqdns\[0\]: unknown key "port" \(did you mean "ports"\?\)\n$/);
    });

    it("rejects an unknown option with the nearest known one, the usage and exit code 2", async () => {
        const result = await plan(["--stak", "dev"]);
        expect(result.status).toBe(2);
        expect(result.stderr).toMatch(/^error: unknown option --stak \(did you mean --stack\?\)\nusage: npm run plan -- \[--stack NAME\]/);
        expect(result.stderr).toContain("(npm run plan -- --help describes every option)");
    });

    it("describes every option with an example on --help, and plans nothing", async () => {
        const result = await plan(["--help"]);
        expect(result.status).toBe(0);
        expect(result.stderr).toBe("");
        for (const option of ["--stack NAME", "--config FILE", "--policy-pack-config FILE", "--format FORMAT", "--out DIR", "--today YYYY-MM-DD", "--verbose", "--help"]) {
            expect(result.stdout).toContain(option);
        }
        expect(result.stdout.replace(/\s+/g, " ").match(/ e\.g\. --/g)?.length).toBe(7);
        expect(result.stdout).not.toContain("Offline plan");
    });
});

describe("npm run plan in a 120-column terminal", () => {
    it("keeps every line of prod's plan within 160 characters, the resource tree and firewall table within 120", async () => {
        const lines = (await prodTextPlan()).stdout.split("\n");
        expect(lines.filter((line) => line.length > 160)).toEqual([]);
        const tree = lines.slice(0, lines.indexOf("Summary:"));
        const firewall = lines.slice(lines.findIndex((line) => line.startsWith("Firewall rules")) + 1, lines.indexOf("Policy sets (ADR 008 budget):"));
        expect(firewall.length).toBeGreaterThan(10);
        expect([...tree, ...firewall].filter((line) => line.length > 120)).toEqual([]);
    });

    it("summarises the 21 routes, shows the system pool and counts in the right number", async () => {
        // Wrapped settings continue on lines under their resource: join them back for the checks.
        const text = (await prodTextPlan()).stdout.replace(/\n│? +(?=\S)/g, " ");
        expect(text).toMatch(/0\.0\.0\.0\/0 -> VirtualAppliance 10\.20\.0\.4; (\S+\/32, ){2}\S+\/32 and 17 more \(20 routes\) -> Internet\n/);
        expect(text).toMatch(/system pool Standard_\w+ \d+-\d+ nodes, zones 1,2,3, k8s 1\.36\n/);
        expect(text).toContain("priority 300, 1 collection, 2 rules");
        expect(text).toContain("20 public IPs");
        expect(text).not.toMatch(/\b1 (collections|rules|public IPs|ranges)\b/);
    });
});

describe("npm run plan -- --out DIR", () => {
    it("writes every Kubernetes object the prod stack applies, and one representative pod per workload", async () => {
        const out = prodOut;
        const result = await prodTextPlan();
        expect(result.status).toBe(0);
        expect(result.stderr).toBe(`wrote 14 manifests and 8 representative workloads under ${out}\n`);
        const list = (folder: string) => fs.readdirSync(path.join(out, folder), { recursive: true }).map(String).filter((file) => file.endsWith(".yaml")).sort();
        expect(list("manifests")).toEqual([
            "_cluster/calico-globalnetworkpolicy-deny-platform-endpoints.yaml",
            "_cluster/calico-globalnetworkpolicy-infra-monitoring-accept.yaml",
            "_cluster/calico-globalnetworkpolicy-infra-monitoring-egress.yaml",
            "_cluster/calico-globalnetworkpolicy-infra-monitoring-ingress.yaml",
            "_cluster/calico-globalnetworkpolicy-peer-ingress-nginx.yaml",
            "_cluster/calico-globalnetworkpolicy-zero-trust-baseline.yaml",
            "_cluster/namespace-shop.yaml",
            "shop/calico-networkpolicy-deny-kubernetes-api.yaml",
            "shop/calico-networkpolicy-log-denied.yaml",
            "shop/networkpolicy-allow-dns.yaml",
            "shop/networkpolicy-default-deny-all.yaml",
            "shop/networkpolicy-workload-backend.yaml",
            "shop/networkpolicy-workload-database.yaml",
            "shop/networkpolicy-workload-frontend.yaml",
        ]);
        expect(list("workloads")).toEqual([
            "ingress-nginx/pod-ingress-nginx-peer.yaml",
            "kube-system/pod-coredns.yaml",
            "kube-system/pod-konnectivity-agent.yaml",
            "monitoring/pod-monitoring-agent.yaml",
            "shop/pod-backend.yaml",
            "shop/pod-database.yaml",
            "shop/pod-frontend.yaml",
            "undeclared-namespace/pod-probe.yaml",
        ]);
        expect(fs.readFileSync(path.join(out, "workloads/shop/pod-database.yaml"), "utf8")).toContain("containerPort: 5432");
        // The plan's matrix: the pod in an undeclared namespace reaches DNS only and nothing reaches it; monitoring
        // takes no ingress from external ranges; backend's internet allowance does not reach the API server.
        const reach = result.stdout.slice(result.stdout.indexOf("Reachability"), result.stdout.indexOf("Policy pack"));
        const lines = reach.split("\n").map((line) => line.trim());
        expect(lines.filter((line) => line.includes("undeclared-namespace/"))).toEqual(["undeclared-namespace/probe[Pod] => kube-system/coredns[Pod] : TCP 53,UDP 53"]);
        expect(lines.filter((line) => /\[External\] => monitoring\//.test(line))).toEqual([]);
        expect(lines.filter((line) => line.startsWith("shop/backend[Pod] => default/kubernetes"))).toEqual([]);
        expect(lines).toContain("ingress-nginx/ingress-nginx-peer[Pod] => shop/frontend[Pod] : TCP 8080");
        expect(result.stdout.trimEnd().split("\n").pop()).toMatch(/^ {2}PASS /);
    });
});

describe("npm run plan with overrides Felix would read differently", () => {
    const withOverride = (spec: string, name = "deny-legacy-db-port") =>
        editedStackFile("prod", "        workloads:\n", [
            "        overrides:",
            "          - apiVersion: crd.projectcalico.org/v1",
            "            kind: NetworkPolicy",
            `            metadata: {name: ${name}}`,
            `            spec: ${spec}`,
            "        workloads:",
            "",
        ].join("\n"));

    it("fails at validation on tier: security, naming the override and the field", async () => {
        const file = withOverride("{order: 900, tier: security, selector: \"app == 'database'\", types: [Ingress], ingress: [{action: Deny, protocol: TCP, destination: {ports: [5432]}}]}");
        const result = await plan(["--stack", "prod", "--config", file]);
        expect(result.status).toBe(1);
        expect(result.stderr).toMatch(/Pulumi\.prod\.yaml:\d+:\d+: aks-zero-trust:segmentation\.namespaces\[shop\]\.overrides\[deny-legacy-db-port\]\.spec\.tier: is "security", but Calico 3\.29-3\.31 ignore spec\.tier/);
        expect(result.stderr).toMatch(/spec\.tier: .* \(override NetworkPolicy deny-legacy-db-port\)\n/);
    });

    it("fails at validation on a field typo, naming the override and the field", async () => {
        const file = withOverride("{order: 900, selctor: \"app == 'database'\", types: [Ingress], ingress: [{action: Deny, protocol: TCP, destination: {ports: [5433]}}]}");
        const result = await plan(["--stack", "prod", "--config", file]);
        expect(result.status).toBe(1);
        expect(result.stderr).toContain("aks-zero-trust:segmentation.namespaces[shop].overrides[deny-legacy-db-port].spec.selctor: unknown field \"selctor\": the API server would silently drop it");
        expect(result.stderr).toMatch(/spec\.selctor: .* \(override NetworkPolicy deny-legacy-db-port\)\n/);
    });
});

describe("npm run plan with AKS LocalDNS", () => {
    it("plans prod with localDns: true and the intent check passes", async () => {
        const file = editedStackFile("prod", "    monitoringAddon: true\n", "    monitoringAddon: true\n    localDns: true\n");
        const result = await plan(["--stack", "prod", "--config", file]);
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        expect(result.stdout.trimEnd().split("\n").pop()).toMatch(/^ {2}PASS /);
    });
});

describe("npm run plan with a broken override", () => {
    it("fails the intent check and names the declared flow it breaks", async () => {
        const override = [
            "        overrides:",
            "          - apiVersion: crd.projectcalico.org/v1",
            "            kind: NetworkPolicy",
            "            metadata: {name: deny-legacy-db-port}",
            "            spec: {order: 900, selector: \"app == 'database'\", types: [Ingress], ingress: [{action: Deny, protocol: TCP, destination: {ports: [5432]}}]}",
            "",
        ].join("\n");
        const file = editedStackFile("prod", "        workloads:\n", `${override}        workloads:\n`);
        const result = await plan(["--stack", "prod", "--config", file]);
        expect(result.status).toBe(1);
        expect(result.stdout).toContain("  missing: shop/backend[Pod] => shop/database[Pod] : TCP 5432 is declared but not allowed\n  FAIL (1 violation)");
        expect(result.stderr).toBe("error: the intent check failed: 1 violation(s); see \"Intent check\" above\n");
    });
});

describe("npm run plan runs the stack policy pack", () => {
    it("shows every policy passing for prod", async () => {
        const result = await prodTextPlan();
        expect(result.status).toBe(0);
        const section = result.stdout.slice(result.stdout.indexOf("Policy pack"), result.stdout.indexOf("Intent check:"));
        expect(section).toMatch(/PASS {2}aks-network-profile \(mandatory\)/);
        expect(section).not.toContain("FAIL");
        expect(section).toMatch(/ {2}(\d+) policies: \1 passed, 0 advisory warnings, 0 mandatory violations/);
    });

    it("fails when the database gets internet egress through the explicit override, naming the policy and the remedy", async () => {
        const file = editedStackFile(
            "prod",
            "            labels: {app: database, tier: data}\n",
            "            labels: {app: database, tier: data}\n            allowDataTierInternetEgress: true\n            egress:\n              fqdns:\n                - fqdn: backup.example.com\n",
        );
        const result = await plan(["--stack", "prod", "--config", file]);
        expect(result.status).toBe(1);
        expect(result.stdout).toContain("FAIL  data-tier-egress-dns-only (mandatory)");
        expect(result.stdout).toMatch(/- shop\/database => [\s\S]*? : TCP 443\.\s+The\s+data\s+tier\s+may\s+only\s+reach\s+DNS/);
        expect(result.stderr).toBe("error: mandatory policies failed: data-tier-egress-dns-only; see \"Policy pack\" above\n");
    });

    it("applies a pack config file as --policy-pack-config does: the dev relaxation makes the data-tier egress advisory", async () => {
        const file = editedStackFile(
            "prod",
            "            labels: {app: database, tier: data}\n",
            "            labels: {app: database, tier: data}\n            allowDataTierInternetEgress: true\n            egress:\n              fqdns:\n                - fqdn: backup.example.com\n",
        );
        const result = await plan(["--stack", "prod", "--config", file, "--policy-pack-config", path.join(PROJECT_DIR, "policy-pack", "policy-config.dev.json")]);
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        expect(result.stdout).toContain("FAIL  data-tier-egress-dns-only (advisory)");
        expect(result.stdout).toMatch(/ {2}\d+ policies: \d+ passed, 1 advisory warnings, 0 mandatory violations/);
    });

    it("rejects a pack config file the CLI would reject, naming the file and the policy", async () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), "policy-config.json");
        fs.writeFileSync(file, `{"data-tier-egress-dns-only": "warn"}`);
        const result = await plan(["--stack", "prod", "--policy-pack-config", file]);
        expect(result.status).toBe(1);
        expect(result.stderr).toBe(`error: ${file}: data-tier-egress-dns-only: expected an enforcement level (advisory, mandatory, remediate, disabled), found "warn"\n`);
    });
});

describe("npm run plan without the Azure Policy add-on", () => {
    it("warns that nothing keeps host-networked pods out of undeclared namespaces, and plans no host-network assignment", async () => {
        const file = editedStackFile("dev", "    azurePolicyAddon: true\n", "    azurePolicyAddon: false\n");
        const result = await plan(["--stack", "dev", "--config", file]);
        expect(result.status).toBe(0);
        expect(result.stderr.replace(/\n  /g, " ")).toContain("warning: aks-zero-trust:cluster.azurePolicyAddon is off: nothing keeps host-networked pods out of namespaces the stack does not declare");
        expect(widestLine(result.stderr)).toBeLessThanOrEqual(120);
        expect(result.stdout).not.toContain("PolicyAssignment");
    });
});

describe("npm run plan with a pinned Calico Tigera does not test against the cluster's Kubernetes", () => {
    it("warns on stderr and in the Calico section, naming the tested releases, and still plans", async () => {
        const file = editedStackFile("dev", '      version: "3.33.1"\n', '      version: "3.30.7"\n');
        const result = await plan(["--stack", "dev", "--config", file]);
        const warning = "Calico 3.30.7 is tested by Tigera against Kubernetes 1.31, 1.32, 1.33, 1.34, 1.35, not 1.36 (system requirements, read 2026-12-07); releases tested against 1.36: 3.32.2, 3.33.1";
        expect(result.stderr.replace(/\n  /g, " ")).toContain(`warning: ${warning}\n`);
        expect(result.stdout.replace(/\n {4}/g, " ")).toContain(`  warning: ${warning}\n`);
        expect(result.status).toBe(0);
    });
});

describe("npm run plan with Calico turned off", () => {
    it("refuses a cluster without a policy engine at the config, before the pack (which refuses it too) runs", async () => {
        const file = editedStackFile("prod", "    skuTier: Standard\n", "    skuTier: Standard\n    networkPolicy: none\n");
        const result = await plan(["--stack", "prod", "--config", file]);
        expect(result.status).toBe(1);
        expect(result.stdout).toBe("");
        expect(result.stderr).toMatch(/\n  - \S+Pulumi\.prod\.yaml:\d+:\d+: aks-zero-trust:cluster\.networkPolicy: is "none": no network policy engine runs, so no policy is enforced/);
    });
});

describe("npm run plan -- --format mermaid", () => {
    it("prints prod's whole matrix, as enforced, as a flowchart Mermaid parses, one edge per allowed pair", async () => {
        const result = await plan(["--stack", "prod", "--format", "mermaid"]);
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        const parsed = await parseFlowchart(result.stdout);
        const label = (id: string) => {
            const subgraph = parsed.subgraphs.find((candidate) => candidate.nodes.includes(id));
            return `${subgraph ? `${subgraph.title}/` : ""}${parsed.vertices.get(id)!.text}`;
        };
        const edges = parsed.edges.map((edge) => `${label(edge.start)} -> ${label(edge.end)}: ${edge.text}`);
        // The declared flows of Pulumi.prod.yaml, and the data tier's only DNS.
        expect(edges).toEqual(expect.arrayContaining(["shop/frontend -> shop/backend: TCP 80", "shop/backend -> shop/database: TCP 5432", "shop/database -> kube-system/coredns: TCP 53,UDP 53"]));
        expect(edges.filter((edge) => edge.startsWith("shop/frontend -> shop/database"))).toEqual([]);
        expect(result.stdout).toMatch(/\[\("database"\)\]:::data/);
        // The stack's own ranges by name: the backend's internet egress is one edge, the VNet one node.
        expect(edges).toEqual(expect.arrayContaining(["shop/backend -> internet: TCP 443", "VNet 10.20.0.0/16 -> ingress-nginx/ingress-nginx-peer: TCP 80,443"]));
    });
});
