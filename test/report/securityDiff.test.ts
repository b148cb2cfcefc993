import { describe, expect, it } from "vitest";
import type { PolicyResult } from "../../offline/runtime";
import { COMMENT_SECTION_BUDGET, formatSecurityDiff, PlanSecurityJson, securityDiff, securityDiffFlowchart, verdictLine } from "../../offline/report";
import type { WorkloadFacts } from "../../offline/report";
import { DATA_TIER_INGRESS_ALLOWLIST, WEB_TIER_NEVER_REACHES_DATA_TIER } from "../../policy-pack/policies";
import { securityDiffComment } from "../helpers/githubScript";
import { parseFlowchart } from "../helpers/mermaid";

/**
 * The security diff's decisions, in-process, on two hand-written sides of the dev stack (the shape `npm run plan
 * -- --format json` prints). test/cli/diff.test.ts runs the real command end to end on scratch commits.
 */

const DEV_WORKLOADS: WorkloadFacts[] = [
    { entity: "kube-system/coredns[Pod]", labels: { "k8s-app": "kube-dns" }, fqdns: [] },
    { entity: "monitoring/monitoring-agent[Pod]", labels: { "app.kubernetes.io/name": "prometheus" }, fqdns: [] },
    { entity: "shop/backend[Pod]", labels: { app: "backend", tier: "api" }, fqdns: ["api.stripe.com Https:443"] },
    { entity: "shop/database[Pod]", labels: { app: "database", tier: "data" }, fqdns: [] },
    { entity: "shop/frontend[Pod]", labels: { app: "frontend", tier: "web" }, fqdns: [] },
];

const DEV_CONNECTIONS = [
    "monitoring/monitoring-agent[Pod] => default/kubernetes[APIServer] : TCP 443",
    "monitoring/monitoring-agent[Pod] => kube-system/coredns[Pod] : TCP 53,UDP 53",
    "monitoring/monitoring-agent[Pod] => shop/database[Pod] : TCP 9090,9187",
    "shop/backend[Pod] => kube-system/coredns[Pod] : TCP 53,UDP 53",
    "shop/backend[Pod] => shop/database[Pod] : TCP 5432",
    "shop/backend[Pod] => 0.0.0.0-9.255.255.255[External] : TCP 443",
    "shop/backend[Pod] => 11.0.0.0-100.63.255.255[External] : TCP 443",
    "shop/frontend[Pod] => kube-system/coredns[Pod] : TCP 53,UDP 53",
    "shop/frontend[Pod] => shop/backend[Pod] : TCP 80",
];

const PASSING: PolicyResult[] = [
    { policy: WEB_TIER_NEVER_REACHES_DATA_TIER, enforcementLevel: "mandatory", violations: [] },
    { policy: DATA_TIER_INGRESS_ALLOWLIST, enforcementLevel: "mandatory", violations: [] },
    { policy: "policy-budgets", enforcementLevel: "advisory", violations: [] },
];

const FRONTEND_TO_DATABASE = "shop/frontend => shop/database : TCP 5432.";
const FAILING: PolicyResult[] = [
    { policy: WEB_TIER_NEVER_REACHES_DATA_TIER, enforcementLevel: "mandatory", violations: [{ message: `${FRONTEND_TO_DATABASE} The web tier must go through the api tier.` }] },
    { policy: DATA_TIER_INGRESS_ALLOWLIST, enforcementLevel: "mandatory", violations: [{ message: `${FRONTEND_TO_DATABASE} Only the api tier may reach the data tier.` }] },
    { policy: "policy-budgets", enforcementLevel: "advisory", violations: [] },
];

function side(changes: Partial<PlanSecurityJson> = {}): PlanSecurityJson {
    return {
        firewallRules: [{ collection: "workload-egress/workload-fqdns", priority: "300/100", rule: "shop-backend", source: "10.10.16.0/22", destination: "api.stripe.com", ports: "Https:443" }],
        policySets: [{ namespace: "shop", mode: "audit", policies: 6, budget: 10 }],
        globalPolicies: { count: 3, budget: 20 },
        enforcedConnectionLines: DEV_CONNECTIONS,
        intentCheck: { passed: true, violations: [] },
        workloads: DEV_WORKLOADS,
        policies: PASSING,
        ...changes,
    };
}

