import { describe, expect, it } from "vitest";
import { readStackConfig, StackConfig, projectConfigValues } from "../../core/config";
import { ConfigError } from "../../core/common";
import { CALICO_RELEASES, calicoCompatibilityWarning, calicoRelease, calicoV3Problems, type KubeObject } from "../../core/calico";
import { renderRepresentativeWorkloads, renderSegmentation, RenderedSegmentation } from "../../core/policies";
import { asEnforced, asManifests, checkIntent } from "../../core/proof";
import { analyze, ConnectionSet, explain, formatConnection } from "../../reach";
import { stackConfig } from "../helpers/stack";

function config(stack: "dev" | "prod", change: (values: Record<string, any>) => void = () => undefined): StackConfig {
    const values = structuredClone(projectConfigValues(stackConfig(stack))) as Record<string, any>;
    change(values);
    return readStackConfig(values, stack);
}

const selfManaged = (values: Record<string, any>) => { values.cluster.calico = { mode: "self-managed", version: "3.33.1" }; };

function problemsOf(change: (values: Record<string, any>) => void): string[] {
    try {
        config("prod", change);
    } catch (error) {
        if (error instanceof ConfigError) return error.problems.map((problem) => `${problem.path}: ${problem.message}`);
        throw error;
    }
    return [];
}

function objectsOf(rendered: RenderedSegmentation): KubeObject[] {
    return [...rendered.tiers, ...rendered.globalPolicies, ...rendered.namespaces.flatMap((set) => [set.namespaceObject, ...set.allowPolicies, ...set.denyPolicies])];
}

