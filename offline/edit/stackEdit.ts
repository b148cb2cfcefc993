import { isMap, isSeq, parseDocument, type Document, type YAMLMap, type YAMLSeq } from "yaml";
import { PROJECT } from "../../core/config";
import type { Proposal } from "../../core/evidence";
import type { PortSpec } from "../../core/intent";
import { StackFileError } from "../runtime";

const SEGMENTATION = ["config", `${PROJECT}:segmentation`];

/**
 * Applies proposals to a stack file's text as an edit of `aks-zero-trust:segmentation`, through the yaml package's
 * Document API so that comments, key order and flow/block styles of everything else stay as they were.
 * A port is appended to an existing flow or CIDR entry when there is one; new entries go at the end.
 */
export function applyProposalsToStackText(text: string, file: string, proposals: readonly Proposal[]): string {
    const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
    if (document.errors.length > 0) {
        throw new StackFileError(`${file}${document.errors[0].linePos ? `:${document.errors[0].linePos[0].line}` : ""}: invalid YAML: ${document.errors[0].message.split("\n")[0]}`);
    }
    if (!isMap(document.getIn(SEGMENTATION, true))) {
        throw new StackFileError(`${file}: has no ${PROJECT}:segmentation mapping to add the proposals to`);
    }
    for (const proposal of proposals) {
        if (proposal.kind === "flow") addFlow(document, proposal, file);
        else addEgressCidr(document, proposal, file);
    }
    // No padding inside flow collections: `[80]`, `{app: web}`, as the stack files are written.
    return document.toString({ flowCollectionPadding: false });
}

function addFlow(document: Document, proposal: Extract<Proposal, { kind: "flow" }>, file: string): void {
    const flows = document.getIn([...SEGMENTATION, "flows"], true);
    if (flows !== undefined && !isSeq(flows)) throw new StackFileError(`${file}: ${PROJECT}:segmentation.flows must be a list`);
    const index = flows ? flows.items.findIndex((item) => isMap(item) && item.get("from") === proposal.from && item.get("to") === proposal.to) : -1;
    if (flows && index >= 0) {
        addPort(document, [...SEGMENTATION, "flows", index, "ports"], proposal.port);
        return;
    }
    const entry = document.createNode({ from: proposal.from, to: proposal.to, ports: [portValue(proposal.port)] }) as YAMLMap;
    (entry.get("ports", true) as unknown as YAMLSeq).flow = true;
    if (flows) flows.items.push(entry);
    else document.setIn([...SEGMENTATION, "flows"], document.createNode([entry]));
}

function addEgressCidr(document: Document, proposal: Extract<Proposal, { kind: "egressCidr" }>, file: string): void {
    const [namespace, workload] = proposal.workload.split("/");
    const namespaces = document.getIn([...SEGMENTATION, "namespaces"], true);
    const namespaceIndex = isSeq(namespaces) ? namespaces.items.findIndex((item) => isMap(item) && item.get("name") === namespace) : -1;
    const workloads = namespaceIndex >= 0 ? document.getIn([...SEGMENTATION, "namespaces", namespaceIndex, "workloads"], true) : undefined;
    const workloadIndex = isSeq(workloads) ? workloads.items.findIndex((item) => isMap(item) && item.get("name") === workload) : -1;
    if (workloadIndex < 0) throw new StackFileError(`${file}: workload ${proposal.workload} is not declared under ${PROJECT}:segmentation.namespaces`);
    const workloadPath = [...SEGMENTATION, "namespaces", namespaceIndex, "workloads", workloadIndex];
    const cidrs = document.getIn([...workloadPath, "egress", "cidrs"], true);
    const index = isSeq(cidrs) ? cidrs.items.findIndex((item) => isMap(item) && item.get("cidr") === proposal.cidr) : -1;
    if (index >= 0) {
        addPort(document, [...workloadPath, "egress", "cidrs", index, "ports"], proposal.port);
        return;
    }
    const entry = document.createNode({ cidr: proposal.cidr, ports: [portValue(proposal.port)] }) as YAMLMap;
    (entry.get("ports", true) as unknown as YAMLSeq).flow = true;
    if (isSeq(cidrs)) cidrs.items.push(entry);
    else if (isMap(document.getIn([...workloadPath, "egress"], true))) document.setIn([...workloadPath, "egress", "cidrs"], document.createNode([entry]));
    else document.setIn([...workloadPath, "egress"], document.createNode({ cidrs: [entry] }));
}

function addPort(document: Document, path: ReadonlyArray<string | number>, port: PortSpec): void {
    const ports = document.getIn(path, true);
    const value = portValue(port);
    const present = isSeq(ports) && ports.items.some((item) => JSON.stringify((item as { toJSON?: () => unknown }).toJSON?.() ?? (item as { value?: unknown }).value ?? item) === JSON.stringify(value));
    if (!present) document.addIn(path, document.createNode(value));
}

/** The port as the intent schema takes it: a bare number for TCP. */
function portValue(port: PortSpec): number | { port: number; protocol: string } {
    return port.protocol === "TCP" ? port.port : { port: port.port, protocol: port.protocol };
}
