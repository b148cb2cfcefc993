/** Reading manifests: locations, workloads and owners, namespaces, and errors that name the place. */
import { describe, expect, it } from "vitest";
import { InputError, analyze, formatConnection, formatWarning, parseManifests } from "../../reach";

function analyzeText(text: string, file = "manifests/app.yaml") {
    const loaded = parseManifests(text, file);
    return { loaded, analysis: analyze(loaded.objects) };
}

function inputError(run: () => unknown): InputError {
    try {
        run();
    } catch (error) {
        if (error instanceof InputError) return error;
        throw error;
    }
    throw new Error("expected an InputError");
}

describe("loading manifests", () => {
    it("keeps the line of every document and expands List objects", () => {
        const { objects } = parseManifests(
            [
                "apiVersion: v1",
                "kind: Pod",
                "metadata: {name: a}",
                "---",
                "# comment",
                "apiVersion: v1",
                "kind: List",
                "items:",
                "- apiVersion: v1",
                "  kind: Pod",
                "  metadata: {name: b}",
                "---",
            ].join("\n"),
            "m.yaml",
        );
        expect(objects.map((object) => [object.source?.file, object.source?.line])).toEqual([
            ["m.yaml", 1],
            ["m.yaml", 9],
        ]);
        expect(objects[1]!.source?.lineOf?.(["metadata", "name"])).toBe(11);
    });

    it("reads anchors and aliases (through the positioned parser) with the same objects and lines", () => {
        const { objects } = parseManifests(
            ["apiVersion: v1", "kind: List", "items:", "- kind: Pod", "  apiVersion: v1", "  metadata: {name: a, labels: &common {app: web}}", "- kind: Pod", "  apiVersion: v1", "  metadata:", "    name: b", "    labels: *common"].join("\n"),
            "anchors.yaml",
        );
        expect(objects.map((object) => (object.object as { metadata: { labels: unknown } }).metadata.labels)).toEqual([{ app: "web" }, { app: "web" }]);
        expect(objects.map((object) => [object.source?.line, object.source?.lineOf?.(["metadata", "labels"])])).toEqual([
            [4, 6],
            [7, 11],
        ]);
        // An alias cannot reach into another document: a located error, not a crash.
        const error = inputError(() => parseManifests("a: &x 1\n---\nb: *x\n", "cross.yaml"));
        expect(error.message).toMatch(/^cross\.yaml:3: invalid YAML: /);
    });

    it("reports malformed YAML with file:line", () => {
        const error = inputError(() => parseManifests("a: 1\n---\nb: [1,\n", "bad.yaml"));
        expect(error.message).toMatch(/^bad\.yaml:\d+: invalid YAML: /);
        expect(error.line).toBeGreaterThanOrEqual(3);
    });
});

describe("workloads", () => {
    it("reports pods under their controller (present or not), ReplicaSets under their present Deployment", () => {
        const { analysis } = analyzeText(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec: {template: {metadata: {labels: {app: web}}}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-5d9f
  namespace: shop
  ownerReferences: [{kind: Deployment, name: web, controller: true}]
spec: {template: {metadata: {labels: {app: web}}}}
---
apiVersion: v1
kind: Pod
metadata:
  name: web-5d9f-abcde
  namespace: shop
  labels: {app: web}
  ownerReferences: [{kind: ReplicaSet, name: web-5d9f, controller: true}]
---
apiVersion: v1
kind: Pod
metadata:
  name: orphan-xyz
  namespace: shop
  ownerReferences: [{kind: ReplicaSet, name: gone, controller: true}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: shop}
spec: {jobTemplate: {spec: {template: {metadata: {labels: {app: report}}}}}}
`);
        expect(analysis.workloads.map((workload) => workload.display)).toEqual([
            "shop/gone[ReplicaSet]",
            "shop/report[CronJob]",
            "shop/web[Deployment]",
        ]);
    });

    it("gives implicit namespaces the kubernetes.io/metadata.name label, and declared ones too", () => {
        const { analysis } = analyzeText(`
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: blue}}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: probe, namespace: tools}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-tools, namespace: shop}
spec:
  podSelector: {}
  ingress:
  - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: tools}}}]
  - from: [{namespaceSelector: {matchLabels: {team: blue, kubernetes.io/metadata.name: shop}}}]
`);
        const lines = analysis.connections.map(formatConnection).filter((line) => line.includes("=> shop/api"));
        expect(lines).toEqual(["shop/api[Pod] => shop/api[Pod] : All Connections", "tools/probe[Pod] => shop/api[Pod] : All Connections"]);
    });

    it("warns once per unsupported kind with file:line", () => {
        const { analysis } = analyzeText("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n", "manifests/x.yaml");
        expect(analysis.warnings.map(formatWarning)).toEqual(["warning: manifests/x.yaml:1: skipping unsupported kind ConfigMap"]);
    });
});

describe("bad input names the place and the reason", () => {
    const policy = (spec: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
${spec}`;

    it("a bad CIDR", () => {
        const error = inputError(() => analyzeText(policy("  podSelector: {}\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.0.0.0/33}\n")));
        expect(error.message).toBe('manifests/app.yaml:8: spec.egress[0].to[0].ipBlock.cidr: invalid CIDR "10.0.0.0/33": expected an address and prefix like 10.0.0.0/8');
    });

    it("an except outside its cidr", () => {
        const error = inputError(() =>
            analyzeText(policy("  podSelector: {}\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.0/8\n        except:\n        - 192.168.0.0/16\n")),
        );
        expect(error.message).toBe("manifests/app.yaml:11: spec.egress[0].to[0].ipBlock.except[0]: except 192.168.0.0/16 is not inside cidr 10.0.0.0/8");
    });

    it("an invalid Calico selector, with its column", () => {
        const error = inputError(() =>
            analyzeText(`apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: g}
spec:
  selector: (app == 'web'
`),
        );
        expect(error.message).toBe(`manifests/app.yaml:5: spec.selector: invalid selector at column 14: expected ')', found end of selector in "(app == 'web'"`);
    });

    it("a wrongly typed field, an endPort on a named port, an unknown operator", () => {
        expect(inputError(() => analyzeText(policy("  podSelector: {}\n  ingress:\n  - ports: [{port: true}]\n"))).message).toBe(
            "manifests/app.yaml:7: spec.ingress[0].ports[0].port: expected number or string, found boolean",
        );
        expect(inputError(() => analyzeText(policy("  podSelector: {}\n  ingress:\n  - ports: [{port: http, endPort: 90}]\n"))).message).toBe(
            "manifests/app.yaml:7: spec.ingress[0].ports[0].endPort: endPort needs a numeric port, not a named port",
        );
        expect(
            inputError(() => analyzeText(policy("  podSelector:\n    matchExpressions: [{key: a, operator: Has}]\n"))).message,
        ).toBe('manifests/app.yaml:6: spec.podSelector.matchExpressions[0].operator: unknown operator "Has"; expected In, NotIn, Exists or DoesNotExist');
    });

    it("a duplicate object", () => {
        const pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\n";
        expect(inputError(() => analyzeText(`${pod}---\n${pod}`)).message).toBe(
            "manifests/app.yaml:5: duplicate Pod shop/p (first defined at manifests/app.yaml:1)",
        );
    });
});
