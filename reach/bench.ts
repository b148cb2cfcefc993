/**
 * Benchmark (its command line: cli/bench.ts, `npm run bench [-- --runs R]`). Builds clusters of N namespaces, each running the ADR's three-tier
 * app (frontend tier=web, backend tier=api, database tier=data) under default-deny microsegmentation, for
 * N = 1 (start-up), 10, 100, 1000, and prints two figures side by side:
 * - whole process: the cluster written as a folder of YAML files, and `node dist/reach/cli.js FOLDER` spawned
 *   as a user runs it (start-up, loading, analysis, output), median of R runs (default 3), peak RSS;
 * - engine: `analyze()` on the objects in memory, cold, in its own child process.
 * Not part of `npm test`: timings belong here, never in tests.
 *
 * Per namespace: default-deny ingress+egress; DNS to kube-system/kube-dns (UDP and TCP 53); frontend ->
 * backend TCP 80; backend -> database TCP 5432; backend egress to 0.0.0.0/0 except private ranges on TCP 443;
 * a Calico NetworkPolicy logging everything at order 2000. Cluster-wide: a GlobalNetworkPolicy letting the
 * monitoring namespace scrape TCP 9090 on every app pod.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import * as jsyaml from "js-yaml";
import { type ManifestObject, analyze } from "./index";

/** The cluster sizes measured by default, in namespaces (after N=1, the start-up). */
export const BENCHMARK_SIZES = [10, 100, 1000];

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

export interface Measurement {
    readonly size: number;
    readonly workloads: number;
    readonly policies: number;
    readonly connections: number;
    readonly seconds: number;
    readonly maxRssMiB: number;
    readonly heapUsedMiB: number;
}

/** Analyses the cluster of `size` namespaces in memory, timed (run it in a fresh process: cold). */
export function measure(size: number): Measurement {
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

/** The engine's measurement for `size`, taken in a child process (`childArgs(size)` runs `measure` there and prints it as JSON). */
function runChild(size: number, childArgs: (size: number) => string[]): Measurement {
    const result = spawnSync(process.execPath, childArgs(size), { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`benchmark child for N=${size} failed:\n${result.stderr}`);
    return JSON.parse(result.stdout.trim().split("\n").pop()!) as Measurement;
}

/** Writes the cluster as a user's folder of YAML files: one multi-document file per namespace, recursively. */
function writeCluster(size: number, folder: string): void {
    const byNamespace = new Map<string, unknown[]>();
    for (const { object } of generateCluster(size)) {
        const metadata = (object as { metadata: { namespace?: string } }).metadata;
        const key = metadata.namespace ?? "_cluster";
        let list = byNamespace.get(key);
        if (!list) byNamespace.set(key, (list = []));
        list.push(object);
    }
    for (const [namespace, objects] of byNamespace) {
        const dir = path.join(folder, namespace.slice(0, 6));
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, `${namespace}.yaml`), objects.map((object) => jsyaml.dump(object, { noRefs: true })).join("---\n"));
    }
}

interface ProcessRun {
    /** Wall-clock time from spawn to exit. */
    readonly seconds: number;
    /** CPU time of the process (user + system): what the run costs regardless of other load on the machine. */
    readonly cpuSeconds: number;
    readonly maxRssMiB: number;
    readonly lines: number;
}

/**
 * Runs the CLI as a user does (`node dist/reach/cli.js FOLDER`, stdout piped), timing the whole process from
 * spawn to exit. A preload script reports the child's peak RSS on exit; it adds nothing measurable.
 */
