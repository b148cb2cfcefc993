import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { fqdnMatches, parseGoldmaneFlows, targetText, type Review } from "../../core/evidence";
import { reviewStack } from "../../offline/edit";
import { APPLICATION_LOG, clusterInventory, dumpItems, dumpOf, EXAMPLE_STACK, exportRows, firewallRows, NETWORK_LOG, shortened, stackConfig } from "./fixtures";

const removed = (review: Review) => review.removals.map((removal) => targetText(removal.target));
const keptReason = (review: Review, text: string) => review.kept.find((entry) => targetText(entry.target) === text);

/** The example stack with extra YAML under shop's workloads (indented as the file is). */
function withStackEdit(replace: string, by: string): string {
    const text = fs.readFileSync(EXAMPLE_STACK, "utf8");
    expect(text).toContain(replace);
    return text.replace(replace, by);
}

describe("the quarterly review (90 days of firewall logs, a dump without legacy-reporter)", () => {
    const review = reviewStack(stackConfig(), firewallRows(), clusterInventory());

    it("proposes removing backend's unused FQDN and legacy-reporter with its flow, each with its evidence and confidence", () => {
        expect(removed(review)).toEqual(["shop/backend egress.fqdns invoices.legacy-partner.example", "workload shop/legacy-reporter"]);
        const [fqdn, workload] = review.removals;
        expect(fqdn.confidence).toBe("high");
        expect(fqdn.evidence).toBe("no requests for invoices.legacy-partner.example in 90.9 days (2026-09-01 to 2026-11-30) (its rule: workload-egress/workload-fqdns/shop-backend; that collection logged other requests)");
        expect(workload.confidence).toBe("high");
        expect(workload.evidence).toMatch(/^no pod and no pod template .* has labels app=legacy-reporter,tier=api$/);
        expect(workload.dependents.map(targetText)).toEqual(["flow shop/legacy-reporter -> shop/database"]);
    });

    it("keeps every allowance the logs show in use, with the hits and the rule", () => {
        expect(keptReason(review, "shop/backend egress.fqdns api.stripe.com")).toEqual(expect.objectContaining({ verdict: "in use", reason: "18234 requests for api.stripe.com allowed, the last 2026-11-30, under rule shop-backend" }));
        for (const fqdn of ["ghcr.io", "pkg-containers.githubusercontent.com"]) {
            expect(keptReason(review, `cluster-wide egress.fqdns ${fqdn}`)?.verdict).toBe("in use");
        }
        for (const entry of ["workload shop/frontend", "workload shop/backend", "workload shop/database", "infrastructure monitoring", "peer ingress-nginx"]) {
            expect(keptReason(review, entry)?.verdict, entry).toBe("in use");
        }
    });

    it("keeps the flows it cannot see, saying why", () => {
        expect(keptReason(review, "flow shop/frontend -> shop/backend")).toEqual(expect.objectContaining({ verdict: "not visible", reason: expect.stringMatching(/^no flow logs/) }));
        expect(keptReason(review, "flow shop/backend -> shop/database")?.verdict).toBe("not visible");
    });

    it("states the span each table covers", () => {
        expect(review.spans.map((span) => [span.table, span.from, span.to, span.days])).toEqual([
            ["AZFWApplicationRule", "2026-09-01T00:02:17.400Z", "2026-11-30T23:57:05.100Z", 90.9],
            ["AZFWNetworkRule", "2026-09-01T00:02:17.400Z", "2026-11-30T23:57:05.100Z", 90.9],
        ]);
    });
});