describe("cluster.calico in stack config", () => {
    it("self-managed pins a release from the supported list and asks AKS for no engine of its own", () => {
        const read = config("prod", selfManaged);
        expect(read.cluster.calico).toEqual({ mode: "self-managed", release: calicoRelease("3.33.1") });
        expect(read.cluster.networkPolicy).toBe("none");
        expect(config("prod").cluster).toMatchObject({ calico: { mode: "aks-managed" }, networkPolicy: "calico" });
    });

    it("refuses a missing or unknown version, a version in aks-managed mode, and an AKS engine under self-managed Calico", () => {
        const supported = CALICO_RELEASES.map((release) => release.version).join(", ");
        expect(problemsOf((values) => { values.cluster.calico = { mode: "self-managed" }; })).toEqual([
            `aks-zero-trust:cluster.calico.version: is required in self-managed mode: pin one of the supported Calico releases (${supported}; read 2026-12-07)`,
        ]);
        expect(problemsOf((values) => { values.cluster.calico = { mode: "self-managed", version: "3.29.4" }; })[0]).toMatch(/^aks-zero-trust:cluster\.calico\.version: "3\.29\.4" is not a supported Calico release \(expected one of 3\.30\.7, /);
        expect(problemsOf((values) => { values.cluster.calico = { version: "3.33.1" }; })[0]).toMatch(/^aks-zero-trust:cluster\.calico\.version: is set, but in aks-managed mode AKS installs Calico/);
        expect(problemsOf((values) => { selfManaged(values); values.cluster.networkPolicy = "calico"; })[0]).toMatch(/^aks-zero-trust:cluster\.networkPolicy: is "calico", but self-managed Calico needs AKS to install no policy engine/);
        expect(problemsOf((values) => { values.cluster.calico = { mode: "self-managing" }; })[0]).toMatch(/^aks-zero-trust:cluster\.calico\.mode: expected one of "aks-managed", "self-managed"/);
    });

    it("warns, without refusing, when Tigera does not test the pinned release against the cluster's Kubernetes minor", () => {
        expect(calicoCompatibilityWarning(calicoRelease("3.33.1")!, "1.36")).toBeUndefined();
        expect(calicoCompatibilityWarning(calicoRelease("3.32.2")!, "1.36.2")).toBeUndefined();
        expect(calicoCompatibilityWarning(calicoRelease("3.30.7")!, "1.36")).toBe(
            "Calico 3.30.7 is tested by Tigera against Kubernetes 1.31, 1.32, 1.33, 1.34, 1.35, not 1.36 (system requirements, read 2026-12-07); releases tested against 1.36: 3.32.2, 3.33.1",
        );
    });

    it("follows Tigera's lists as widened in January 2026: 3.30 and 3.31 are tested against 1.34 and 1.35 too", () => {
        // tigera/docs calico_versioned_docs/version-3.30 and version-3.31 _includes/partials/_system-requirements.mdx
        // (commit f81996f "Add k8s versions to OSS 3.30 and 3.31"): 3.30 lists v1.31-v1.35, 3.31 lists 1.32-1.35.
        expect(calicoCompatibilityWarning(calicoRelease("3.30.7")!, "1.35")).toBeUndefined();
        expect(calicoCompatibilityWarning(calicoRelease("3.31.7")!, "1.35.1")).toBeUndefined();
        expect(calicoCompatibilityWarning(calicoRelease("3.31.7")!, "1.36")).toMatch(/^Calico 3\.31\.7 is tested by Tigera against Kubernetes 1\.32, 1\.33, 1\.34, 1\.35, not 1\.36 /);
        expect(calicoCompatibilityWarning(calicoRelease("3.30.7")!, "1.30")).toMatch(/, not 1\.30 \(system requirements/);
    });
});

describe("policies on the v3 API (self-managed)", () => {
    const audit = renderSegmentation(config("dev").segmentation!, "self-managed");
    const enforce = renderSegmentation(config("prod", selfManaged).segmentation!, "self-managed");

    it("creates no crd.projectcalico.org/v1 object, in audit or enforce", () => {
        for (const rendered of [audit, enforce]) {
            expect(objectsOf(rendered).filter((object) => object.apiVersion.startsWith("crd.projectcalico.org"))).toEqual([]);
        }
    });

    it("holds the platform's rules in a tier ordered before the default tier, passing on what they do not decide", () => {
        expect(enforce.tiers).toEqual([expect.objectContaining({ apiVersion: "projectcalico.org/v3", kind: "Tier", metadata: expect.objectContaining({ name: "platform" }), spec: { order: 100, defaultAction: "Pass" } })]);
        expect(enforce.globalPolicies.map((policy) => `${policy.kind} ${policy.metadata.name}`)).toEqual([
            "GlobalNetworkPolicy platform.metadata-service-guardrail",
            "GlobalNetworkPolicy platform.infra-monitoring-ingress",
            "GlobalNetworkPolicy platform.infra-monitoring-egress",
            "GlobalNetworkPolicy platform.infra-monitoring-accept",
            "GlobalNetworkPolicy platform.peer-ingress-nginx",
            "GlobalNetworkPolicy platform.deny-kubernetes-api-enforce",
            "GlobalNetworkPolicy platform.deny-kubernetes-api-undeclared",
            "GlobalNetworkPolicy platform.zero-trust-baseline",
        ]);
        for (const policy of enforce.globalPolicies) expect((policy.spec as any).tier, policy.metadata.name).toBe("platform");
    });

    it("audit stages what enforce will add, keeps the guardrail and infrastructure enforced, and allows nothing by a trailing Allow", () => {
        expect(audit.globalPolicies.map((policy) => `${policy.kind} ${policy.metadata.name}`)).toEqual([
            "GlobalNetworkPolicy platform.metadata-service-guardrail",
            "GlobalNetworkPolicy platform.infra-monitoring-ingress",
            "GlobalNetworkPolicy platform.infra-monitoring-egress",
            "GlobalNetworkPolicy platform.infra-monitoring-accept",
            "GlobalNetworkPolicy platform.peer-ingress-nginx",
            "StagedGlobalNetworkPolicy platform.deny-kubernetes-api-audit",
            "GlobalNetworkPolicy platform.deny-kubernetes-api-undeclared",
            "StagedGlobalNetworkPolicy platform.zero-trust-baseline",
        ]);
        const shop = audit.namespaces[0]!;
        for (const policy of [...shop.allowPolicies, ...shop.denyPolicies]) {
            expect(policy.kind, policy.metadata.name).toMatch(/^Staged/);
            expect((policy.spec as any).stagedAction).toBe("Set");
        }
        for (const object of objectsOf(audit)) {
            for (const direction of ["ingress", "egress"]) {
                const rules = ((object.spec ?? {}) as any)[direction] as Array<Record<string, unknown>> | undefined;
                if (!rules || object.apiVersion !== "projectcalico.org/v3") continue;
                const last = rules[rules.length - 1]!;
                expect(last.action === "Allow" && Object.keys(last).length === 1, `${object.kind} ${object.metadata.name} ${direction} ends with a bare Allow`).toBe(false);
            }
        }
        // The guardrail is the same object in both modes: never staged.
        expect(audit.globalPolicies[0]).toEqual(enforce.globalPolicies[0]);
    });

    it("passes Calico's v3 rules: the rendered objects have no problem, and the checks bite", () => {
        expect(calicoV3Problems(objectsOf(audit))).toEqual([]);
        expect(calicoV3Problems(objectsOf(enforce))).toEqual([]);
        const guardrail = enforce.globalPolicies[0]!;
        const broken: KubeObject[] = [
            { ...guardrail, spec: { ...guardrail.spec, tier: "security" } },
            { ...guardrail, metadata: { ...guardrail.metadata, name: "metadata-service-guardrail" } },
            { ...enforce.tiers[0]!, spec: { order: 2_000_000, defaultAction: "Drop" } },
            { ...guardrail, kind: "StagedGlobalNetworkPolicy", spec: { ...guardrail.spec, stagedAction: "Apply", selector: "app ==" } },
        ];
        expect(calicoV3Problems([enforce.tiers[0]!, ...broken]).map((problem) => `${problem.object} ${problem.path}: ${problem.message.split(":")[0]}`)).toEqual([
            `GlobalNetworkPolicy platform.metadata-service-guardrail spec.tier: names tier "security", which is not rendered`,
            `GlobalNetworkPolicy platform.metadata-service-guardrail metadata.name: "platform.metadata-service-guardrail" does not fit tier security`,
            `GlobalNetworkPolicy metadata-service-guardrail metadata.name: "metadata-service-guardrail" does not fit tier platform`,
            `Tier platform spec.order: is 2000000, not before the default tier (1000000)`,
            `Tier platform spec.defaultAction: expected Deny or Pass, found "Drop"`,
            `StagedGlobalNetworkPolicy platform.metadata-service-guardrail spec.stagedAction: expected one of Set, Delete, Learn, Ignore, found "Apply"`,
            expect.stringMatching(/^StagedGlobalNetworkPolicy platform\.metadata-service-guardrail spec\.selector: /),
        ]);
    });

    it("the intent check passes in both Calico modes, in audit (staged, as enforced) and enforce", () => {
        for (const [stack, change] of [["dev", selfManaged], ["dev", (values: Record<string, any>) => { values.cluster.calico = { mode: "aks-managed" }; }], ["prod", selfManaged], ["prod", () => undefined]] as const) {
            const read = config(stack, change);
            const rendered = renderSegmentation(read.segmentation!, read.cluster.calico.mode);
            const check = checkIntent(read.segmentation!, objectsOf(rendered), renderRepresentativeWorkloads(read.segmentation!));
            expect(check.violations, `${stack} ${read.cluster.calico.mode}`).toEqual([]);
            expect(check.passed).toBe(true);
        }
    });

    it("in self-managed audit mode the metadata-service guardrail still drops: no pod outside the system namespaces reaches IMDS or WireServer", () => {
        const intent = config("dev").segmentation!;
        const analysis = analyze(asManifests([...objectsOf(audit), ...renderRepresentativeWorkloads(intent)]));
        const platform = analysis.connections.filter((connection) => /169\.254\.169\.254|168\.63\.129\.16/.test(connection.destination.display)).map(formatConnection);
        // Only kube-system (a system namespace the guardrail exempts: coredns and konnectivity-agent) reaches them.
        expect(platform).toEqual([
            "kube-system/coredns[Pod] => 168.63.129.16[External] : All Connections",
            "kube-system/coredns[Pod] => 169.254.169.254[External] : All Connections",
            "kube-system/konnectivity-agent[Pod] => 168.63.129.16[External] : All Connections",
            "kube-system/konnectivity-agent[Pod] => 169.254.169.254[External] : All Connections",
        ]);
        // While audit lets the rest through: shop/frontend still reaches the database today.
        expect(analysis.connections.map(formatConnection)).toContain("shop/frontend[Pod] => shop/database[Pod] : All Connections");
    });

    it("dev on self-managed Calico, as is and as enforced: staged policies decide nothing today, the platform tier's enforced policies do", () => {
        // Expectations from Felix's semantics, not from the engine: staged policies are never programmed (a tier whose
        // policies for an endpoint are all staged has no end-of-tier drop); the platform tier (defaultAction Pass)
        // drops only what its enforced policies deny and passes the rest; the default tier then decides with the
        // enforced namespace policies, and what no tier selects is allowed. shop is in audit: all its policies, the
        // baseline and the app namespaces' API-server deny are staged; the guardrail and the undeclared namespaces'
        // API-server deny are not.
        const intent = config("dev").segmentation!;
        const objects = [...objectsOf(audit), ...renderRepresentativeWorkloads(intent)];
        const table = (analysis: ReturnType<typeof analyze>) => (cells: ReadonlyArray<readonly [string, string, number]>) =>
            Object.fromEntries(cells.map(([from, to, port]) => [`${from} => ${to}:${port}`, !explain(analysis, from, to).verdict.intersect(ConnectionSet.ports("TCP", port)).isEmpty()]));
        const cells = [
            ["shop/frontend", "shop/database", 5432],
            ["shop/database", "shop/frontend", 8080],
            ["undeclared-namespace/probe", "shop/frontend", 8080],
            ["shop/frontend", "undeclared-namespace/probe", 80],
            ["shop/backend", "default/kubernetes", 443],
            ["undeclared-namespace/probe", "default/kubernetes", 443],
            ["shop/frontend", "169.254.169.254", 80],
            ["undeclared-namespace/probe", "168.63.129.16", 32526],
        ] as const;
        expect(table(analyze(asManifests(objects)))(cells)).toEqual({
            "shop/frontend => shop/database:5432": true,
            "shop/database => shop/frontend:8080": true,
            "undeclared-namespace/probe => shop/frontend:8080": true,
            "shop/frontend => undeclared-namespace/probe:80": true,
            "shop/backend => default/kubernetes:443": true,
            "undeclared-namespace/probe => default/kubernetes:443": false,
            "shop/frontend => 169.254.169.254:80": false,
            "undeclared-namespace/probe => 168.63.129.16:32526": false,
        });
        // As enforced: the intent holds (frontend reaches the database only through backend; nothing reaches or leaves
        // the undeclared namespace but DNS; no app pod without kubernetesApi reaches the API server).
        expect(table(analyze(asManifests(asEnforced(objects))))(cells)).toEqual({
            "shop/frontend => shop/database:5432": false,
            "shop/database => shop/frontend:8080": false,
            "undeclared-namespace/probe => shop/frontend:8080": false,
            "shop/frontend => undeclared-namespace/probe:80": false,
            "shop/backend => default/kubernetes:443": false,
            "undeclared-namespace/probe => default/kubernetes:443": false,
            "shop/frontend => 169.254.169.254:80": false,
            "undeclared-namespace/probe => 168.63.129.16:32526": false,
        });
    });

    it("switching modes changes no connection once enforced: both renderings allow exactly the same flows, in audit and enforce stacks", () => {
        for (const stack of ["dev", "prod"] as const) {
            const intent = config(stack).segmentation!;
            const pods = renderRepresentativeWorkloads(intent);
            const enforced = (rendered: RenderedSegmentation) => analyze(asManifests([...asEnforced(objectsOf(rendered)), ...pods])).connections.map(formatConnection);
            const managed = enforced(renderSegmentation(intent, "aks-managed"));
            expect(managed.length, stack).toBeGreaterThan(20);
            expect(enforced(renderSegmentation(intent, "self-managed")), stack).toEqual(managed);
        }
    });
});
