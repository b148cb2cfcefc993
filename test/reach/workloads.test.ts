/** Cluster dumps as users feed them: typed lists, `kind: List`, and pods reported under their owners. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError, analyze, diffConnections, formatConnection, formatWarning, loadManifestPaths, parseManifests, podWorkloads } from "../../reach";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "reach-workloads-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>): string {
    const root = path.join(scratch, name);
    for (const [file, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), text);
    }
    return root;
}

function lines(paths: string[]): string[] {
    return analyze(loadManifestPaths(paths).objects).connections.map(formatConnection);
}

// A small cluster where namespace labels and pods both decide the matrix: api accepts TCP 8080 only from
// namespaces labelled team=shop; tools is not; every namespace's pods would reach api if the policy were lost.
const namespaces = [
    { metadata: { name: "shop", labels: { team: "shop" } } },
    { metadata: { name: "tools", labels: { team: "ops" } } },
];
const pods = [
    { metadata: { name: "api-7d4b9-abcde", namespace: "shop", labels: { app: "api" } }, spec: { containers: [{ name: "api", ports: [{ containerPort: 8080 }] }] } },
    { metadata: { name: "web-1", namespace: "shop", labels: { app: "web" } }, spec: { containers: [{ name: "web" }] } },
    { metadata: { name: "probe", namespace: "tools", labels: { app: "probe" } }, spec: { containers: [{ name: "probe" }] } },
];
const policies = [
    {
        metadata: { name: "api-from-shop", namespace: "shop" },
        spec: {
            podSelector: { matchLabels: { app: "api" } },
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "shop" } } }], ports: [{ port: 8080 }] }],
        },
    },
];

describe("typed lists", () => {
    it("a NamespaceList, PodList and NetworkPolicyList dump read as a folder gives the matrix of the same objects one by one", () => {
        const typed = folder("typed", {
            // JSON, as `kubectl get --raw` and client libraries return lists: items carry neither kind nor apiVersion.
            "namespaces.json": JSON.stringify({ apiVersion: "v1", kind: "NamespaceList", metadata: {}, items: namespaces }, null, 2),
            "nested/pods.json": JSON.stringify({ apiVersion: "v1", kind: "PodList", items: pods }, null, 2),
            "nested/deeper/policies.yaml": `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicyList\nitems:\n${policies
                .map((policy) => `- ${JSON.stringify(policy)}`)
                .join("\n")}\n`,
        });
        const document = (apiVersion: string, kind: string, object: object) => `${JSON.stringify({ apiVersion, kind, ...object })}\n---\n`;
        const single = folder("single", {
            "all.yaml": [
                ...namespaces.map((object) => document("v1", "Namespace", object)),
                ...pods.map((object) => document("v1", "Pod", object)),
                ...policies.map((object) => document("networking.k8s.io/v1", "NetworkPolicy", object)),
            ].join(""),
        });
        const expected = lines([single]);
        // The one-by-one reading is itself right: probe (team=ops) cannot reach api, web (team=shop) only on TCP 8080.
        expect(expected).toContain("shop/web-1[Pod] => shop/api-7d4b9-abcde[Pod] : TCP 8080");
        expect(expected.filter((line) => line.startsWith("tools/probe[Pod] => shop/api"))).toEqual([]);
        expect(lines([typed])).toEqual(expected);
        expect(loadManifestPaths([typed]).warnings).toEqual([]);
    });

    it("gives each item of a typed list the list's apiVersion, so a Calico NetworkPolicyList stays Calico", () => {
        const { objects } = parseManifests(
            "apiVersion: projectcalico.org/v3\nkind: NetworkPolicyList\nitems:\n- metadata: {name: p, namespace: shop}\n  spec: {selector: all()}\n",
            "calico.yaml",
        );
        expect(objects.map((object) => object.object)).toEqual([
            { apiVersion: "projectcalico.org/v3", kind: "NetworkPolicy", metadata: { name: "p", namespace: "shop" }, spec: { selector: "all()" } },
        ]);
        expect(analyze(objects).policies.map((policy) => policy.kind)).toEqual(["CalicoNetworkPolicy"]);
    });

    it("reads `kind: List` with mixed items, each keeping its own kind", () => {
        const { objects } = parseManifests(
            [
                "apiVersion: v1",
                "kind: List",
                "items:",
                "- {apiVersion: v1, kind: Namespace, metadata: {name: shop}}",
                "- {apiVersion: v1, kind: Pod, metadata: {name: a, namespace: shop}}",
                "- {metadata: {name: no-kind}}",
            ].join("\n"),
            "list.yaml",
        );
        const analysis = analyze(objects);
        expect(analysis.workloads.map((workload) => workload.display)).toEqual(["shop/a[Pod]"]);
        expect(analysis.warnings.map(formatWarning)).toEqual(["warning: list.yaml:6: skipping an object without kind"]);
    });

    it("points errors inside a list item at the item's own line", () => {
        const text = [
            "apiVersion: v1",
            "kind: PodList",
            "items:",
            "- metadata: {name: fine}",
            "- metadata:",
            "    name: broken",
            "  spec:",
            "    containers: {name: x}",
        ].join("\n");
        let error: unknown;
        try {
            analyze(parseManifests(text, "pods.yaml").objects);
        } catch (caught) {
            error = caught;
        }
        expect(error).toBeInstanceOf(InputError);
        expect((error as InputError).message).toBe("pods.yaml:8: spec.containers: expected array, found object");
    });

    it("warns once per unsupported kind, at its first object", () => {
        const { objects } = parseManifests(
            "apiVersion: v1\nkind: ConfigMapList\nitems:\n- metadata: {name: a}\n- metadata: {name: b}\n- metadata: {name: c}\n",
            "cm.yaml",
        );
        expect(analyze(objects).warnings.map(formatWarning)).toEqual(["warning: cm.yaml:4: skipping unsupported kind ConfigMap (3 objects)"]);
    });
});

/** A pod of a dump: name, labels, controlling owner. */
function pod(namespace: string, name: string, labels: Record<string, string>, owner?: [string, string]): object {
    return {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace, labels, ...(owner ? { ownerReferences: [{ apiVersion: "apps/v1", kind: owner[0], name: owner[1], controller: true, uid: "x" }] } : {}) },
        spec: { containers: [{ name: "c", ports: [{ name: "http", containerPort: 8080 }] }] },
    };
}

