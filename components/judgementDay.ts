import { judgementDay } from "../core/common";

/**
 * The day the program judges Kubernetes version support on (core/config readStackConfig): SOURCE_DATE_EPOCH or the
 * clock, unless an offline run fixed it (`npm run plan -- --today`). The day decides a refusal, never a resource.
 * The override lives on the process's global object, not in this module: the compiled command lines and the compiled
 * program are separate bundles, each with its own copy of this module (as the API access probe in kubernetesApiAccess.ts).
 */
const FIXED_DAY = Symbol.for("aks-zero-trust.judgementDay");
type DayHolder = { [FIXED_DAY]?: string };

/** Fixes the program's day for this process (undefined: back to SOURCE_DATE_EPOCH or the clock). */
export function useJudgementDay(day: string | undefined): void {
    (globalThis as DayHolder)[FIXED_DAY] = day;
}

/** The day the program judges on. */
export function programJudgementDay(): string {
    return (globalThis as DayHolder)[FIXED_DAY] ?? judgementDay(undefined, process.env, () => new Date());
}
