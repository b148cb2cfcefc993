/**
 * What the cluster would make of a Calico policy object, checked before it is applied.
 *
 * AKS-managed Calico serves only `crd.projectcalico.org/v1` (REFERENCE.md section 2). On that path the API
 * server checks only the CRD's structural schema: it rejects the object when a field has the wrong type, and
 * prunes fields the schema does not know (a typo such as `selctor` silently becomes "no selector", i.e.
 * everything; at most a client-side warning). Nothing else validates before Felix, which converts the object
 * (libcalico-go syncersv1/updateprocessors) and then validates the converted policy with
 * libcalico-go/lib/validator/v1, dropping an invalid one as if it were missing (felix/calc/validation_filter.go).
 * The conversion itself is silent about some mistakes: an unparsable CIDR is skipped (rules.go
 * ConvertStringsToNets), so a rule whose every net is unparsable matches any address. So two checks run here:
 * - the CRD's structural schema (unknown fields and types), for every Calico version AKS ships;
 * - the rules of Calico's v3 validator (libcalico-go/lib/validator/v3/validator.go `validateRule`,
 *   `validateEntityRule`, `validateNetworkPolicySpec`, `validateGlobalNetworkPolicySpec`), which are at least as
 *   strict as what Felix's conversion and v1 validator accept, plus the conversion's silent cases; read at
 *   v3.29.7, v3.30.7 and v3.31.7 on 2026-12-01.
 * Paths are relative to the object: `spec.ingress[0].destination.selctor`.
 * The schema walk is our own rather than a JSON-Schema library's: CRD schemas are Kubernetes structural schemas,
 * where an unknown field is pruned rather than rejected and `x-kubernetes-int-or-string` has no JSON-Schema
 * meaning; the CRDs use only type, properties, additionalProperties, items, required and anyOf.
 */
import { CALICO_CRD_SCHEMAS, CrdSchemaNode } from "./calicoCrdSchemas";
import { parseSelector } from "../../reach";

/** One problem in an object, at a path inside it. */
export interface ObjectProblem {
    readonly path: string;
    readonly message: string;
}

/** The Calico minor versions whose CRDs objects are checked against (AKS 1.32 -> 3.29, 1.33 -> 3.30, newer -> 3.31). */
export const CALICO_VERSIONS = Object.keys(CALICO_CRD_SCHEMAS).sort() as Array<keyof typeof CALICO_CRD_SCHEMAS>;

/** validator.go actionRegex. */
const ACTIONS = ["Allow", "Deny", "Log", "Pass"];
/** validator.go protocolRegex; numbers 1-255 are accepted too (numorstring.Protocol). */
const PROTOCOLS = ["TCP", "UDP", "ICMP", "ICMPv6", "SCTP", "UDPLite"];
/** numorstring Protocol.SupportsPorts: TCP (6), UDP (17), SCTP (132). */
const PROTOCOLS_WITH_PORTS = new Set<string | number>(["TCP", "UDP", "SCTP", 6, 17, 132]);

/** Every problem of a Calico NetworkPolicy or GlobalNetworkPolicy: CRD schema (all versions) and validator rules. */
export function calicoPolicyProblems(object: { readonly kind: string; readonly spec?: unknown }): ObjectProblem[] {
    const kind = object.kind === "GlobalNetworkPolicy" ? "GlobalNetworkPolicy" : object.kind === "NetworkPolicy" ? "NetworkPolicy" : undefined;
    if (kind === undefined) return [{ path: "kind", message: `expected NetworkPolicy or GlobalNetworkPolicy, found ${JSON.stringify(object.kind)}` }];
    return dedupe([...crdSchemaProblems(object, kind), ...validatorProblems(kind, object.spec)]);
}

/** Problems against the CRD schema of each Calico version; a problem found in only some versions says which. */
export function crdSchemaProblems(object: unknown, kind: "NetworkPolicy" | "GlobalNetworkPolicy"): ObjectProblem[] {
    const byMessage = new Map<string, { problem: ObjectProblem; versions: string[] }>();
    for (const version of CALICO_VERSIONS) {
        const problems: ObjectProblem[] = [];
        walkSchema(object, CALICO_CRD_SCHEMAS[version].kinds[kind], "", problems);
        for (const problem of problems) {
            const key = `${problem.path}\n${problem.message}`;
            const entry = byMessage.get(key) ?? { problem, versions: [] };
            entry.versions.push(version);
            byMessage.set(key, entry);
        }
    }
    return [...byMessage.values()].map(({ problem, versions }) => ({
        path: problem.path,
        message: `${problem.message} (Calico ${versions.join(", ")} ${kind} CRD)`,
    }));
}