function controller(kind: string, namespace: string, name: string, labels: Record<string, string>, owner?: [string, string], replicas?: number): object {
    const template = { metadata: { labels }, spec: { containers: [{ name: "c" }] } };
    return {
        apiVersion: kind === "Job" || kind === "CronJob" ? "batch/v1" : "apps/v1",
        kind,
        metadata: { name, namespace, ...(owner ? { ownerReferences: [{ kind: owner[0], name: owner[1], controller: true }] } : {}) },
        spec: kind === "CronJob" ? { jobTemplate: { spec: { template } } } : { replicas, template },
    };
}

function dump(objects: object[]): string {
    return objects.map((object) => JSON.stringify(object)).join("\n---\n");
}

/** A namespace where only app=web may reach app=api, and the pods of a typical dump. */
function clusterDump(podSuffix: string): object[] {
    return [
        {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: { name: "api", namespace: "shop" },
            spec: { podSelector: { matchLabels: { app: "api" } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: "web" } } }] }] },
        },
        pod("shop", `web-99684f7f8-${podSuffix}1`, { app: "web", "pod-template-hash": "99684f7f8" }, ["ReplicaSet", "web-99684f7f8"]),
        pod("shop", `web-99684f7f8-${podSuffix}2`, { app: "web", "pod-template-hash": "99684f7f8" }, ["ReplicaSet", "web-99684f7f8"]),
        pod("shop", `api-5d9f-${podSuffix}1`, { app: "api", "pod-template-hash": "5d9f" }, ["ReplicaSet", "api-5d9f"]),
        pod("shop", `agent-${podSuffix}`, { app: "agent" }, ["DaemonSet", "agent"]),
        pod("shop", `db-0`, { app: "db" }, ["StatefulSet", "db"]),
        pod("shop", `report-28340-${podSuffix}`, { app: "report" }, ["Job", "report-28340"]),
        pod("shop", `migrate-${podSuffix}`, { app: "migrate" }, ["Job", "migrate"]),
        controller("Job", "shop", "report-28340", { app: "report" }, ["CronJob", "report"]),
        controller("CronJob", "shop", "report", { app: "report" }),
        pod("shop", "debug", { app: "debug" }),
        // Mirror pods of static pods name their Node as controller; they stay pods.
        pod("shop", `static-a-node1`, { component: "a" }, ["Node", "node1"]),
        pod("shop", `static-b-node1`, { component: "b" }, ["Node", "node1"]),
    ];
}

