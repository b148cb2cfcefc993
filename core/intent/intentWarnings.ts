import type { PortSpec, SegmentationIntent, WorkloadIntent } from "./segmentationIntent";

/**
 * Flows to a port that the target workload does not declare among its container ports. Not an error (a workload
 * may listen on a port it does not list), but usually a typo: the policy then opens a port nothing serves, and the
 * port that is served stays closed. One line per flow port, naming both workloads.
 */
export function undeclaredFlowPortWarnings(intent: SegmentationIntent): string[] {
    const workloads = new Map<string, WorkloadIntent>();
    for (const namespace of intent.namespaces) {
        for (const workload of namespace.workloads) workloads.set(`${namespace.name}/${workload.name}`, workload);
    }
    const warnings: string[] = [];
    for (const flow of intent.flows) {
        const from = `${flow.from.namespace}/${flow.from.workload}`;
        const to = `${flow.to.namespace}/${flow.to.workload}`;
        const target = workloads.get(to);
        if (!target) continue;
        const declared = target.ports.length > 0 ? target.ports.map((port) => `${port.protocol} ${port.port}${port.name ? ` (${port.name})` : ""}`).join(", ") : "no ports";
        for (const port of flow.ports) {
            if (!target.ports.some((containerPort) => servesPort(containerPort, port))) {
                warnings.push(`flow ${from} -> ${to} on ${portText(port)}: ${to} does not declare that port (it declares ${declared})`);
            }
        }
    }
    return warnings;
}

/** Whether a container port lies in a flow's port or range, on the same protocol. */
function servesPort(containerPort: { readonly port: number; readonly protocol: string }, port: PortSpec): boolean {
    return containerPort.protocol === port.protocol && containerPort.port >= port.port && containerPort.port <= (port.endPort ?? port.port);
}

function portText(port: PortSpec): string {
    return `${port.protocol} ${port.port}${port.endPort !== undefined ? `-${port.endPort}` : ""}`;
}
