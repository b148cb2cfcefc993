/**
 * The in-cluster policies, checked as objects: no open ingress, Calico kept out of system namespaces, every
 * app namespace closed by default with DNS allowed, and ADR 008's policy budgets.
 */
import type { PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { exemptNamespaces } from "../core/calico";
import { SYSTEM_NAMESPACES } from "../core/intent";
import { GLOBAL_POLICY_BUDGET, MODE_LABEL, NAMESPACE_POLICY_BUDGET, POLICY_SET_LABEL } from "../core/policies";
import { matchesSelector, parseSelector } from "../reach";
import {
    NAMESPACE_TYPE,
    NETWORK_POLICY_TYPE,
    STAGED_KUBERNETES_NETWORK_POLICY_TYPE,
    StackKubernetesObject,
    isCalicoPolicyType,
    isEmptySelector,
    matchLabelsOf,
    mayMatchLabel,
    metadataText,
    stackKubernetesObjects,
} from "./kubernetesObjects";
import { UNKNOWN, Unknown, asList, at, isEverywhere, knownProps, shown } from "./values";

export const NETWORK_POLICY_NO_OPEN_INGRESS = "network-policy-no-open-ingress";
export const CALICO_POLICY_NOT_IN_SYSTEM_NAMESPACES = "calico-policy-not-in-system-namespaces";
export const NAMESPACE_DEFAULT_DENY_AND_DNS = "namespace-default-deny-and-dns";
export const POLICY_BUDGETS = "policy-budgets";

/** The label convention of ADR 008: tier=web|api|data. */
export const TIER_LABEL = "tier";

/**
 * Kubernetes NetworkPolicies never admit the internet (an ipBlock covering every address), and never admit
 * every namespace into pods that can be tier=data. Precisely, for a policy whose podSelector can select a
 * `tier: data` pod (it does not pin another tier): an ingress rule without `from` (every source), or a peer
 * with `namespaceSelector: {}` and no podSelector restriction (every pod of every namespace).
 */
export function networkPolicyNoOpenIngressPolicy(): ResourceValidationPolicy {
    return {
        name: NETWORK_POLICY_NO_OPEN_INGRESS,
        description: "NetworkPolicies never allow ingress from ipBlock 0.0.0.0/0, nor from every namespace (or every source) into tier=data pods.",
        enforcementLevel: "mandatory",
        severity: "critical",
        remediationSteps: "Name the clients: a namespaceSelector on kubernetes.io/metadata.name plus a podSelector, or an internal CIDR (stack config segmentation: flows and ingressFrom).",
        validateResource: (args, reportViolation) => {
            if (args.type !== NETWORK_POLICY_TYPE) return;
            const spec = at(knownProps(args.props), "spec");
            const rules = asList(at(spec, "ingress"));
            if (rules === UNKNOWN) return;
            const dataTier = mayMatchLabel(at(spec, "podSelector"), TIER_LABEL, "data");
            rules.forEach((rule, ruleIndex) => {
                const peers = asList(at(rule, "from"));
                if (peers === UNKNOWN) return;
                if (peers.length === 0 && dataTier === true) {
                    reportViolation(`ingress[${ruleIndex}] has no "from", so every source (every pod and the internet) reaches the tier=data pods this policy selects. List the clients in "from": normally only the api tier of the same namespace (podSelector tier: api).`);
                }
                peers.forEach((peer, peerIndex) => {
                    const where = `ingress[${ruleIndex}].from[${peerIndex}]`;
                    const cidr = at(peer, "ipBlock", "cidr");
                    if (isEverywhere(cidr)) {
                        reportViolation(`${where} allows ipBlock ${shown(cidr)}: the whole internet may connect. Allow the clients' namespaces and pods, or an internal CIDR (stack config ingressFrom never takes 0.0.0.0/0).`);
                    }
                    if (dataTier === true && admitsEveryNamespace(peer) === true) {
                        reportViolation(`${where} admits every pod of every namespace (namespaceSelector {} without a podSelector) into the tier=data pods this policy selects. Select the client namespace by name (kubernetes.io/metadata.name) and its pods; normally only the api tier of the same namespace may reach the data tier.`);
                    }
                });
            });
        },
    };
}

function admitsEveryNamespace(peer: unknown): boolean | Unknown {
    const namespaces = at(peer, "namespaceSelector");
    if (namespaces === undefined) return false;
    const everyNamespace = isEmptySelector(namespaces);
    if (everyNamespace !== true) return everyNamespace;
    return isEmptySelector(at(peer, "podSelector"));
}

/** What Kubernetes and Calico guarantee a namespace carries: its name, under both label keys. */
function guaranteedNamespaceLabels(namespace: string): ReadonlyMap<string, string> {
    return new Map([["kubernetes.io/metadata.name", namespace], ["projectcalico.org/name", namespace]]);
}

/**
 * Calico policies stay out of system namespaces. A namespaced policy must not live in one; a
 * GlobalNetworkPolicy must have a namespaceSelector that matches none of them. Conservatively, a system
 * namespace is assumed to carry only the labels Kubernetes and Calico guarantee (its name): so `all()`,
 * a missing selector, or one built on absent labels (`!has(x)`, `x != 'y'`) all count as selecting them.
 * The pod `selector` never rescues a policy: pods in system namespaces can carry any label.
 * A GlobalNetworkPolicy is held to the namespaces that exist whatever the add-ons (ALWAYS_SYSTEM_NAMESPACES): an
 * add-on's namespace is AKS's only while the add-on is on, and the stack's baseline and guardrail select it otherwise
 * (core/calico/systemNamespaces.ts), which a resource policy cannot tell apart.
 */
export function calicoPolicyNotInSystemNamespacesPolicy(): ResourceValidationPolicy {
    return {
        name: CALICO_POLICY_NOT_IN_SYSTEM_NAMESPACES,
        description: `Calico policies never live in the system namespaces (${SYSTEM_NAMESPACES.join(", ")}), and GlobalNetworkPolicies never select those present without any add-on (${ALWAYS_SYSTEM_NAMESPACES.join(", ")}).`,
        enforcementLevel: "mandatory",
        severity: "critical",
        remediationSteps: "Keep Calico policies in app namespaces; give GlobalNetworkPolicies a namespaceSelector that names app namespaces, e.g. \"aks-zero-trust.io/policy-set == 'enabled'\".",
        validateResource: (args, reportViolation) => {
            const props = knownProps(args.props);
            // Staged policies too (self-managed Calico): enforcing them must not reach into system namespaces either.
            if (isCalicoPolicyType(args.type, "NetworkPolicy") || isCalicoPolicyType(args.type, "StagedNetworkPolicy") || isCalicoPolicyType(args.type, "StagedKubernetesNetworkPolicy")) {
                const namespace = at(props, "metadata", "namespace");
                if (typeof namespace === "string" && (SYSTEM_NAMESPACES as readonly string[]).includes(namespace)) {
                    reportViolation(`Calico NetworkPolicy in system namespace ${namespace}: AKS, Calico and Gatekeeper own it, and a policy there can cut off the control plane (e.g. konnectivity). Move the policy to an app namespace.`);
                }
            } else if (isCalicoPolicyType(args.type, "GlobalNetworkPolicy") || isCalicoPolicyType(args.type, "StagedGlobalNetworkPolicy")) {
                checkGlobalNamespaceSelector(at(props, "spec", "namespaceSelector"), reportViolation);
            }
        },
    };
}

const APP_NAMESPACES_SELECTOR_HINT = `namespaceSelector "${POLICY_SET_LABEL} == 'enabled'"`;

/** The system namespaces every AKS cluster with Calico has, whatever its add-ons. */
const ALWAYS_SYSTEM_NAMESPACES = exemptNamespaces([]);

function checkGlobalNamespaceSelector(text: unknown, reportViolation: ReportViolation): void {
    if (text === UNKNOWN) return;
    if (typeof text !== "string" || text.trim() === "") {
        reportViolation(`spec.namespaceSelector is not set, so the GlobalNetworkPolicy applies to every namespace, system namespaces (${ALWAYS_SYSTEM_NAMESPACES.join(", ")}) included. Select app namespaces only, e.g. ${APP_NAMESPACES_SELECTOR_HINT}.`);
        return;
    }
    let selector;
    try {
        selector = parseSelector(text);
    } catch (error) {
        reportViolation(`spec.namespaceSelector ${shown(text)} is not a valid Calico selector (${(error as Error).message}), so it cannot be shown to leave system namespaces alone. Fix it, e.g. ${APP_NAMESPACES_SELECTOR_HINT}.`);
        return;
    }
    const selected = ALWAYS_SYSTEM_NAMESPACES.filter((namespace) => matchesSelector(selector, guaranteedNamespaceLabels(namespace)));
    if (selected.length > 0) {
        reportViolation(`spec.namespaceSelector ${shown(text)} selects the system namespaces ${selected.join(", ")}. Select app namespaces only, e.g. ${APP_NAMESPACES_SELECTOR_HINT}.`);
    }
}

/**
 * Every app namespace (labelled aks-zero-trust.io/policy-set=enabled) has a default deny for both directions
 * (podSelector {}, policyTypes Ingress and Egress, no rules) and a DNS allow (podSelector {}, egress to
 * kube-system pods labelled k8s-app=kube-dns on UDP 53).
 */
export function namespaceDefaultDenyAndDnsPolicy(): StackValidationPolicy {
    return {
        name: NAMESPACE_DEFAULT_DENY_AND_DNS,
        description: "Every app namespace has a default deny for ingress and egress and a DNS allow to kube-dns on port 53.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps: "Declare the namespace in stack config segmentation.namespaces: its policy set renders default-deny-all and allow-dns.",
        validateStack: (args, reportViolation) => {
            const namespaces = stackKubernetesObjects(args.resources, (type) => type === NAMESPACE_TYPE);
            const policies = stackKubernetesObjects(args.resources, (type) => type === NETWORK_POLICY_TYPE);
            // Self-managed Calico's audit mode stages the namespace's policies (what enforcing will add).
            const staged = stackKubernetesObjects(args.resources, (type) => type === STAGED_KUBERNETES_NETWORK_POLICY_TYPE);
            for (const namespace of namespaces) {
                const name = metadataText(namespace, "name");
                const enabled = at(namespace.metadata, "labels", POLICY_SET_LABEL);
                if (typeof name !== "string" || enabled !== "enabled") continue;
                const audit = at(namespace.metadata, "labels", MODE_LABEL) === "audit";
                const candidates = [...policies, ...(audit ? staged : [])].filter((policy) => [name, UNKNOWN].includes(metadataText(policy, "namespace") ?? "default"));
                if (findPolicy(candidates, isDefaultDeny) === false) {
                    reportViolation(`namespace ${name} has no default deny: without it, pods no policy selects are open in both directions. Add a NetworkPolicy with podSelector {}, policyTypes [Ingress, Egress] and no rules (the namespace policy set renders "default-deny-all").`, namespace.resource.urn);
                }
                if (findPolicy(candidates, isDnsAllow) === false) {
                    reportViolation(`namespace ${name} has no DNS allow: under its default deny, pods cannot resolve names. Add a NetworkPolicy with podSelector {} allowing egress to kube-system pods labelled k8s-app=kube-dns on UDP and TCP 53 (the namespace policy set renders "allow-dns").`, namespace.resource.urn);
                }
            }
        },
    };
}

/** True when some candidate qualifies, false when none can, UNKNOWN when an unknown one might. */
function findPolicy(candidates: readonly StackKubernetesObject[], qualifies: (spec: unknown) => boolean | Unknown): boolean | Unknown {
    let unknown = false;
    for (const candidate of candidates) {
        const verdict = metadataText(candidate, "namespace") === UNKNOWN ? UNKNOWN : qualifies(candidate.spec);
        if (verdict === true) return true;
        if (verdict === UNKNOWN) unknown = true;
    }
    return unknown ? UNKNOWN : false;
}

function isDefaultDeny(spec: unknown): boolean | Unknown {
    const everyPod = isEmptySelector(at(spec, "podSelector"));
    const types = asList(at(spec, "policyTypes"));
    const ingress = asList(at(spec, "ingress"));
    const egress = asList(at(spec, "egress"));
    if (everyPod === UNKNOWN || types === UNKNOWN || ingress === UNKNOWN || egress === UNKNOWN) return UNKNOWN;
    return everyPod && types.includes("Ingress") && types.includes("Egress") && ingress.length === 0 && egress.length === 0;
}

function isDnsAllow(spec: unknown): boolean | Unknown {
    const everyPod = isEmptySelector(at(spec, "podSelector"));
    const types = asList(at(spec, "policyTypes"));
    const rules = asList(at(spec, "egress"));
    if (everyPod === UNKNOWN || types === UNKNOWN || rules === UNKNOWN) return UNKNOWN;
    // policyTypes defaults to include Egress when egress rules exist.
    if (!everyPod || (types.length > 0 && !types.includes("Egress"))) return false;
    let unknown = false;
    for (const rule of rules) {
        const verdict = allowsKubeDns(rule);
        if (verdict === true) return true;
        if (verdict === UNKNOWN) unknown = true;
    }
    return unknown ? UNKNOWN : false;
}

function allowsKubeDns(rule: unknown): boolean | Unknown {
    const peers = asList(at(rule, "to"));
    const ports = asList(at(rule, "ports"));
    if (peers === UNKNOWN || ports === UNKNOWN) return UNKNOWN;
    const udp53 = ports.length === 0 || ports.some((port) => at(port, "protocol") === "UDP" && [53, "53"].includes(at(port, "port") as number | string));
    const kubeDns = peers.some((peer) => {
        const namespaceLabels = matchLabelsOf(at(peer, "namespaceSelector"));
        const podLabels = matchLabelsOf(at(peer, "podSelector"));
        return namespaceLabels !== UNKNOWN && podLabels !== UNKNOWN
            && namespaceLabels["kubernetes.io/metadata.name"] === "kube-system" && podLabels["k8s-app"] === "kube-dns";
    });
    return udp53 && kubeDns;
}

/** ADR 008: at most 10 policies per namespace and 20 global policies (advisory: hygiene, not a hole). */
export function policyBudgetsPolicy(): StackValidationPolicy {
    return {
        name: POLICY_BUDGETS,
        description: `At most ${NAMESPACE_POLICY_BUDGET} network policies per namespace and ${GLOBAL_POLICY_BUDGET} Calico GlobalNetworkPolicies (ADR 008).`,
        enforcementLevel: "advisory",
        severity: "low",
        remediationSteps: "Give workloads that share flows one label set, merge infrastructure namespaces' exemptions, or split the namespace.",
        validateStack: (args, reportViolation) => {
            // Staged policies count: they are the namespace's policies, waiting for enforce (self-managed audit mode).
            const namespaced = stackKubernetesObjects(args.resources, (type) => type === NETWORK_POLICY_TYPE || isCalicoPolicyType(type, "NetworkPolicy") || isCalicoPolicyType(type, "StagedNetworkPolicy") || isCalicoPolicyType(type, "StagedKubernetesNetworkPolicy"));
            const counts = new Map<string, number>();
            for (const policy of namespaced) {
                const namespace = metadataText(policy, "namespace") ?? "default";
                if (namespace !== UNKNOWN) counts.set(namespace, (counts.get(namespace) ?? 0) + 1);
            }
            const namespaceUrns = namespaceUrnsByName(args.resources);
            for (const [namespace, count] of [...counts.entries()].sort(([a], [b]) => a.localeCompare(b))) {
                if (count > NAMESPACE_POLICY_BUDGET) {
                    reportViolation(`namespace ${namespace} has ${count} network policies (Kubernetes and Calico), over the ADR 008 budget of ${NAMESPACE_POLICY_BUDGET}: give workloads that share flows one label set, or split the namespace.`, namespaceUrns.get(namespace));
                }
            }
            const globals = args.resources.filter((resource) => isCalicoPolicyType(resource.type, "GlobalNetworkPolicy") || isCalicoPolicyType(resource.type, "StagedGlobalNetworkPolicy")).length;
            if (globals > GLOBAL_POLICY_BUDGET) {
                reportViolation(`the stack has ${globals} Calico GlobalNetworkPolicies, over the ADR 008 budget of ${GLOBAL_POLICY_BUDGET}: merge infrastructure namespaces' exemptions, or move rules into namespace policy sets.`);
            }
        },
    };
}

function namespaceUrnsByName(resources: readonly PolicyResource[]): Map<string, string> {
    const urns = new Map<string, string>();
    for (const namespace of stackKubernetesObjects(resources, (type) => type === NAMESPACE_TYPE)) {
        const name = metadataText(namespace, "name");
        if (typeof name === "string") urns.set(name, namespace.resource.urn);
    }
    return urns;
}