describe("what the review refuses to call unused", () => {
    it("with 10 days of logs it proposes no FQDN removal and says why; the dead workload still goes", () => {
        const review = reviewStack(stackConfig(), firewallRows({ [APPLICATION_LOG]: shortened(exportRows(APPLICATION_LOG), 10), [NETWORK_LOG]: shortened(exportRows(NETWORK_LOG), 10) }), clusterInventory());
        expect(removed(review)).toEqual(["workload shop/legacy-reporter"]);
        expect(keptReason(review, "shop/backend egress.fqdns invoices.legacy-partner.example")).toEqual({
            target: expect.anything(),
            verdict: "not visible",
            reason: "the AZFWApplicationRule logs cover 10 days (2026-11-20 to 2026-11-30), shorter than the minimum of 30 days: too short to call anything unused",
        });
    });

    it("a span between the minimum and a quarter gives medium confidence; --min-span moves the minimum", () => {
        const rows = firewallRows({ [APPLICATION_LOG]: shortened(exportRows(APPLICATION_LOG), 45) });
        expect(reviewStack(stackConfig(), rows, clusterInventory()).removals[0].confidence).toBe("medium");
        expect(removed(reviewStack(stackConfig(), rows, clusterInventory(), 60))).toEqual(["workload shop/legacy-reporter"]);
    });

    it("without application-rule logs, FQDN allowances are not judged", () => {
        const review = reviewStack(stackConfig(), firewallRows({ [NETWORK_LOG]: exportRows(NETWORK_LOG) }), clusterInventory());
        expect(keptReason(review, "shop/backend egress.fqdns invoices.legacy-partner.example")?.reason).toBe("no AZFWApplicationRule rows in the firewall logs of policy afwp-zt-prod: export them with the quarterly review's query");
    });

    it("without a row of the allowance's rule collection, it says so instead of guessing", () => {
        const rows = exportRows(APPLICATION_LOG).filter((row) => row.RuleCollection !== "workload-fqdns");
        const review = reviewStack(stackConfig(), firewallRows({ [APPLICATION_LOG]: rows }), clusterInventory());
        expect(keptReason(review, "shop/backend egress.fqdns invoices.legacy-partner.example")?.reason).toMatch(/^no firewall logs for rule collection workload-egress\/workload-fqdns in 90.9 days/);
    });

    it("a request the firewall logged under another rule still keeps the allowance (it sees node addresses, not pods)", () => {
        const rows = [...exportRows(APPLICATION_LOG), { ...exportRows(APPLICATION_LOG)[5], Fqdn: "invoices.legacy-partner.example", Hits: "3" }];
        const review = reviewStack(stackConfig(), firewallRows({ [APPLICATION_LOG]: rows }), clusterInventory());
        expect(keptReason(review, "shop/backend egress.fqdns invoices.legacy-partner.example")?.reason).toBe("3 requests for invoices.legacy-partner.example allowed, the last 2026-11-30, under rule cluster (the firewall names the first rule that matches and sees node addresses, so it cannot tell which workload asked)");
    });

    it("reads only the rows of the stack's own firewall policy, and denied requests never count as use", () => {
        const rows = [
            ...exportRows(APPLICATION_LOG),
            { ...exportRows(APPLICATION_LOG)[7], Policy: "afwp-zt-dev", Fqdn: "invoices.legacy-partner.example" },
            { ...exportRows(APPLICATION_LOG)[8], Fqdn: "invoices.legacy-partner.example" },
        ];
        const review = reviewStack(stackConfig(), firewallRows({ [APPLICATION_LOG]: rows }), clusterInventory());
        expect(review.otherPolicyRows).toBe(1);
        expect(removed(review)).toContain("shop/backend egress.fqdns invoices.legacy-partner.example");
    });

    it("a workload whose pods are gone but whose controller remains (scaled to zero, a CronJob between runs) is kept", () => {
        const cronJob = {
            apiVersion: "batch/v1",
            kind: "CronJob",
            metadata: { name: "legacy-reporter", namespace: "shop" },
            spec: { schedule: "0 2 * * *", jobTemplate: { spec: { template: { metadata: { labels: { app: "legacy-reporter", tier: "api" } }, spec: { containers: [{ name: "app", image: "contoso.azurecr.io/reporter:1" }], restartPolicy: "OnFailure" } } } } },
        };
        const review = reviewStack(stackConfig(), firewallRows(), clusterInventory(dumpOf([...dumpItems(), cronJob])));
        expect(removed(review)).toEqual(["shop/backend egress.fqdns invoices.legacy-partner.example"]);
        expect(keptReason(review, "workload shop/legacy-reporter")?.reason).toBe("no pod runs now, but shop/legacy-reporter[CronJob] can start some (scaled to zero, or between runs)");
    });

    it("a dump of pods only gives medium confidence and says how to dump controllers too", () => {
        const podsOnly = dumpItems().filter((item) => item.kind === "Namespace" || item.kind === "Pod");
        const workload = reviewStack(stackConfig(), firewallRows(), clusterInventory(dumpOf(podsOnly))).removals.find((removal) => removal.target.kind === "workload")!;
        expect(workload.confidence).toBe("medium");
        expect(workload.evidence).toContain("a CronJob between runs would look the same");
    });
});