const withFrontendToDatabase = side({ enforcedConnectionLines: [...DEV_CONNECTIONS, "shop/frontend[Pod] => shop/database[Pod] : TCP 5432"], policies: FAILING });

describe("the security diff's verdict", () => {
    it("leads with the mandatory policies a change breaks, then the connection into the data tier", () => {
        const diff = securityDiff(side(), withFrontendToDatabase);
        expect(diff.blocksMerge).toBe(true);
        expect(verdictLine(diff)).toBe(
            `blocks merge: 2 mandatory policies fail (${WEB_TIER_NEVER_REACHES_DATA_TIER}, ${DATA_TIER_INGRESS_ALLOWLIST}); opens 1 connection into tier=data; policy pack PASS -> FAIL (2 mandatory); intent check PASS`,
        );
    });

    it("names each new violation's policy, resource and the pack's remediation text", () => {
        const diff = securityDiff(side(), withFrontendToDatabase, new Map([[WEB_TIER_NEVER_REACHES_DATA_TIER, "Route the web tier through the api tier."]]));
        expect(diff.policiesIntroduced.map((finding) => finding.policy)).toEqual([WEB_TIER_NEVER_REACHES_DATA_TIER, DATA_TIER_INGRESS_ALLOWLIST]);
        expect(diff.policiesIntroduced[0]).toMatchObject({ enforcementLevel: "mandatory", message: `${FRONTEND_TO_DATABASE} The web tier must go through the api tier.`, remediation: "Route the web tier through the api tier." });
        const text = formatSecurityDiff(diff, "dev", "text");
        expect(text).toContain(`! ${WEB_TIER_NEVER_REACHES_DATA_TIER} (mandatory) on the stack`);
        expect(text).toContain("remediation: Route the web tier through the api tier.");
    });

    it("takes the remediation text from the policy pack itself by default", () => {
        const diff = securityDiff(side(), withFrontendToDatabase);
        expect(diff.policiesIntroduced.every((finding) => (finding.remediation ?? "").length > 20)).toBe(true);
    });

    it("names the resource of a resource policy's violation", () => {
        const broken: PolicyResult[] = [...PASSING, { policy: "firewall-rules-no-wildcards", enforcementLevel: "mandatory", violations: [{ message: "rule cluster allows *.example.com", resource: "urn:pulumi:dev::aks-zero-trust::azure-native:network:FirewallPolicyRuleCollectionGroup::workload-egress" }] }];
        const diff = securityDiff(side(), side({ policies: broken }));
        expect(diff.policiesIntroduced[0]?.resource).toBe("workload-egress (azure-native:network:FirewallPolicyRuleCollectionGroup)");
        expect(verdictLine(diff)).toBe("blocks merge: 1 mandatory policy fails (firewall-rules-no-wildcards); policy pack PASS -> FAIL (1 mandatory); intent check PASS");
    });

    it("credits a change that fixes a mandatory violation, and does not block it", () => {
        const diff = securityDiff(withFrontendToDatabase, side());
        expect(diff.blocksMerge).toBe(false);
        expect(verdictLine(diff)).toBe(`fixes 2 mandatory policies (${WEB_TIER_NEVER_REACHES_DATA_TIER}, ${DATA_TIER_INGRESS_ALLOWLIST}); closes 1 connection into tier=data; policy pack FAIL (2 mandatory) -> PASS; intent check PASS`);
    });

    it("does not block a change for a violation the base already had", () => {
        const diff = securityDiff(withFrontendToDatabase, side({ ...withFrontendToDatabase, policySets: [{ namespace: "shop", mode: "enforce", policies: 6, budget: 10 }] }));
        expect(diff.blocksMerge).toBe(false);
        expect(diff.policiesIntroduced).toEqual([]);
        expect(verdictLine(diff)).toBe("shop switches to enforce: what no policy allows starts being dropped; policy pack FAIL (2 mandatory); intent check PASS");
    });

    it("blocks a change that breaks the intent check", () => {
        const diff = securityDiff(side(), side({ intentCheck: { passed: false, violations: ["shop/frontend -> shop/backend: TCP 80 declared but denied"] } }));
        expect(diff.blocksMerge).toBe(true);
        expect(verdictLine(diff)).toBe("blocks merge: the intent check fails (1 new violation); policy pack PASS; intent check PASS -> FAIL (1)");
    });

    it("lists an FQDN added to a workload under internet egress, without blocking", () => {
        const workloads = DEV_WORKLOADS.map((workload) => (workload.entity === "shop/backend[Pod]" ? { ...workload, fqdns: ["api.stripe.com Https:443", "hooks.slack.com Https:443"] } : workload));
        const after = side({ workloads, firewallRules: [{ ...side().firewallRules[0]!, destination: "api.stripe.com, hooks.slack.com" }] });
        const diff = securityDiff(side(), after);
        expect(diff.blocksMerge).toBe(false);
        const internet = diff.groups.find((group) => group.name === "internet")!;
        expect(internet.fqdnsAdded).toEqual(["hooks.slack.com Https:443 (shop/backend)"]);
        expect(internet.firewallAllows).toEqual(["shop/backend: api.stripe.com Https:443, hooks.slack.com Https:443"]);
        expect(verdictLine(diff)).toBe("internet egress: adds FQDN hooks.slack.com Https:443 (shop/backend); policy pack PASS; intent check PASS");
        expect(formatSecurityDiff(diff, "dev", "text")).toContain("To the internet (0 opened, 0 closed, 1 FQDN added, 0 removed):\n  + FQDN hooks.slack.com Https:443 (shop/backend)\n");
    });

    it("lists a cluster-wide FQDN (egress.fqdns) under internet egress too", () => {
        const after = side({ firewallRules: [...side().firewallRules, { collection: "workload-egress/workload-fqdns", priority: "300/100", rule: "cluster", source: "10.10.16.0/22", destination: "ghcr.io", ports: "Https:443" }] });
        expect(verdictLine(securityDiff(side(), after))).toBe("internet egress: adds FQDN ghcr.io; policy pack PASS; intent check PASS");
    });

    it("says what a switch to enforce starts dropping: the connections only audit lets through in the base", () => {
        // In audit, the base lets the frontend reach the database (logged); enforce drops it.
        const base = side({ connectionLines: [...DEV_CONNECTIONS, "shop/frontend[Pod] => shop/database[Pod] : All Connections", "shop/frontend[Pod] => shop/backend[Pod] : All Connections"] });
        const diff = securityDiff(base, side({ policySets: [{ namespace: "shop", mode: "enforce", policies: 6, budget: 10 }] }));
        expect(diff.modes).toEqual([{ namespace: "shop", before: "audit", after: "enforce", auditOnly: 2 }]);
        expect(verdictLine(diff)).toBe("shop switches to enforce: what no policy allows starts being dropped (2 connections only audit lets through today); policy pack PASS; intent check PASS");
        expect(formatSecurityDiff(diff, "dev", "text")).toContain("Rollout modes:\n  ~ shop: audit -> enforce: what no policy allows starts being dropped; 2 connections only audit lets through today\n");
    });

    it("leads with a new namespace in audit: everything is allowed, and what enforce would allow", () => {
        const withPayments = side({
            policySets: [...side().policySets, { namespace: "payments", mode: "audit", policies: 5, budget: 10 }],
            enforcedConnectionLines: [...DEV_CONNECTIONS, "payments/api[Pod] => kube-system/coredns[Pod] : TCP 53,UDP 53", "shop/backend[Pod] => payments/api[Pod] : TCP 8080"],
        });
        const prod = (plan: PlanSecurityJson) => ({ ...plan, policySets: plan.policySets.map((row) => (row.namespace === "shop" ? { ...row, mode: "enforce" } : row)) });
        const diff = securityDiff(prod(side()), prod(withPayments));
        expect(diff.modeChanges).toEqual(["payments: new, audit"]);
        expect(verdictLine(diff)).toBe(
            "payments starts in audit: everything is allowed and logged, egress still only through the firewall; enforce would allow 2 connections; opens 2 connections; policy pack PASS; intent check PASS",
        );
        const md = formatSecurityDiff(diff, "prod", "md");
        expect(md).toContain("+ payments: new, audit: everything is allowed and logged; enforce would allow 2 connections\n");
        // The picture marks the audit namespace: dashed border, "(audit)" in the title, and a legend.
        expect(md).toContain('subgraph n_subgraph_payments["payments (audit)"]');
        expect(md).toMatch(/^ {2}class n_subgraph_payments audit$/m);
        expect(md).toContain("dashed border: in audit mode, everything is allowed and logged (payments)");
    });

    it("names a namespace switching to audit first, with what audit does", () => {
        const enforcing = side({ policySets: [{ namespace: "shop", mode: "enforce", policies: 6, budget: 10 }] });
        const diff = securityDiff(enforcing, side());
        expect(verdictLine(diff)).toBe("shop switches to audit: everything is allowed and logged, egress still only through the firewall; policy pack PASS; intent check PASS");
    });

    it("says so when nothing changes, in one line for the whole stack", () => {
        const diff = securityDiff(side(), side());
        expect(verdictLine(diff)).toBe("no security change; policy pack PASS; intent check PASS");
        expect(formatSecurityDiff(diff, "prod", "md")).toBe("prod: no security change (policy pack PASS, intent check PASS)\n");
        expect(formatSecurityDiff(diff, "prod", "text")).toBe("prod: no security change (policy pack PASS, intent check PASS)\n");
        const failing = securityDiff(withFrontendToDatabase, withFrontendToDatabase);
        expect(formatSecurityDiff(failing, "dev", "md")).toBe("dev: no security change (policy pack FAIL (2 mandatory), intent check PASS)\n");
    });

    it("carries the warnings the change brings, in a Warnings block, and not those the base had", () => {
        const old = "flow shop/frontend -> shop/backend on TCP 81: shop/backend does not declare that port (it declares TCP 80 (http))";
        const fresh = "flow shop/backend -> shop/database on TCP 5433: shop/database does not declare that port (it declares TCP 5432 (postgres))";
        const diff = securityDiff(side({ warnings: [old] }), side({ warnings: [old, fresh] }));
        expect(diff.warningsAdded).toEqual([fresh]);
        expect(verdictLine(diff)).toBe("1 new warning; policy pack PASS; intent check PASS");
        expect(formatSecurityDiff(diff, "dev", "text")).toContain(`\nWarnings:\n  ! ${fresh}\n`);
        const md = formatSecurityDiff(diff, "dev", "md");
        expect(md).toContain(`<details open><summary>Warnings</summary>\n\n\`\`\`diff\n! ${fresh}\n\`\`\``);
        expect(md).not.toContain(old);
    });
});

