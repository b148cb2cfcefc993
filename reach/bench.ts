/**
 * Benchmark: `npm run bench`. Builds clusters of N namespaces, each running the ADR's three-tier app
 * (frontend tier=web, backend tier=api, database tier=data) under default-deny microsegmentation, and times
 * the full connectivity for N = 10, 100, 1000. Each N runs in its own child process so peak memory
 * (resourceUsage().maxRSS) belongs to that N alone.
 *
 * Per namespace: default-deny ingress+egress; DNS to kube-system/kube-dns (UDP and TCP 53); frontend ->
 * backend TCP 80; backend -> database TCP 5432; backend egress to 0.0.0.0/0 except private ranges on TCP 443;
 * a Calico NetworkPolicy logging everything at order 2000. Cluster-wide: a GlobalNetworkPolicy letting the
 * monitoring namespace scrape TCP 9090 on every app pod.
 */
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { type ManifestObject, analyze } from "./index";

const SIZES = [10, 100, 1000];
const TARGET_SECONDS: Readonly<Record<number, number>> = { 100: 0.3, 1000: 3 };
const MEMORY_LIMIT_MIB = 1024;

function object(value: Record<string, unknown>): ManifestObject {
    return { object: value };
}

function deployment(namespace: string, name: string, labels: Record<string, string>, ports: unknown[]): ManifestObject {
    return object({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, namespace },
        spec: { template: { metadata: { labels }, spec: { containers: [{ name, ports }] } } },
    });
}

function networkPolicy(namespace: string, name: string, spec: Record<string, unknown>): ManifestObject {
    return object({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace }, spec });
}

/** The objects of a cluster with `size` application namespaces. */
export function generateCluster(size: number): ManifestObject[] {
    const objects: ManifestObject[] = [
        object({ apiVersion: "v1", kind: "Namespace", metadata: { name: "kube-system" } }),
        object({ apiVersion: "v1", kind: "Namespace", metadata: { name: "monitoring" } }),
        deployment("kube-system", "coredns", { "k8s-app": "kube-dns" }, [
            { name: "dns", containerPort: 53, protocol: "UDP" },
            { name: "dns-tcp", containerPort: 53, protocol: "TCP" },
        ]),
        deployment("monitoring", "prometheus", { app: "prometheus" }, [{ name: "web", containerPort: 9090 }]),
        object({
            apiVersion: "projectcalico.org/v3",
            kind: "GlobalNetworkPolicy",
            metadata: { name: "allow-monitoring-scrape" },
            spec: {
                order: 100,
                selector: "has(tier)",
                types: ["Ingress"],
                ingress: [
                    {
                        action: "Allow",
                        protocol: "TCP",
                        source: { namespaceSelector: "projectcalico.org/name == 'monitoring'" },
                        destination: { ports: [9090] },
                    },
                ],
            },
        }),
    ];
    for (let index = 0; index < size; index++) {
        const namespace = `app-${String(index).padStart(4, "0")}`;
        const tier = (name: string) => ({ matchLabels: { tier: name } });
        objects.push(
            object({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, labels: { team: `team-${index % 10}` } } }),
            deployment(namespace, "frontend", { app: "frontend", tier: "web" }, [{ name: "http", containerPort: 8080 }]),
            deployment(namespace, "backend", { app: "backend", tier: "api" }, [{ name: "http", containerPort: 80 }]),
            deployment(namespace, "database", { app: "database", tier: "data" }, [{ name: "postgres", containerPort: 5432 }]),
            networkPolicy(namespace, "default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
            networkPolicy(namespace, "allow-dns", {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [
                    {
                        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
                        ports: [
                            { protocol: "UDP", port: 53 },
                            { protocol: "TCP", port: 53 },
                        ],
                    },
                ],
            }),
            networkPolicy(namespace, "frontend-to-backend", { podSelector: tier("web"), policyTypes: ["Egress"], egress: [{ to: [{ podSelector: tier("api") }], ports: [{ port: 80 }] }] }),
            networkPolicy(namespace, "backend-from-frontend", { podSelector: tier("api"), policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: tier("web") }], ports: [{ port: 80 }] }] }),
            networkPolicy(namespace, "backend-to-database", { podSelector: tier("api"), policyTypes: ["Egress"], egress: [{ to: [{ podSelector: tier("data") }], ports: [{ port: 5432 }] }] }),
            networkPolicy(namespace, "database-from-backend", { podSelector: tier("data"), policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: tier("api") }], ports: [{ port: 5432 }] }] }),
            networkPolicy(namespace, "backend-to-internet", {
                podSelector: tier("api"),
                policyTypes: ["Egress"],
                egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] } }], ports: [{ port: 443 }] }],
            }),
            object({
                apiVersion: "crd.projectcalico.org/v1",
                kind: "NetworkPolicy",
                metadata: { name: "log-catch-all", namespace },
                spec: { order: 2000, selector: "all()", types: ["Ingress", "Egress"], ingress: [{ action: "Log" }], egress: [{ action: "Log" }] },
            }),
        );
    }
    return objects;
}

