/**
 * The command line, end to end. Spawning costs about a second each, so only a few cases spawn
 * `npx tsx reach/cli.ts`; the output formats are checked in-process through run().
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { fitToWidth } from "../../cli/common/commandLine";
import { run } from "../../cli/reach";
import { compiledCli } from "../helpers/cli";

const ROOT = path.resolve(__dirname, "../..");
const SHOP = "test/reach/fixtures/shop";

function spawnReach(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    // Compiled, as `npm run reach` runs it (test/project/build.test.ts checks that it prints what the sources print).
    return compiledCli("reach", args, ROOT);
}

function runReach(...args: string[]): { status: number; stdout: string; stderr: string } {
    let stdout = "";
    let stderr = "";
    const status = run(args, { out: (text) => (stdout += text), err: (text) => (stderr += text) });
    return { status, stdout, stderr };
}

// Self pairs are left out, and prometheus's seven fragments of the address space (cut by other workloads'
// policies) print as the one range they are: 0.0.0.0/0.
const SHOP_LINES = [
    // The API server of a public cluster is somewhere in public IPv4: prometheus (no egress policy) and backend
    // (0.0.0.0/0 minus private ranges on 443) both reach it.
    "default/kubernetes[APIServer] => monitoring/prometheus[Deployment] : All Connections",
    "monitoring/prometheus[Deployment] => default/kubernetes[APIServer] : TCP 443",
    "monitoring/prometheus[Deployment] => shop/database[Deployment] : TCP 9187",
    "monitoring/prometheus[Deployment] => 0.0.0.0/0[External] : All Connections",
    "shop/backend[Deployment] => default/kubernetes[APIServer] : TCP 443",
    "shop/backend[Deployment] => shop/database[Deployment] : TCP 5432",
    "shop/backend[Deployment] => 0.0.0.0-9.255.255.255[External] : TCP 443",
    "shop/backend[Deployment] => 11.0.0.0-172.15.255.255[External] : TCP 443",
    "shop/backend[Deployment] => 172.32.0.0-192.167.255.255[External] : TCP 443",
    "shop/backend[Deployment] => 192.169.0.0-255.255.255.255[External] : TCP 443",
    "shop/frontend[Deployment] => shop/backend[Deployment] : TCP 80",
    "0.0.0.0/0[External] => monitoring/prometheus[Deployment] : All Connections",
];

describe("reach CLI (spawned)", () => {
    it("lists every allowed connection of a folder, warns about unknown kinds, and summarises on stderr", () => {
        const result = spawnReach(SHOP);
        expect(result.status).toBe(0);
        expect(result.stdout).toBe(`${SHOP_LINES.join("\n")}\n`);
        expect(result.stderr).toContain(`warning: ${SHOP}/workloads.yaml:43: skipping unsupported kind ConfigMap\n`);
        expect(result.stderr).toContain(`${SHOP_LINES.length} connections between 5 workloads and 5 external ranges\n`);
    });

    it("fails an expectation file with file:line per violation and exit code 1 (a failed check)", () => {
        const result = spawnReach(SHOP, "--expect", "test/reach/fixtures/shop-expectations.yaml");
        expect(result.status).toBe(1);
        expect(result.stdout).toBe(
            fitToWidth(
            [
                "FAIL test/reach/fixtures/shop-expectations.yaml:8: monitoring/prometheus -> shop/frontend: TCP 9090: expected at least TCP 9090, missing TCP 9090 (found no connection)",
                "FAIL test/reach/fixtures/shop-expectations.yaml:9: shop/database -> 1.1.1.1: allow: expected some connection, found none",
                "FAIL: 2 of 8 expectations violated",
                "",
            ].join("\n")),
        );
    });

    it("diffs two folders at port level, with external ranges refined to common boundaries", () => {
        const result = spawnReach("diff", SHOP, "test/reach/fixtures/shop-v2");
        expect(result.status).toBe(0);
        expect(result.stdout).toBe(
            [
                // v2's 20.0.0.0/8 (minus a /16) still holds public addresses where the API server may be: no change there.
                "- shop/backend[Deployment] => 0.0.0.0-9.255.255.255[External] : TCP 443",
                "- shop/backend[Deployment] => 11.0.0.0-19.255.255.255[External] : TCP 443",
                "- shop/backend[Deployment] => 20.1.0.0/16[External] : TCP 443",
                "- shop/backend[Deployment] => 21.0.0.0-172.15.255.255[External] : TCP 443",
                "- shop/backend[Deployment] => 172.32.0.0-192.167.255.255[External] : TCP 443",
                "- shop/backend[Deployment] => 192.169.0.0-255.255.255.255[External] : TCP 443",
                "+ shop/frontend[Deployment] => shop/database[Deployment] : TCP 5432",
                "",
            ].join("\n"),
        );
    });

    it("reports bad input as file:line: reason with exit code 1 and no stack trace", () => {
        const result = spawnReach("test/reach/fixtures/bad");
        expect(result.status).toBe(1);
        expect(result.stdout).toBe("");
        expect(result.stderr).toContain(
            "error: test/reach/fixtures/bad/ipblock.yaml:10: spec.egress[0].to[0].ipBlock.except[1]: except 192.168.1.0/24 is not inside cidr 10.0.0.0/8\n",
        );
        expect(result.stderr).not.toMatch(/\n\s+at /);
    });

    it("rejects an unknown flag with exit code 2", () => {
        const result = spawnReach("--colour", SHOP);
        expect(result.status).toBe(2);
        expect(result.stderr).toContain("error: unknown option --colour");
        expect(spawnReach("--explian", "a", "b", SHOP).stderr).toContain("error: unknown option --explian (did you mean --explain?)");
        expect(result.stderr).toContain("usage: npm run reach --");
    });
});

describe("reach CLI (in process)", () => {
    it("prints Markdown and JSON", () => {
        const markdown = runReach("--format", "md", SHOP);
        expect(markdown.stdout.split("\n").slice(0, 3)).toEqual([
            "| Source | Destination | Connections |",
            "| --- | --- | --- |",
            "| default/kubernetes[APIServer] | monitoring/prometheus[Deployment] | All Connections |",
        ]);
        const json = JSON.parse(runReach("--format", "json", SHOP).stdout) as { connections: { source: { display: string }; ports: string; protocols: unknown }[] };
        expect(json.connections).toHaveLength(SHOP_LINES.length);
        expect(json.connections.find((c) => c.source.display === "shop/frontend[Deployment]")).toEqual({
            source: { type: "workload", kind: "Deployment", namespace: "shop", name: "frontend", display: "shop/frontend[Deployment]" },
            destination: { type: "workload", kind: "Deployment", namespace: "shop", name: "backend", display: "shop/backend[Deployment]" },
            ports: "TCP 80",
            protocols: { TCP: [[80, 80]] },
        });
    });

    it("applies the same presentation to every format, and lists self pairs with --self", () => {
        const text = runReach(SHOP).stdout.trim().split("\n");
        const json = JSON.parse(runReach("--format", "json", SHOP).stdout) as { connections: { source: { display: string }; destination: { display: string }; ports: string }[] };
        expect(json.connections.map((c) => `${c.source.display} => ${c.destination.display} : ${c.ports}`)).toEqual(text);
        const markdown = runReach("--format", "md", SHOP).stdout.trim().split("\n").slice(2);
        expect(markdown).toHaveLength(text.length);
        expect(markdown).toContain("| monitoring/prometheus[Deployment] | 0.0.0.0/0[External] | All Connections |");
        const withSelf = runReach("--self", SHOP);
        expect(withSelf.stdout.split("\n")).toContain("monitoring/prometheus[Deployment] => monitoring/prometheus[Deployment] : All Connections");
        expect(withSelf.stderr).toContain(`${SHOP_LINES.length + 1} connections between 5 workloads and 5 external ranges`);
    });

    it("explains a pair per direction, naming policies and rules in evaluation order", () => {
        const result = runReach("--explain", "shop/frontend", "shop/backend[Deployment]", SHOP);
        expect(result.status).toBe(0);
        expect(result.stdout).toBe(
            fitToWidth(
            [
                "explain shop/frontend[Deployment] => shop/backend[Deployment]",
                "egress of shop/frontend[Deployment]:",
                "  tier default (order 1000000):",
                `    NetworkPolicy shop/default-deny (${SHOP}/policies.yaml:1): selects it, no rule matched for shop/backend[Deployment]`,
                `    NetworkPolicy shop/frontend egress[0] (${SHOP}/policies.yaml:15): Allow to namespace shop && pods tier == "api": TCP 80 -> allowed TCP 80`,
                "    end of tier: everything else is dropped",
                "  egress allows: TCP 80",
                "ingress of shop/backend[Deployment]:",
                "  tier default (order 1000000):",
                `    NetworkPolicy shop/backend ingress[0] (${SHOP}/policies.yaml:24): Allow from namespace shop && pods tier == "web": TCP port named http -> allowed TCP 80`,
                `    NetworkPolicy shop/default-deny (${SHOP}/policies.yaml:1): selects it, no rule matched for shop/frontend[Deployment]`,
                "    end of tier: everything else is dropped",
                "  ingress allows: TCP 80",
                "verdict: TCP 80",
                "",
            ].join("\n")),
        );
    });

    it("explains a denied pair towards an external address", () => {
        const result = runReach("--explain", "shop/backend", "10.1.2.3", SHOP);
        expect(result.stdout).toContain("explain shop/backend[Deployment] => 10.1.2.3 (external, in 10.0.0.0/8[External])");
        expect(result.stdout).toContain("verdict: No Connections\n");
    });

    it("prints the compiled policies", () => {
        const result = runReach("--policies", SHOP);
        expect(result.stdout).toContain(
            fitToWidth(
            [
                `NetworkPolicy shop/database  [tier default order 1000000, policy order 1000]  (${SHOP}/policies.yaml:35)`,
                '  applies to: namespace shop && pods tier == "data"',
                "  ingress:",
                '    [0] Allow from namespace shop && pods tier == "api": TCP port named postgres',
                '    [1] Allow from namespaces kubernetes.io/metadata.name == "monitoring" && pods app == "prometheus": TCP port named metrics',
                "  egress: not applied",
            ].join("\n")),
        );
    });

    it("names address sets given with --names or found in the input (as the plan writes them), and only then", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "reach-names-"));
        // The shop fixture's backend may reach 0.0.0.0/0 minus the private ranges on TCP 443.
        const names = "apiVersion: aks-zero-trust.io/v1\nkind: AddressNames\nnames:\n  - name: internet\n    cidrs: [0.0.0.0/0]\n    except: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]\n";
        fs.writeFileSync(path.join(dir, "address-names.yaml"), names);
        const backend = (stdout: string) => stdout.split("\n").filter((line) => /^shop\/backend\[Deployment\] => (?!shop\/|default\/)/.test(line));
        const inInput = runReach(SHOP, dir);
        expect(inInput.stderr).not.toMatch(/address-names|AddressNames/);
        expect(backend(inInput.stdout)).toEqual(["shop/backend[Deployment] => internet : TCP 443"]);
        expect(backend(runReach("--names", path.join(dir, "address-names.yaml"), SHOP).stdout)).toEqual(["shop/backend[Deployment] => internet : TCP 443"]);
        expect(backend(runReach(SHOP).stdout)).toEqual(SHOP_LINES.filter((line) => line.startsWith("shop/backend[Deployment] => ") && line.includes("[External]")));
        fs.writeFileSync(path.join(dir, "address-names.yaml"), names.replace("10.0.0.0/8", "10.0.0.0/80"));
        expect(() => runReach(SHOP, dir)).toThrow(/address-names\.yaml:1: names\[0\]\.except\[0\]: invalid CIDR "10\.0\.0\.0\/80"/);
    });

    it("rejects usage mistakes with exit code 2", () => {
        expect(() => runReach()).toThrow(/no PATH given/);
        expect(() => runReach("--format", "yaml", SHOP)).toThrow(/--format must be text, json or md/);
        expect(() => runReach("diff", SHOP)).toThrow(/diff needs exactly two paths/);
        expect(() => runReach(SHOP, "--explain", "shop/frontend")).toThrow(/--explain needs two arguments/);
    });

    it("rejects an unknown workload in --explain as an input error", () => {
        expect(() => runReach("--explain", "shop/nope", "shop/backend", SHOP)).toThrow(/source: unknown workload shop\/nope/);
    });
});

describe("Calico staged policies on the command line", () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "reach-staged-"));
    const pod = (namespace: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: ${namespace}}\nspec: {containers: [{name: c, image: i, ports: [{containerPort: 80}]}]}\n`;
    fs.writeFileSync(path.join(folder, "cluster.yaml"), [
        pod("x"),
        pod("y"),
        "apiVersion: projectcalico.org/v3\nkind: StagedKubernetesNetworkPolicy\nmetadata: {name: default-deny-all, namespace: x}\nspec: {stagedAction: Set, podSelector: {}, policyTypes: [Ingress]}\n",
    ].join("---\n"));

    it("decide nothing by default, with a note; --staged-as-enforced shows what enforcing them gives", () => {
        const asIs = runReach(folder);
        expect(asIs.status).toBe(0);
        expect(asIs.stdout).toContain("y/a[Pod] => x/a[Pod] : All Connections");
        expect(asIs.stderr).toContain("note: 1 Calico staged policy decides nothing here, as in the cluster; --staged-as-enforced shows what enforcing them would give");
        const enforced = runReach("--staged-as-enforced", folder);
        expect(enforced.status).toBe(0);
        expect(enforced.stdout).not.toContain("=> x/a[Pod]");
        expect(enforced.stdout).toContain("x/a[Pod] => y/a[Pod] : All Connections");
        expect(enforced.stderr).not.toContain("note:");
    });
});

describe("a host-networked pod in a cluster dump", () => {
    // A kubectl dump: namespace apps closed by a default deny, an ordinary pod, and a node agent with hostNetwork: true
    // (its podIP is its node's). Calico gives the agent no workload endpoint and AKS has no host endpoints
    // (test/reach/hostNetwork.test.ts cites the sources), so the default deny holds web and not the agent.
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "reach-host-network-"));
    fs.writeFileSync(path.join(folder, "cluster.json"), JSON.stringify({
        apiVersion: "v1",
        kind: "List",
        items: [
            { apiVersion: "v1", kind: "Namespace", metadata: { name: "apps" } },
            { apiVersion: "v1", kind: "Pod", metadata: { name: "web-1", namespace: "apps", labels: { app: "web" } }, spec: { containers: [{ name: "c" }] }, status: { podIP: "10.244.1.7" } },
            { apiVersion: "v1", kind: "Pod", metadata: { name: "node-agent-x1", namespace: "apps", labels: { app: "node-agent" } }, spec: { hostNetwork: true, containers: [{ name: "c" }] }, status: { podIP: "10.10.16.4" } },
            { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "default-deny-all", namespace: "apps" }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
        ],
    }, null, 2));

    it("lists the host-networked pod reaching out (IMDS included) while the default deny holds the other, with a note saying why", () => {
        const result = runReach(folder);
        expect(result.status).toBe(0);
        expect(result.stdout).toBe("apps/node-agent-x1[Pod] => 0.0.0.0/0[External] : All Connections\n0.0.0.0/0[External] => apps/node-agent-x1[Pod] : All Connections\n");
        expect(result.stderr).toMatch(/warning: \S+cluster\.json:\d+: apps\/node-agent-x1\[Pod\] runs with hostNetwork: true: Calico gives it no workload endpoint, so no policy applies to it and its traffic is its node's; reported as unpoliced/);
        const imds = runReach("--explain", "apps/node-agent-x1", "169.254.169.254", folder);
        expect(imds.stdout).toContain("note: apps/node-agent-x1[Pod] is unpoliced: it runs with hostNetwork: true");
        expect(imds.stdout).toMatch(/verdict: All Connections\n?$/);
        expect(runReach("--explain", "apps/web-1", "169.254.169.254", folder).stdout).toMatch(/verdict: no connections?\n?$/i);
    });
});
