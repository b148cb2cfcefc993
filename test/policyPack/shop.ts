/**
 * A hand-written "shop" namespace in the shape the stack renders (ADR 008 reference app): frontend (web)
 * -> backend (api) -> database (data), DNS allowed, default deny; plus a monitoring namespace that scrapes.
 */
import type { CapturedResource } from "../../offline/runtime";
import { calicoPolicy, namespace, networkPolicy } from "./harness";

export const FRONTEND = { app: "frontend", tier: "web" };
export const BACKEND = { app: "backend", tier: "api" };
export const DATABASE = { app: "database", tier: "data" };

export const KUBE_DNS_PEER = {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
    podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
};

export const tcp = (port: number) => ({ protocol: "TCP", port });

export const allowDns = networkPolicy("allow-dns", "shop", {
    podSelector: {},
    policyTypes: ["Egress"],
    egress: [{ to: [KUBE_DNS_PEER], ports: [{ protocol: "UDP", port: 53 }, tcp(53)] }],
});

export const defaultDeny = networkPolicy("default-deny-all", "shop", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });

export const frontendPolicy = networkPolicy("workload-frontend", "shop", {
    podSelector: { matchLabels: FRONTEND },
    policyTypes: ["Ingress", "Egress"],
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }], ports: [tcp(8080)] }],
    egress: [{ to: [{ podSelector: { matchLabels: BACKEND } }], ports: [tcp(80)] }],
});

export const backendPolicy = networkPolicy("workload-backend", "shop", {
    podSelector: { matchLabels: BACKEND },
    policyTypes: ["Ingress", "Egress"],
    ingress: [{ from: [{ podSelector: { matchLabels: FRONTEND } }], ports: [tcp(80)] }],
    egress: [{ to: [{ podSelector: { matchLabels: DATABASE } }], ports: [tcp(5432)] }],
});

export const databasePolicy = networkPolicy("workload-database", "shop", {
    podSelector: { matchLabels: DATABASE },
    policyTypes: ["Ingress"],
    ingress: [{ from: [{ podSelector: { matchLabels: BACKEND } }], ports: [tcp(5432)] }],
});

/** Monitoring scrapes every app pod on 9187 (Calico global policies pinned to the monitoring namespace). */
export const monitoringPolicies = [
    calicoPolicy("GlobalNetworkPolicy", "infra-monitoring-ingress", {
        order: 100,
        namespaceSelector: "aks-zero-trust.io/policy-set == 'enabled'",
        selector: "all()",
        types: ["Ingress"],
        ingress: [{ action: "Allow", protocol: "TCP", source: { namespaceSelector: "projectcalico.org/name == 'monitoring'", selector: "app.kubernetes.io/name == 'prometheus'" }, destination: { ports: [9187] } }],
    }),
    calicoPolicy("GlobalNetworkPolicy", "infra-monitoring-egress", {
        order: 100,
        namespaceSelector: "projectcalico.org/name == 'monitoring'",
        selector: "app.kubernetes.io/name == 'prometheus'",
        types: ["Egress"],
        egress: [{ action: "Allow", protocol: "TCP", destination: { namespaceSelector: "aks-zero-trust.io/policy-set == 'enabled'", ports: [9187] } }],
    }),
];

/** The shop namespace and its policy set. */
export function shop(): CapturedResource[] {
    return [namespace("shop"), allowDns, frontendPolicy, backendPolicy, databasePolicy, defaultDeny];
}