describe("namespaces, overrides, infrastructure and peers", () => {
    it("an override whose selector matches no pod is proposed; one that selects backend is kept", () => {
        const text = withStackEdit("            labels: {app: legacy-reporter, tier: api}\n", [
            "            labels: {app: legacy-reporter, tier: api}",
            "        overrides:",
            "          - apiVersion: networking.k8s.io/v1",
            "            kind: NetworkPolicy",
            "            metadata: {name: batch-egress}",
            "            spec: {podSelector: {matchLabels: {app: batch}}, policyTypes: [Egress], egress: [{ports: [{port: 443}]}]}",
            "          - apiVersion: networking.k8s.io/v1",
            "            kind: NetworkPolicy",
            "            metadata: {name: backend-metrics}",
            "            spec: {podSelector: {matchExpressions: [{key: app, operator: In, values: [backend]}]}, policyTypes: [Ingress], ingress: [{ports: [{port: 9090}]}]}",
            "",
        ].join("\n"));
        const review = reviewStack(stackConfig(text), firewallRows(), clusterInventory());
        expect(removed(review)).toContain("override shop/batch-egress");
        expect(keptReason(review, "override shop/backend-metrics")?.reason).toBe("selects shop/backend[Deployment] (2 pods)");
    });

    it("a peer whose namespace is gone goes, with the ingressFrom entries that name it", () => {
        const items = dumpItems().filter((item) => item.metadata?.namespace !== "ingress-nginx" && !(item.kind === "Namespace" && item.metadata.name === "ingress-nginx"));
        const review = reviewStack(stackConfig(), firewallRows(), clusterInventory(dumpOf(items)));
        const peer = review.removals.find((removal) => removal.target.kind === "peer")!;
        expect(targetText(peer.target)).toBe("peer ingress-nginx");
        expect(peer.evidence).toBe("namespace ingress-nginx is not in the cluster dump, which lists 6 namespace(s)");
        expect(peer.dependents.map(targetText)).toEqual(["shop/frontend ingressFrom namespace ingress-nginx"]);
    });

    it("a namespace with no pod and no controller goes whole; one with undeclared pods is kept", () => {
        const empty = dumpItems().filter((item) => item.metadata?.namespace !== "shop");
        const review = reviewStack(stackConfig(), firewallRows(), clusterInventory(dumpOf(empty)));
        expect(removed(review)).toEqual(["namespace shop"]);
        expect(review.removals[0].dependents.map(targetText)).toEqual(["flow shop/backend -> shop/database", "flow shop/frontend -> shop/backend", "flow shop/legacy-reporter -> shop/database"]);

        const stranger = { apiVersion: "v1", kind: "Pod", metadata: { name: "debug", namespace: "shop", labels: { run: "debug" } }, spec: { containers: [{ name: "debug", image: "busybox" }] }, status: { phase: "Running" } };
        const kept = reviewStack(stackConfig(), firewallRows(), clusterInventory(dumpOf([...empty, stranger])));
        expect(removed(kept)).toEqual(["shop/backend egress.fqdns invoices.legacy-partner.example"]);
        expect(keptReason(kept, "workload shop/backend")?.reason).toMatch(/removing every workload would delete the Namespace the stack manages$/);
    });
});