describe("risk groups", () => {
    it("puts each changed connection in the first group it crosses, with counts in text and Markdown", () => {
        const after = side({
            enforcedConnectionLines: [
                ...DEV_CONNECTIONS.filter((line) => !line.startsWith("shop/frontend[Pod] => shop/backend")),
                "shop/frontend[Pod] => 0.0.0.0-9.255.255.255[External] : TCP 443",
                "shop/frontend[Pod] => default/kubernetes[APIServer] : TCP 443",
                "shop/frontend[Pod] => monitoring/monitoring-agent[Pod] : TCP 9090",
                "monitoring/monitoring-agent[Pod] => shop/frontend[Pod] : TCP 9090",
                "1.2.3.0/24[External] => shop/frontend[Pod] : TCP 8080",
                "monitoring/monitoring-agent[Pod] => shop/database[Pod] : TCP 5432,9090,9187",
            ],
        });
        const diff = securityDiff(side(), after);
        const byName = Object.fromEntries(diff.groups.map((group) => [group.name, [group.opened, group.closed]]));
        expect(byName).toEqual({
            // Cross-namespace, but into tier=data: the data tier comes first.
            "data-tier": [["monitoring/monitoring-agent[Pod] => shop/database[Pod] : TCP 5432"], []],
            internet: [["shop/frontend[Pod] => 0.0.0.0-9.255.255.255[External] : TCP 443"], []],
            "private-addresses": [[], []],
            "from-outside": [["1.2.3.0/24[External] => shop/frontend[Pod] : TCP 8080"], []],
            "api-server": [["shop/frontend[Pod] => default/kubernetes[APIServer] : TCP 443"], []],
            "cross-namespace": [["monitoring/monitoring-agent[Pod] => shop/frontend[Pod] : TCP 9090", "shop/frontend[Pod] => monitoring/monitoring-agent[Pod] : TCP 9090"], []],
            "within-namespace": [[], ["shop/frontend[Pod] => shop/backend[Pod] : TCP 80"]],
        });
        expect(verdictLine(diff)).toBe("opens 1 connection into tier=data; internet egress: opens 1 connection; opens 4 connections elsewhere; closes 1 connection; policy pack PASS; intent check PASS");
        const internet = diff.groups.find((group) => group.name === "internet")!;
        expect(internet.firewallAllows).toEqual(["shop/frontend: no FQDN of its own (only the cluster-wide ones)"]);
        const text = formatSecurityDiff(diff, "dev", "text");
        expect(text).toContain(
            [
                "What the changed connections cross:",
                "  Into the data tier (tier=data): 1 opened, 0 closed",
                "  To the internet: 1 opened, 0 closed, 0 FQDNs added, 0 removed",
                "  To the VNet, cluster and Azure platform addresses: 0 opened, 0 closed",
                "  From outside the cluster: 1 opened, 0 closed",
                "  To the Kubernetes API server: 1 opened, 0 closed",
                "  Across namespaces: 2 opened, 0 closed",
                "  Within a namespace: 0 opened, 1 closed",
            ].join("\n"),
        );
        expect(text).toContain("Across namespaces (2 opened, 0 closed):");
        expect(text).toContain("Within a namespace (0 opened, 1 closed):\n  - shop/frontend[Pod] => shop/backend[Pod] : TCP 80\n");
        const md = formatSecurityDiff(diff, "dev", "md");
        expect(md).toContain("| Into the data tier (tier=data) | 1 | 0 |");
        expect(md).toContain("| Across namespaces | 2 | 0 |");
        expect(md).toContain("| Within a namespace | 0 | 1 |");
    });

    it("keeps the VNet and the Azure platform addresses apart from the internet when the stack's names are known", () => {
        const addressNames = [
            { name: "internet", cidrs: ["0.0.0.0/0"], except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10", "168.63.129.16/32"] },
            { name: "VNet 10.10.0.0/16", cidrs: ["10.10.0.0/16"] },
        ];
        const after = side({
            addressNames,
            enforcedConnectionLines: [...DEV_CONNECTIONS, "shop/frontend[Pod] => 10.10.0.0/16[External] : TCP 8443", "shop/frontend[Pod] => 169.254.169.254[External] : TCP 80", "shop/frontend[Pod] => 8.8.8.8[External] : UDP 53"],
        });
        const groups = Object.fromEntries(securityDiff(side({ addressNames }), after).groups.map((group) => [group.name, group.opened]));
        expect(groups["private-addresses"]).toEqual(["shop/frontend[Pod] => VNet 10.10.0.0/16 : TCP 8443", "shop/frontend[Pod] => 169.254.169.254[External] : TCP 80"]);
        expect(groups.internet).toEqual(["shop/frontend[Pod] => 8.8.8.8[External] : UDP 53"]);
    });

    it("derives the data tier from the tier=data label, not from workload names", () => {
        const relabelled = DEV_WORKLOADS.map((workload) =>
            workload.entity === "shop/database[Pod]" ? { ...workload, labels: { app: "database", tier: "cache" } } : workload.entity === "shop/backend[Pod]" ? { ...workload, labels: { app: "ledger", tier: "data" } } : workload,
        );
        const after = side({ workloads: relabelled, enforcedConnectionLines: [...DEV_CONNECTIONS, "shop/frontend[Pod] => shop/database[Pod] : TCP 5432", "monitoring/monitoring-agent[Pod] => shop/backend[Pod] : TCP 9187"] });
        const diff = securityDiff(side({ workloads: relabelled }), after);
        const dataTier = diff.groups.find((group) => group.name === "data-tier")!;
        expect(dataTier.opened).toEqual(["monitoring/monitoring-agent[Pod] => shop/backend[Pod] : TCP 9187"]);
        expect(diff.groups.find((group) => group.name === "within-namespace")!.opened).toEqual(["shop/frontend[Pod] => shop/database[Pod] : TCP 5432"]);
    });
});

describe("the Markdown comment's picture", () => {
    it("is a flowchart Mermaid parses, whose edges are exactly the connection diff", async () => {
        const after = side({
            enforcedConnectionLines: [
                ...DEV_CONNECTIONS.filter((line) => !line.startsWith("shop/frontend[Pod] => shop/backend")),
                "shop/frontend[Pod] => shop/database[Pod] : TCP 5432",
                "shop/frontend[Pod] => 0.0.0.0-9.255.255.255[External] : TCP 443",
                "shop/frontend[Pod] => 11.0.0.0-100.63.255.255[External] : TCP 443",
                "shop/frontend[Pod] => default/kubernetes[APIServer] : TCP 443",
            ],
            policies: FAILING,
        });
        const diff = securityDiff(side(), after);
        const md = formatSecurityDiff(diff, "dev", "md");
        const block = /```mermaid\n([\s\S]*?)```/.exec(md)?.[1];
        expect(block).toBeDefined();
        const parsed = await parseFlowchart(block!);
        expect(parsed.type).toBe("flowchart-v2");
        // Map Mermaid's vertices back to entities: a workload is its subgraph's title plus its text.
        const namespaceOf = new Map(parsed.subgraphs.flatMap((subgraph) => subgraph.nodes.map((node) => [node, subgraph.title.replace(/ \(audit\)$/, "")] as const)));
        const entityOf = (id: string) => {
            const vertex = parsed.vertices.get(id)!;
            return namespaceOf.has(id) ? `${namespaceOf.get(id)}/${vertex.text}` : vertex.text;
        };
        const edges = parsed.edges.map((edge) => `${entityOf(edge.start)} -> ${entityOf(edge.end)} ${edge.text} (${edge.stroke}, ${edge.style.join(";")})`).sort();
        const added = "normal, stroke:#1a7f37;stroke-width:3px;fill:none";
        const removed = "dotted, stroke:#cf222e;stroke-width:3px;stroke-dasharray:6 4;fill:none";
        expect(edges).toEqual([
            `shop/frontend -> Kubernetes API server + TCP 443 (${added})`,
            // The external ranges the frontend now reaches, merged into one node.
            `shop/frontend -> outside the cluster + TCP 443 (${added})`,
            `shop/frontend -> shop/backend - TCP 80 (${removed})`,
            `shop/frontend -> shop/database + TCP 5432 (${added})`,
        ]);
        expect(diff.opened.length + diff.closed.length).toBe(5);
        // Only the affected workloads are drawn; the rest of a namespace is one node.
        expect([...parsed.vertices.values()].map((vertex) => vertex.text).sort()).toEqual(["Kubernetes API server", "backend", "database", "frontend", "outside the cluster"]);
    });

    it("counts the namespace's unaffected workloads instead of drawing them", () => {
        const diff = securityDiff(side(), withFrontendToDatabase);
        const graph = securityDiffFlowchart(diff);
        expect(graph.edges).toEqual([{ from: "shop/frontend[Pod]", to: "shop/database[Pod]", change: "added", label: "+ TCP 5432" }]);
        expect(graph.text).toContain('["1 more, unchanged"]');
        expect(graph.text).toContain('[("database")]:::data');
    });

    it("is left out when no connection changes", () => {
        expect(formatSecurityDiff(securityDiff(side(), side()), "dev", "md")).not.toContain("```mermaid");
    });
});

describe("a large change in one pull-request comment", () => {
    // 12 new namespaces of 4 workloads, in audit; every workload reaches every other and the internet (with an FQDN).
    const NAMES = [
        { name: "internet", cidrs: ["0.0.0.0/0"], except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10", "168.63.129.16/32"] },
        { name: "VNet 10.10.0.0/16", cidrs: ["10.10.0.0/16"] },
    ];
    const INTERNET_FRAGMENTS = ["0.0.0.0-9.255.255.255", "11.0.0.0-100.63.255.255", "100.128.0.0-168.63.129.15", "168.63.129.17-169.253.255.255", "169.255.0.0-172.15.255.255", "172.32.0.0-192.167.255.255", "192.169.0.0-255.255.255.255"];
    const teams = Array.from({ length: 12 }, (_, index) => `team-${String(index).padStart(2, "0")}`);
    const tiers = ["web", "api", "api", "data"];
    const workloads: WorkloadFacts[] = teams.flatMap((team) => tiers.map((tier, index) => ({ entity: `${team}/app-${index}[Pod]`, labels: { app: `app-${index}`, tier }, fqdns: tier === "data" ? [] : [`api.${team}.example.com Https:443`] })));
    const lines = workloads.flatMap(({ entity, labels }) => [
        `${entity} => kube-system/coredns[Pod] : TCP 53,UDP 53`,
        ...workloads.filter((other) => other.entity !== entity).map((other) => `${entity} => ${other.entity} : TCP 8080`),
        ...(labels.tier === "data" ? [] : INTERNET_FRAGMENTS.map((range) => `${entity} => ${range}[External] : TCP 443`)),
    ]);
    const large = side({
        policySets: [...side().policySets, ...teams.map((team) => ({ namespace: team, mode: "audit", policies: 9, budget: 10 }))],
        enforcedConnectionLines: [...DEV_CONNECTIONS, ...lines],
        workloads: [...DEV_WORKLOADS, ...workloads],
        addressNames: NAMES,
        warnings: teams.map((team) => `flow ${team}/app-0 -> ${team}/app-1 on TCP 8081: ${team}/app-1 does not declare that port (it declares TCP 8080 (http))`),
    });
    const diff = securityDiff(side({ addressNames: NAMES }), large);

    it("stays within GitHub's comment limit as the workflow posts it, both stacks changed, with every count and a picture Mermaid parses", async () => {
        expect(diff.opened.length).toBeGreaterThan(2000);
        const dev = formatSecurityDiff(diff, "dev", "md");
        const prod = formatSecurityDiff(diff, "prod", "md");
        expect(prod.length).toBeLessThanOrEqual(COMMENT_SECTION_BUDGET);
        const comment = await securityDiffComment({ dev, prod }, { BASE_REF: "main", HEAD_SHA: "3f1c2e9" });
        expect(comment.length).toBeLessThanOrEqual(65_536);
        // Nothing cut by the workflow's last-resort truncation: the diff kept itself within its share.
        expect(comment).not.toContain("Truncated");
        expect(comment).toContain("| Across namespaces | ");
        expect(prod).toMatch(/\.\.\. \d+ more: npm run diff -- --format text prints them all/);
        expect(prod).toContain(`**${teams.join(", ")} start in audit: everything is allowed and logged`);
        const parsed = await parseFlowchart(/```mermaid\n([\s\S]*?)```/.exec(prod)![1]!);
        expect(parsed.edges.length).toBeGreaterThan(0);
    });

    it("draws namespaces with their tier=data workloads apart, and marks the edges into them", () => {
        const graph = securityDiffFlowchart(diff);
        expect(graph.note).toMatch(/drawn per namespace/);
        const intoData = graph.edges.filter((edge) => edge.to === "namespace team-00 tier=data");
        expect(intoData.length).toBeGreaterThan(0);
        expect(intoData.every((edge) => edge.label.includes("into tier=data: TCP 8080"))).toBe(true);
        expect(graph.edges.find((edge) => edge.from === "namespace team-00" && edge.to === "address internet")?.label).toBe("+ 3 connections: TCP 443 via firewall: api.team-00.example.com");
        // Audit namespaces are dashed in the per-namespace view too.
        expect(graph.text).toContain('n_namespace_team_00["team-00 (audit)"]');
        expect(graph.text).toMatch(/^ {2}class .*n_namespace_team_00[,\s].* audit$/m);
        expect(graph.legend).toContain("DNS to CoreDNS not drawn (48 connections)");
    });
});

describe("a change of Calico mode or version", () => {
    it("switching a stack from aks-managed to self-managed is disruptive, says why, and points to the runbook", () => {
        const diff = securityDiff(side(), side({ calico: { mode: "self-managed", version: "3.33.1" } }));
        expect(diff.disruptive).toEqual([
            "Calico aks-managed -> self-managed (pinned 3.33.1): network policy is removed while the cluster switches (az aks update --network-policy none), so every flow is open until the new engine and policies are in place; run it in a maintenance window by docs/calico-migration.md",
        ]);
        expect(verdictLine(diff)).toMatch(/^DISRUPTIVE: Calico aks-managed -> self-managed \(pinned 3\.33\.1\) \(see docs\/calico-migration\.md\)/);
        expect(formatSecurityDiff(diff, "dev", "text")).toContain("! Calico aks-managed -> self-managed (pinned 3.33.1): network policy is removed");
        expect(formatSecurityDiff(diff, "dev", "md")).toContain("docs/calico-migration.md");
    });

    it("a new pinned version is disruptive too; the same mode and version is not", () => {
        const from = side({ calico: { mode: "self-managed", version: "3.32.2" } });
        expect(securityDiff(from, side({ calico: { mode: "self-managed", version: "3.33.1" } })).disruptive).toEqual([
            "Calico 3.32.2 -> 3.33.1: the Tigera operator upgrades Calico node by node; upgrade one minor at a time, in a maintenance window, by docs/calico-migration.md",
        ]);
        expect(securityDiff(from, from).disruptive).toEqual([]);
        expect(securityDiff(side(), side({ calico: { mode: "aks-managed" } })).disruptive).toEqual([]);
    });
});
