/**
 * The ADR's breach path as a pack policy: no egress rule opens an address range into link-local space (where the
 * instance metadata service hands out the node's tokens) or onto WireServer. The platform-address guardrail denies
 * both before anything can allow them; this policy keeps the objects themselves honest, so that a hand-written
 * policy or an override cannot make the guardrail the only thing between a pod and IMDS.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { LINK_LOCAL_RANGE, platformAddressProblem, WIRESERVER_ADDRESS } from "../core/azure";
import { cidrProblem, parseIpv4Block } from "../core/common";
import { LOCAL_DNS_ADDRESSES } from "../core/policies";
import { NETWORK_POLICY_TYPE, STAGED_KUBERNETES_NETWORK_POLICY_TYPE, isCalicoPolicyType } from "./kubernetesObjects";
import { UNKNOWN, asList, at, knownProps } from "./values";

export const EGRESS_NEVER_OPENS_PLATFORM_ENDPOINTS = "egress-never-opens-platform-endpoints";

type Range = readonly [number, number];

/** Link-local but the LocalDNS listeners (the stack opens those itself for DNS), and WireServer. */
const FORBIDDEN: readonly Range[] = (() => {
    const linkLocal = parseIpv4Block(LINK_LOCAL_RANGE);
    const listeners = LOCAL_DNS_ADDRESSES.map(parseIpv4Block).sort((a, b) => a.first - b.first);
    const ranges: Range[] = [];
    let start = linkLocal.first;
    for (const listener of listeners) {
        if (listener.first > start) ranges.push([start, listener.first - 1]);
        start = listener.last + 1;
    }
    ranges.push([start, linkLocal.last]);
    const wireServer = parseIpv4Block(WIRESERVER_ADDRESS);
    ranges.push([wireServer.first, wireServer.last]);
    return ranges;
})();

/** Whether `cidr` minus `except` holds a forbidden address. */
function opensPlatformEndpoint(cidr: string, except: readonly string[]): boolean {
    if (cidrProblem(cidr) !== undefined) return false;
    const block = parseIpv4Block(cidr);
    const holes = except.filter((text) => cidrProblem(text) === undefined).map(parseIpv4Block).sort((a, b) => a.first - b.first);
    return FORBIDDEN.some(([first, last]) => {
        let start = Math.max(first, block.first);
        const end = Math.min(last, block.last);
        for (const hole of holes) {
            if (start > end) break;
            if (hole.first <= start && hole.last >= start) start = hole.last + 1;
        }
        return start <= end;
    });
}

function why(cidr: string): string {
    return platformAddressProblem(cidr) ?? `${cidr} (minus its exceptions) still holds an address in link-local ${LINK_LOCAL_RANGE} or WireServer ${WIRESERVER_ADDRESS.replace("/32", "")}, which pods must never reach (instance metadata tokens, the host agent)`;
}

const texts = (value: unknown): string[] => {
    const list = asList(value);
    return list === UNKNOWN ? [] : list.filter((item): item is string => typeof item === "string");
};

/**
 * Whether a staged policy (self-managed Calico's audit mode) becomes enforced as it is: `stagedAction` Set (the
 * default) is the policy it becomes once promoted; Delete, Learn and Ignore carry no rule that will ever be enforced
 * (api/pkg/apis/projectcalico/v3 staged types; reach/input/staged.ts).
 */
function becomesEnforced(props: unknown): boolean {
    const action = at(props, "spec", "stagedAction");
    return action === undefined || action === "Set" || action === UNKNOWN;
}

/**
 * Kubernetes NetworkPolicy egress ipBlocks and Calico Allow rules' `nets` never open IMDS or WireServer. Staged
 * policies are checked as the policies they become: an audit namespace's staged set is what its flip to enforce
 * applies, so a range into IMDS is refused when it is declared, not at the flip.
 */
export function egressNeverOpensPlatformEndpointsPolicy(): ResourceValidationPolicy {
    return {
        name: EGRESS_NEVER_OPENS_PLATFORM_ENDPOINTS,
        description: "No egress rule opens an address range into link-local 169.254.0.0/16 (the instance metadata service) or onto WireServer 168.63.129.16, LocalDNS's listeners excepted.",
        enforcementLevel: "mandatory",
        severity: "critical",
        remediationSteps: "Remove the range from the egress rule (stack config egress.cidrs refuses it too). Pods get Azure tokens through Microsoft Entra Workload ID, never from IMDS.",
        validateResource: (args, reportViolation) => {
            const props = knownProps(args.props);
            const staged = args.type === STAGED_KUBERNETES_NETWORK_POLICY_TYPE || isCalicoPolicyType(args.type, "StagedNetworkPolicy") || isCalicoPolicyType(args.type, "StagedGlobalNetworkPolicy");
            if (staged && !becomesEnforced(props)) return;
            if (args.type === NETWORK_POLICY_TYPE || args.type === STAGED_KUBERNETES_NETWORK_POLICY_TYPE) {
                const rules = asList(at(props, "spec", "egress"));
                if (rules === UNKNOWN) return;
                rules.forEach((rule, ruleIndex) => {
                    const peers = asList(at(rule, "to"));
                    if (peers === UNKNOWN) return;
                    peers.forEach((peer, peerIndex) => {
                        const cidr = at(peer, "ipBlock", "cidr");
                        if (typeof cidr === "string" && opensPlatformEndpoint(cidr, texts(at(peer, "ipBlock", "except")))) {
                            reportViolation(`egress[${ruleIndex}].to[${peerIndex}].ipBlock: ${why(cidr)}.`);
                        }
                    });
                });
            } else if ((["NetworkPolicy", "GlobalNetworkPolicy", "StagedNetworkPolicy", "StagedGlobalNetworkPolicy"] as const).some((kind) => isCalicoPolicyType(args.type, kind))) {
                const rules = asList(at(props, "spec", "egress"));
                if (rules === UNKNOWN) return;
                rules.forEach((rule, ruleIndex) => {
                    if (at(rule, "action") !== "Allow") return;
                    const notNets = texts(at(rule, "destination", "notNets"));
                    for (const cidr of texts(at(rule, "destination", "nets"))) {
                        if (opensPlatformEndpoint(cidr, notNets)) reportViolation(`egress[${ruleIndex}].destination.nets: ${why(cidr)}.`);
                    }
                });
            }
        },
    };
}