describe("Azure Firewall FQDN matching", () => {
    it("a wildcard matches names below the domain, never the domain itself", () => {
        expect(fqdnMatches("*.blob.core.windows.net", "acct.blob.core.windows.net")).toBe(true);
        expect(fqdnMatches("*.blob.core.windows.net", "a.b.blob.core.windows.net")).toBe(true);
        expect(fqdnMatches("*.blob.core.windows.net", "blob.core.windows.net")).toBe(false);
        expect(fqdnMatches("*.blob.core.windows.net", "evilblob.core.windows.net")).toBe(false);
        expect(fqdnMatches("api.stripe.com", "API.Stripe.com")).toBe(true);
        expect(fqdnMatches("api.stripe.com", "files.stripe.com")).toBe(false);
    });
});

describe("east-west flows, from Goldmane flow logs (--flows)", () => {
    /** One allowed Goldmane flow as grpcurl prints it (protobuf JSON: lowerCamelCase, enums by name, int64 as strings). */
    const allowed = (from: [string, Record<string, string>], to: [string, Record<string, string>], port: number, start: string, end: string) => ({
        flow: {
            Key: { sourceName: `${from[1].app}-7d9c6b5f4-*`, sourceNamespace: from[0], sourceType: "WorkloadEndpoint", destName: `${to[1].app}-*`, destNamespace: to[0], destType: "WorkloadEndpoint", destPort: String(port), proto: "tcp", reporter: "Dst", action: "Allow" },
            startTime: String(Date.parse(start) / 1000),
            endTime: String(Date.parse(end) / 1000),
            sourceLabels: Object.entries(from[1]).map(([key, value]) => `${key}=${value}`),
            destLabels: Object.entries(to[1]).map(([key, value]) => `${key}=${value}`),
            numConnectionsStarted: "42",
        },
    });
    const frontend: [string, Record<string, string>] = ["shop", { app: "frontend", tier: "web", "pod-template-hash": "7d9c6b5f4" }];
    const backend: [string, Record<string, string>] = ["shop", { app: "backend", tier: "api" }];
    const database: [string, Record<string, string>] = ["shop", { app: "database", tier: "data" }];
    const evidence = (flows: object[]) => {
        const log = parseGoldmaneFlows(JSON.stringify({ flows }, null, 2), "flows.json");
        return { allowed: log.allowed, windows: [...log.records, ...log.allowed] };
    };
    const review = (flows: object[]) => reviewStack(stackConfig(), firewallRows(), clusterInventory(), undefined, evidence(flows));

    it("keeps a flow that carried traffic, and proposes one that carried none in the span", () => {
        const result = review([
            allowed(frontend, backend, 80, "2026-09-01T00:00:00Z", "2026-09-01T00:00:15Z"),
            allowed(frontend, backend, 80, "2026-11-30T23:00:00Z", "2026-11-30T23:00:15Z"),
            // backend -> database on a port the flow does not declare: not its traffic.
            allowed(backend, database, 9187, "2026-11-30T23:00:00Z", "2026-11-30T23:00:15Z"),
        ]);
        expect(keptReason(result, "flow shop/frontend -> shop/backend")).toEqual(expect.objectContaining({ verdict: "in use", reason: "84 connection(s) allowed in the flow logs, the last 2026-11-30" }));
        const flow = result.removals.find((removal) => removal.target.kind === "flow")!;
        expect(targetText(flow.target)).toBe("flow shop/backend -> shop/database");
        expect(flow.evidence).toBe("no allowed connection from shop/backend to shop/database on TCP 5432 in the flow logs, 90.9 days (2026-09-01 to 2026-11-30)");
        expect(flow.confidence).toBe("high");
        expect(result.flowSpan).toEqual({ from: "2026-09-01T00:00:00.000Z", to: "2026-11-30T23:00:15.000Z", days: 90.9, flows: 3 });
    });

    it("calls no flow unused when the flow logs cover less than the minimum span", () => {
        const result = review([allowed(frontend, backend, 80, "2026-11-25T00:00:00Z", "2026-11-30T23:00:15Z")]);
        expect(removed(result)).toEqual(["shop/backend egress.fqdns invoices.legacy-partner.example", "workload shop/legacy-reporter"]);
        expect(keptReason(result, "flow shop/backend -> shop/database")?.reason).toBe("the flow logs cover 5.9 days (2026-11-25 to 2026-11-30), shorter than the minimum of 30 days: too short to call anything unused");
    });
});