function runProcess(cli: string, folder: string, preload: string): ProcessRun {
    const start = performance.now();
    const result = spawnSync(process.execPath, ["--require", preload, cli, folder], { encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
    const seconds = (performance.now() - start) / 1000;
    if (result.status !== 0) throw new Error(`reach on ${folder} failed:\n${result.stderr}`);
    const usage = /bench-usage (\d+) (\d+) (\d+)/.exec(result.stderr);
    return {
        seconds,
        cpuSeconds: usage ? (Number(usage[2]) + Number(usage[3])) / 1e6 : NaN,
        maxRssMiB: usage ? Number(usage[1]) / 1024 : NaN,
        lines: result.stdout.split("\n").length - 1,
    };
}

function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
}

/** Whole-process targets on the 2-core development machine (issue #10). */
const PROCESS_TARGETS: Readonly<Record<number, { seconds: number; mib?: number }>> = { 1: { seconds: 0.3 }, 100: { seconds: 0.45 }, 1000: { seconds: 1.5, mib: 300 } };

/** What a benchmark run needs from its caller (cli/bench.ts). */
export interface BenchmarkOptions {
    /** Runs per size; the median is reported. */
    readonly runs: number;
    /** Cluster sizes after N=1 (start-up), in namespaces. */
    readonly sizes: readonly number[];
    /** The compiled reach command line, spawned as a user runs it. */
    readonly reachCli: string;
    /** The node arguments that run `measure(size)` in a child process and print its JSON. */
    readonly childArgs: (size: number) => string[];
    /** `npm run reach` is also timed when npm is known (npm_execpath). */
    readonly npm?: string;
}

/**
 * Runs the benchmark, writing two lines per size (whole process, then engine; each within 120 columns) and a
 * verdict against the targets.
 */
export function runBenchmark(options: BenchmarkOptions, write: (text: string) => void): void {
    const { runs, reachCli: cli } = options;
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "reach-bench-"));
    const preload = path.join(scratch, "max-rss.js");
    fs.writeFileSync(
        preload,
        'process.on("exit", () => { const u = process.resourceUsage(); process.stderr.write(`bench-usage ${u.maxRSS} ${u.userCPUTime} ${u.systemCPUTime}\\n`); });\n',
    );
    write(`whole process: node ${path.relative(process.cwd(), cli)} FOLDER (YAML files, stdout piped), median of ${runs} runs\n`);
    write("engine: analyze() on the objects in memory, cold, in its own process\n");
    try {
        for (const size of [1, ...options.sizes]) {
            const folder = path.join(scratch, `n${size}`);
            writeCluster(size, folder);
            const processRuns = Array.from({ length: runs }, () => runProcess(cli, folder, preload));
            const seconds = median(processRuns.map((run) => run.seconds));
            const cpuSeconds = median(processRuns.map((run) => run.cpuSeconds));
            const mib = Math.max(...processRuns.map((run) => run.maxRssMiB));
            const engine = runChild(size, options.childArgs);
            const target = PROCESS_TARGETS[size];
            const verdict = target
                ? `; target <= ${target.seconds} s${target.mib ? `, <= ${target.mib} MB` : ""}: ${seconds <= target.seconds && (!target.mib || mib * 1.048576 <= target.mib) ? "PASS" : "FAIL"}`
                : "";
            write(
                `N=${String(size).padEnd(5)} workloads ${String(engine.workloads).padStart(5)}  policies ${String(engine.policies).padStart(5)}  ` +
                    `lines ${String(processRuns[0]!.lines).padStart(6)}  whole process ${seconds.toFixed(3)} s, CPU ${cpuSeconds.toFixed(3)} s, peak RSS ${mib.toFixed(0)} MiB\n`,
            );
            write(`         runs ${processRuns.map((run) => run.seconds.toFixed(2)).join(" ")}  |  engine ${engine.seconds.toFixed(3)} s, peak RSS ${engine.maxRssMiB.toFixed(0)} MiB${verdict}\n`);
        }
        // What `npm run reach` adds on top: npm's own start-up (not ours to shorten), for the record.
        if (options.npm) {
            const npm = options.npm;
            const timings = Array.from({ length: runs }, () => {
                const start = performance.now();
                const result = spawnSync(process.execPath, [npm, "run", "--silent", "reach", "--", path.join(scratch, "n1")], { encoding: "utf8" });
                if (result.status !== 0) throw new Error(`npm run reach failed:\n${result.stderr}`);
                return (performance.now() - start) / 1000;
            });
            write(`N=1 through npm run --silent reach (npm's start-up included): ${median(timings).toFixed(3)} s\n`);
        }
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}