describe("workloads by owner", () => {
    it("reports pods under their controlling owner, up the chain as far as owners are present; bare pods by name", () => {
        const analysis = analyze(parseManifests(dump(clusterDump("a")), "dump.yaml").objects);
        expect(analysis.workloads.map((workload) => workload.display)).toEqual([
            "shop/agent[DaemonSet]",
            "shop/api-5d9f[ReplicaSet]",
            "shop/db[StatefulSet]",
            "shop/debug[Pod]",
            "shop/migrate[Job]",
            "shop/report[CronJob]",
            "shop/static-a-node1[Pod]",
            "shop/static-b-node1[Pod]",
            "shop/web-99684f7f8[ReplicaSet]",
        ]);
        expect(analysis.warnings).toEqual([]);
        // The pods' own labels are what policies select: web reaches api, debug does not.
        const lines = analysis.connections.map(formatConnection);
        expect(lines).toContain("shop/web-99684f7f8[ReplicaSet] => shop/api-5d9f[ReplicaSet] : All Connections");
        expect(lines.filter((line) => line.startsWith("shop/debug[Pod] => shop/api"))).toEqual([]);
    });

    it("reports a ReplicaSet's pods under its Deployment when both are in the input", () => {
        const objects = [
            controller("Deployment", "shop", "web", { app: "web" }),
            controller("ReplicaSet", "shop", "web-99684f7f8", { app: "web", "pod-template-hash": "99684f7f8" }, ["Deployment", "web"]),
            // An old ReplicaSet scaled to zero has no pods and adds no workload, with or without its Deployment.
            controller("ReplicaSet", "shop", "web-5b5b5b5b5", { app: "web", "pod-template-hash": "5b5b5b5b5" }, ["Deployment", "web"], 0),
            pod("shop", "web-99684f7f8-x1", { app: "web", "pod-template-hash": "99684f7f8" }, ["ReplicaSet", "web-99684f7f8"]),
        ];
        const loaded = parseManifests(dump(objects), "dump.yaml").objects;
        expect(analyze(loaded).workloads.map((workload) => workload.display)).toEqual(["shop/web[Deployment]"]);
        expect(podWorkloads(loaded)).toEqual([{ namespace: "shop", pod: "web-99684f7f8-x1", kind: "Deployment", name: "web", display: "shop/web[Deployment]" }]);
        // Without the Deployment, the ReplicaSet is as far as the chain goes.
        expect(analyze(parseManifests(dump(objects.slice(1)), "dump.yaml").objects).workloads.map((workload) => workload.display)).toEqual([
            "shop/web-99684f7f8[ReplicaSet]",
        ]);
    });

    it("splits pods of one owner whose labels differ, with suffixes that do not depend on input order, and warns once", () => {
        const objects = [
            pod("shop", "web-1", { app: "web", track: "stable" }, ["ReplicaSet", "web-1a"]),
            pod("shop", "web-2", { app: "web", track: "stable" }, ["ReplicaSet", "web-1a"]),
            pod("shop", "web-3", { app: "web", track: "canary" }, ["ReplicaSet", "web-1a"]),
        ];
        const forward = analyze(parseManifests(dump(objects), "dump.yaml").objects);
        const backward = analyze(parseManifests(dump([...objects].reverse()), "dump.yaml").objects);
        const names = forward.workloads.map((workload) => workload.display);
        expect(names).toHaveLength(2);
        for (const name of names) expect(name).toMatch(/^shop\/web-1a~[0-9a-z]{7}\[ReplicaSet\]$/);
        expect(backward.workloads.map((workload) => workload.display)).toEqual(names);
        expect(forward.warnings).toHaveLength(1);
        expect(formatWarning(forward.warnings[0]!)).toMatch(/pods of shop\/web-1a\[ReplicaSet\] differ in labels.*reported as 2 workloads: .*\(2 pods\).*\(1 pod\)|\(1 pod\).*\(2 pods\)/);
        // The two groups keep their own labels: the stable pods are one workload, the canary the other.
        const stable = podWorkloads(parseManifests(dump(objects), "dump.yaml").objects);
        expect(stable[0]!.display).toBe(stable[1]!.display);
        expect(stable[2]!.display).not.toBe(stable[0]!.display);
    });

    it("splits pods of one owner that differ only in service account, and warns: Calico rules can select by it", () => {
        const withAccount = (name: string, account: string) => ({ ...pod("shop", name, { app: "web" }, ["ReplicaSet", "web-1a"]), spec: { serviceAccountName: account, containers: [{ name: "c" }] } });
        const objects = [
            withAccount("web-1", "web"),
            withAccount("web-2", "web-admin"),
            pod("shop", "db-0", { app: "db" }),
            // Only the web-admin account may reach db: one merged workload would make the two pods look alike.
            { apiVersion: "crd.projectcalico.org/v1", kind: "NetworkPolicy", metadata: { name: "db", namespace: "shop" }, spec: { order: 10, selector: "app == 'db'", types: ["Ingress"], ingress: [{ action: "Allow", source: { serviceAccounts: { names: ["web-admin"] } } }] } },
        ];
        const analysis = analyze(parseManifests(dump(objects), "dump.yaml").objects);
        const webs = analysis.workloads.filter((workload) => workload.name.startsWith("web-1a"));
        expect(webs).toHaveLength(2);
        expect(analysis.warnings.map(formatWarning)).toEqual([expect.stringMatching(/pods of shop\/web-1a\[ReplicaSet\] differ in labels, service account, ports or host network; reported as 2 workloads/)]);
        const toDb = analysis.connections.map(formatConnection).filter((line) => line.includes("=> shop/db-0[Pod]") && line.startsWith("shop/web-1a"));
        expect(toDb).toHaveLength(1);
        const admin = podWorkloads(parseManifests(dump(objects), "dump.yaml").objects).find((entry) => entry.pod === "web-2")!;
        expect(toDb[0]).toBe(`${admin.display} => shop/db-0[Pod] : All Connections`);
    });

    it("a pod restart (new pod names, same owners) changes nothing in reach diff", () => {
        const before = analyze(parseManifests(dump(clusterDump("a")), "before.yaml").objects);
        const after = analyze(parseManifests(dump(clusterDump("z")), "after.yaml").objects);
        expect(before.connections.length).toBeGreaterThan(0);
        const diff = diffConnections(before.connections, after.connections);
        expect(diff).toEqual({ added: [], removed: [] });
    });
});