/** Kubernetes validates a custom object against its CRD's schema: a type mismatch fails the create or update. */
const REJECTED = ": the API server would reject the object";

/** Kubernetes structural-schema semantics for the keywords the Calico CRDs use. */
function walkSchema(value: unknown, node: CrdSchemaNode, path: string, problems: ObjectProblem[]): void {
    if (value === undefined || value === null) return;
    if (node["x-kubernetes-int-or-string"] || node.anyOf) {
        if (typeof value !== "string" && !Number.isInteger(value)) problems.push({ path, message: `expected an integer or a string, found ${JSON.stringify(value)}${REJECTED}` });
        return;
    }
    switch (node.type) {
        case "object": {
            if (typeof value !== "object" || Array.isArray(value)) {
                problems.push({ path, message: `expected an object, found ${JSON.stringify(value)}${REJECTED}` });
                return;
            }
            const record = value as Record<string, unknown>;
            for (const field of node.required ?? []) {
                if (record[field] === undefined) problems.push({ path: join(path, field), message: `is required${REJECTED}` });
            }
            for (const [field, child] of Object.entries(record)) {
                const known = node.properties?.[field];
                if (known) {
                    walkSchema(child, known, join(path, field), problems);
                } else if (typeof node.additionalProperties === "object") {
                    walkSchema(child, node.additionalProperties, join(path, field), problems);
                } else if (node.properties !== undefined && node.additionalProperties !== true) {
                    const expected = Object.keys(node.properties).sort().join(", ");
                    problems.push({ path: join(path, field), message: `unknown field "${field}": the API server would silently drop it, as the CRD's structural schema prunes unknown fields (expected one of: ${expected})` });
                }
            }
            return;
        }
        case "array":
            if (!Array.isArray(value)) {
                problems.push({ path, message: `expected a list, found ${JSON.stringify(value)}${REJECTED}` });
                return;
            }
            value.forEach((item, index) => node.items && walkSchema(item, node.items, `${path}[${index}]`, problems));
            return;
        case "string":
            if (typeof value !== "string") problems.push({ path, message: `expected a string, found ${JSON.stringify(value)}${REJECTED}` });
            return;
        case "integer":
            if (!Number.isInteger(value)) problems.push({ path, message: `expected an integer, found ${JSON.stringify(value)}${REJECTED}` });
            return;
        case "number":
            if (typeof value !== "number") problems.push({ path, message: `expected a number, found ${JSON.stringify(value)}${REJECTED}` });
            return;
        case "boolean":
            if (typeof value !== "boolean") problems.push({ path, message: `expected true or false, found ${JSON.stringify(value)}${REJECTED}` });
            return;
        default:
            return;
    }
}

type Json = Record<string, unknown>;
const asRecord = (value: unknown): Json | undefined => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : undefined);
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const present = (value: unknown): boolean => value !== undefined && value !== null && value !== "" && !(Array.isArray(value) && value.length === 0);

/** The semantic rules of Calico's v3 validator that a policy spec must pass (Felix drops a policy that fails them). */
function validatorProblems(kind: "NetworkPolicy" | "GlobalNetworkPolicy", specValue: unknown): ObjectProblem[] {
    const problems: ObjectProblem[] = [];
    const spec = asRecord(specValue);
    if (!spec) return problems;
    for (const field of ["selector", "namespaceSelector", "serviceAccountSelector"]) {
        if (typeof spec[field] === "string") {
            selectorProblem(spec[field] as string, `spec.${field}`, problems);
            if (field !== "namespaceSelector" && (spec[field] as string).includes("global()")) {
                problems.push({ path: `spec.${field}`, message: "global() is only valid in a rule's namespaceSelector" });
            }
        }
    }
    const seenTypes = new Set<unknown>();
    asList(spec.types).forEach((type, index) => {
        if (type !== "Ingress" && type !== "Egress") problems.push({ path: `spec.types[${index}]`, message: `expected Ingress or Egress, found ${JSON.stringify(type)}` });
        if (seenTypes.has(type)) problems.push({ path: `spec.types[${index}]`, message: `'${String(type)}' type specified more than once` });
        seenTypes.add(type);
    });
    // Not a validator rule, but a silent no-op: Felix applies a policy to a direction only when types name it
    // (empty types: both; felix/calc/policy_sorter.go ExtractPolicyMetadata), so rules of another direction are ignored.
    const types = asList(spec.types);
    for (const [direction, type] of [["ingress", "Ingress"], ["egress", "Egress"]] as const) {
        if (types.length > 0 && types.every((value) => value === "Ingress" || value === "Egress") && asList(spec[direction]).length > 0 && !types.includes(type)) {
            problems.push({ path: `spec.${direction}`, message: `has rules, but spec.types does not list ${type}: Felix would ignore them` });
        }
    }
    for (const direction of ["ingress", "egress"] as const) {
        asList(spec[direction]).forEach((ruleValue, index) => {
            const rule = asRecord(ruleValue);
            if (rule) ruleProblems(kind, direction, rule, `spec.${direction}[${index}]`, problems);
        });
    }
    return problems;
}

