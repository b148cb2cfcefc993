import type { StackConfig } from "../config";
import { allowanceOwners, firewallCidrAllowances, firewallFqdnAllowances, type AllowanceHolder } from "./firewallAllowances";
import { planFirewallRules } from "./firewallRules";

/** Where one egress allowance sits on the firewall: the names its logs carry (RuleCollectionGroup, RuleCollection, Rule). */
export interface AllowancePlacement {
    readonly holder: AllowanceHolder;
    readonly kind: "fqdn" | "cidr";
    /** The FQDN (lowercase) or CIDR as the intent holds it. */
    readonly value: string;
    readonly group: string;
    readonly collection: string;
    readonly rule: string;
}

/**
 * Where each egress allowance of the stack sits on the firewall, read off the stack's own rule plan: rules are named
 * after their owner (`namespace-workload`, `infra-namespace`, `cluster`, with `-<protocol>[-<ports>]` when an owner
 * needs several). A CIDR with no placement never reaches the firewall (inside the VNet, pods or services, or SCTP).
 */
export function allowancePlacements(config: StackConfig): AllowancePlacement[] {
    const intent = config.segmentation;
    const groups = planFirewallRules(config, intent ? firewallFqdnAllowances(intent) : [], intent ? firewallCidrAllowances(intent) : []);
    // Longest owner first, so that `shop-backend-api` is not taken for an owner `shop-backend`'s second rule.
    const owners = allowanceOwners(intent).sort((a, b) => b.owner.length - a.owner.length);
    const placements: AllowancePlacement[] = [];
    for (const group of groups) {
        for (const collection of group.ruleCollections) {
            for (const rule of collection.rules) {
                const owner = owners.find((candidate) => rule.name === candidate.owner || rule.name.startsWith(`${candidate.owner}-`));
                if (!owner) continue;
                const place = { holder: owner.holder, group: group.name, collection: collection.name, rule: rule.name };
                if (rule.ruleType === "ApplicationRule") for (const fqdn of rule.targetFqdns ?? []) placements.push({ ...place, kind: "fqdn", value: fqdn });
                else for (const cidr of rule.destinationAddresses ?? []) placements.push({ ...place, kind: "cidr", value: cidr });
            }
        }
    }
    return placements;
}
