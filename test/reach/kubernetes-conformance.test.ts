/**
 * Conformance with Kubernetes' network policy e2e suite: for each transcribed case, the engine (as prober)
 * must reproduce the expected truth table on every probe round. Loopback pairs are not judged, as upstream
 * (ignoreLoopback), and neither are pairs between two external hosts.
 */
import { describe, expect, it } from "vitest";
import { CASES } from "./netpol/cases";
import { endpointsOf } from "./netpol/model";
import { Prober } from "./netpol/probe";
import { Reachability } from "./netpol/truthtable";

describe("Kubernetes netpol e2e cases", () => {
    it("has at least 30 transcribed cases", () => {
        expect(CASES.length).toBeGreaterThanOrEqual(30);
    });

    for (const testCase of CASES) {
        it(testCase.name, () => {
            const prober = new Prober(testCase.cluster, testCase.policies);
            const endpoints = endpointsOf(testCase.cluster);
            for (const step of testCase.steps) {
                const expected = new Reachability(endpoints, true);
                step.expect?.(expected);
                const judged = (from: string, to: string): boolean => from !== to && !(from.startsWith("ext/") && to.startsWith("ext/"));
                const observed = (from: string, to: string): boolean =>
                    judged(from, to) ? prober.canReach(from, to, step.port, step.protocol) : expected.get(from, to);
                const wrong = endpoints.flatMap((from) => endpoints.filter((to) => observed(from, to) !== expected.get(from, to)).map((to) => `${from} -> ${to}`));
                expect(wrong, `${step.protocol} ${step.port}: expected (! marks a wrong cell)\n${expected.pretty(observed)}`).toEqual([]);
            }
        });
    }
});