function ruleProblems(kind: "NetworkPolicy" | "GlobalNetworkPolicy", direction: "ingress" | "egress", rule: Json, path: string, problems: ObjectProblem[]): void {
    if (rule.action !== undefined && !ACTIONS.includes(rule.action as string)) {
        problems.push({ path: `${path}.action`, message: `expected one of ${ACTIONS.join(", ")}, found ${JSON.stringify(rule.action)}` });
    }
    for (const field of ["protocol", "notProtocol"]) {
        const protocol = rule[field];
        if (protocol !== undefined && !(PROTOCOLS.includes(protocol as string) || (Number.isInteger(protocol) && (protocol as number) >= 1 && (protocol as number) <= 255))) {
            problems.push({ path: `${path}.${field}`, message: `expected one of ${PROTOCOLS.join(", ")} or a number 1-255, found ${JSON.stringify(protocol)}` });
        }
    }
    const supportsPorts = PROTOCOLS_WITH_PORTS.has(rule.protocol as string | number);
    for (const side of ["source", "destination"] as const) {
        const entity = asRecord(rule[side]);
        if (!entity) continue;
        const here = `${path}.${side}`;
        for (const field of ["ports", "notPorts"]) {
            if (!present(entity[field])) continue;
            if (!supportsPorts) problems.push({ path: `${here}.${field}`, message: "rules that specify ports must set protocol to TCP or UDP or SCTP" });
            asList(entity[field]).forEach((port, index) => portProblem(port, `${here}.${field}[${index}]`, problems));
        }
        for (const field of ["selector", "notSelector", "namespaceSelector"]) {
            if (typeof entity[field] !== "string") continue;
            selectorProblem(entity[field] as string, `${here}.${field}`, problems);
            if (field !== "namespaceSelector" && (entity[field] as string).includes("global()")) {
                problems.push({ path: `${here}.${field}`, message: "global() is only valid in namespaceSelector" });
            }
        }
        for (const field of ["nets", "notNets"]) {
            asList(entity[field]).forEach((net, index) => {
                if (typeof net !== "string" || !isCidr(net)) problems.push({ path: `${here}.${field}[${index}]`, message: `invalid CIDR ${JSON.stringify(net)}: Calico would skip it, and a rule left without nets matches any address` });
            });
        }
        const services = asRecord(entity.services);
        if (services) {
            servicesProblems(kind, direction, side, entity, services, here, problems);
        }
    }
    if (rule.icmp !== undefined && rule.protocol !== "ICMP" && rule.protocol !== "ICMPv6") {
        problems.push({ path: `${path}.icmp`, message: "icmp needs protocol ICMP or ICMPv6" });
    }
    for (const field of ["icmp", "notICMP"]) {
        const icmp = asRecord(rule[field]);
        if (icmp) icmpProblems(icmp, `${path}.${field}`, problems);
    }
}

/** validator.go validateICMPFields and the ICMPFields tags: type 0-254, code 0-255, a code needs a type. */
function icmpProblems(icmp: Json, path: string, problems: ObjectProblem[]): void {
    if (Number.isInteger(icmp.type) && ((icmp.type as number) < 0 || (icmp.type as number) > 254)) problems.push({ path: `${path}.type`, message: `expected an ICMP type 0-254, found ${icmp.type}` });
    if (Number.isInteger(icmp.code) && ((icmp.code as number) < 0 || (icmp.code as number) > 255)) problems.push({ path: `${path}.code`, message: `expected an ICMP code 0-255, found ${icmp.code}` });
    if (icmp.code !== undefined && icmp.code !== null && (icmp.type === undefined || icmp.type === null)) problems.push({ path: `${path}.code`, message: "ICMP code specified without an ICMP type" });
}