interface Measurement {
    readonly size: number;
    readonly workloads: number;
    readonly policies: number;
    readonly connections: number;
    readonly seconds: number;
    readonly maxRssMiB: number;
    readonly heapUsedMiB: number;
}

function measure(size: number): Measurement {
    const objects = generateCluster(size);
    const start = performance.now();
    const analysis = analyze(objects);
    const seconds = (performance.now() - start) / 1000;
    return {
        size,
        workloads: analysis.workloads.length,
        policies: analysis.policies.length,
        connections: analysis.connections.length,
        seconds,
        maxRssMiB: process.resourceUsage().maxRSS / 1024,
        heapUsedMiB: process.memoryUsage().heapUsed / 1024 / 1024,
    };
}

function runChild(size: number): Measurement {
    const result = spawnSync(process.execPath, [...process.execArgv, __filename, "--child", String(size)], { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`benchmark child for N=${size} failed:\n${result.stderr}`);
    return JSON.parse(result.stdout.trim().split("\n").pop()!) as Measurement;
}

function main(): void {
    const childIndex = process.argv.indexOf("--child");
    if (childIndex >= 0) {
        process.stdout.write(`${JSON.stringify(measure(Number(process.argv[childIndex + 1])))}\n`);
        return;
    }
    const results: Measurement[] = [];
    for (const size of SIZES) {
        const result = runChild(size);
        results.push(result);
        const target = TARGET_SECONDS[size];
        const verdict = target === undefined ? "" : `  target < ${target} s: ${result.seconds < target ? "PASS" : "FAIL"}`;
        const memory = size === 1000 ? `  memory < 1 GiB: ${result.maxRssMiB < MEMORY_LIMIT_MIB ? "PASS" : "FAIL"}` : "";
        process.stdout.write(
            `N=${String(size).padEnd(5)} workloads ${String(result.workloads).padStart(5)}  policies ${String(result.policies).padStart(5)}  ` +
                `connections ${String(result.connections).padStart(6)}  time ${result.seconds.toFixed(3)} s  ` +
                `peak RSS ${result.maxRssMiB.toFixed(0)} MiB  heap ${result.heapUsedMiB.toFixed(0)} MiB${verdict}${memory}\n`,
        );
    }
    const [, hundred, thousand] = results;
    if (hundred && thousand) {
        const growth = thousand.seconds / hundred.seconds;
        // Ten times the namespaces should cost about ten times the time; allow for fixed costs and noise.
        process.stdout.write(`growth N=100 -> N=1000: ${growth.toFixed(1)}x time for 10x namespaces (about linear: ${growth < 20 ? "PASS" : "FAIL"})\n`);
    }
}

// Run only when executed directly (npm run bench), not when imported.
if (typeof require !== "undefined" && typeof module !== "undefined" && require.main === module) {
    main();
}