/** validateEntityRule and the policy-level services checks: a service match stands alone. */
function servicesProblems(kind: string, direction: "ingress" | "egress", side: "source" | "destination", entity: Json, services: Json, here: string, problems: ObjectProblem[]): void {
    const path = `${here}.services`;
    if (!present(services.name)) problems.push({ path: `${path}.name`, message: "must specify a service name" });
    if (present(entity.namespaceSelector)) problems.push({ path, message: "cannot specify namespaceSelector and services on the same rule" });
    if (present(entity.selector) || present(entity.notSelector)) problems.push({ path, message: "cannot specify selector/notSelector and services on the same rule" });
    if (present(entity.serviceAccounts)) problems.push({ path, message: "cannot specify serviceAccounts and services on the same rule" });
    if (present(entity.nets) || present(entity.notNets)) problems.push({ path, message: "cannot specify nets/notNets and services on the same rule" });
    if (side === "destination" && (present(entity.ports) || present(entity.notPorts))) {
        problems.push({ path, message: "cannot specify ports with a service match: the service's endpoint ports apply" });
    }
    if (direction === "egress" && side === "source") problems.push({ path, message: "not allowed in an egress rule's source" });
    if (direction === "ingress" && side === "destination") problems.push({ path, message: "not allowed in an ingress rule's destination" });
    if (kind === "GlobalNetworkPolicy" && !present(services.namespace)) problems.push({ path: `${path}.namespace`, message: "is required in a GlobalNetworkPolicy" });
    // The v3 API says an empty namespace means the policy's own, but nothing on the crd.projectcalico.org/v1 path
    // fills it in: updateprocessors/rules.go copies it as is and Felix looks up the Service "/<name>", which never
    // exists (felix/calc/rule_scanner.go), so the rule would match nothing (3.29-3.31).
    if (kind === "NetworkPolicy" && !present(services.namespace)) problems.push({ path: `${path}.namespace`, message: "is required: Calico 3.29-3.31 do not default it to the policy's namespace on crd.projectcalico.org/v1, so the rule would match nothing" });
}

function selectorProblem(text: string, path: string, problems: ObjectProblem[]): void {
    try {
        parseSelector(text);
    } catch (error) {
        problems.push({ path, message: `invalid selector ${JSON.stringify(text)}: ${(error as Error).message}` });
    }
}

/**
 * A port: 1-65535, a range "a:b", or a port name. Port 0 fails Felix's validatePort ("port number must be between
 * 0 and 65536" for MinPort < 1, libcalico-go/lib/validator/v1/validator.go), which drops the whole policy.
 */
function portProblem(port: unknown, path: string, problems: ObjectProblem[]): void {
    const inRange = (value: number) => value >= 1 && value <= 65535;
    if (Number.isInteger(port) && inRange(port as number)) return;
    if (typeof port === "string") {
        const range = /^(\d+):(\d+)$/.exec(port);
        if (range && inRange(Number(range[1])) && Number(range[1]) <= Number(range[2]) && inRange(Number(range[2]))) return;
        if (/^\d+$/.test(port) && inRange(Number(port))) return;
        if (/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(port) && /[a-z]/.test(port)) return;
    }
    problems.push({ path, message: `expected a port 1-65535, a range such as "8000:8010" or a port name, found ${JSON.stringify(port)}` });
}

/**
 * A CIDR or address as Go's net.ParseCIDR/ParseIP read it (libcalico-go net.ParseCIDROrIP): no leading zeros in
 * an IPv4 octet (Go >= 1.17). The conversion skips what does not parse, so a typo widens the rule instead of failing.
 */
function isCidr(text: string): boolean {
    const v4 = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})(\/(0|[1-9]\d?))?$/.exec(text);
    if (v4) return v4.slice(1, 5).every((octet) => Number(octet) <= 255) && (v4[6] === undefined || Number(v4[6]) <= 32);
    return /^[0-9a-fA-F:]+(\/\d{1,3})?$/.test(text) && text.includes(":");
}

function join(path: string, field: string): string {
    return path === "" ? field : `${path}.${field}`;
}

function dedupe(problems: ObjectProblem[]): ObjectProblem[] {
    const seen = new Set<string>();
    return problems.filter((problem) => {
        const key = `${problem.path}\n${problem.message}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
    });
}
