/**
 * Sets of non-negative integers as sorted, disjoint, non-adjacent closed intervals stored flat:
 * [lo0, hi0, lo1, hi1, ...]. Shared by port sets and IPv4 address sets.
 */
export type Intervals = readonly number[];

/** The empty interval set. */
export const NO_INTERVALS: Intervals = [];

/** Normalises arbitrary [lo, hi] pairs into a canonical interval set. */
export function intervalsOf(pairs: readonly (readonly [number, number])[]): Intervals {
    const sorted = pairs.filter(([lo, hi]) => lo <= hi).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const result: number[] = [];
    for (const [lo, hi] of sorted) {
        const last = result.length - 1;
        if (last > 0 && lo <= result[last]! + 1) {
            if (hi > result[last]!) result[last] = hi;
        } else {
            result.push(lo, hi);
        }
    }
    return result;
}

/** Union of two interval sets. */
export function unionIntervals(a: Intervals, b: Intervals): Intervals {
    if (a.length === 0) return b;
    if (b.length === 0) return a;
    const result: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
        let lo: number;
        let hi: number;
        if (j >= b.length || (i < a.length && a[i]! <= b[j]!)) {
            lo = a[i]!;
            hi = a[i + 1]!;
            i += 2;
        } else {
            lo = b[j]!;
            hi = b[j + 1]!;
            j += 2;
        }
        const last = result.length - 1;
        if (last > 0 && lo <= result[last]! + 1) {
            if (hi > result[last]!) result[last] = hi;
        } else {
            result.push(lo, hi);
        }
    }
    return result;
}

/** Intersection of two interval sets. */
export function intersectIntervals(a: Intervals, b: Intervals): Intervals {
    if (a.length === 0 || b.length === 0) return NO_INTERVALS;
    const result: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
        const lo = Math.max(a[i]!, b[j]!);
        const hi = Math.min(a[i + 1]!, b[j + 1]!);
        if (lo <= hi) result.push(lo, hi);
        if (a[i + 1]! < b[j + 1]!) i += 2;
        else j += 2;
    }
    return result;
}

/** Elements of `a` that are not in `b`. */
export function subtractIntervals(a: Intervals, b: Intervals): Intervals {
    if (a.length === 0 || b.length === 0) return a;
    const result: number[] = [];
    let j = 0;
    for (let i = 0; i < a.length; i += 2) {
        let lo = a[i]!;
        const hi = a[i + 1]!;
        while (j < b.length && b[j + 1]! < lo) j += 2;
        let k = j;
        while (k < b.length && b[k]! <= hi) {
            if (b[k]! > lo) result.push(lo, b[k]! - 1);
            lo = Math.max(lo, b[k + 1]! + 1);
            k += 2;
        }
        if (lo <= hi) result.push(lo, hi);
    }
    return result;
}

/** True when both sets hold the same elements. */
export function equalIntervals(a: Intervals, b: Intervals): boolean {
    if (a === b) return true;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
}

/** True when `value` is in the set (binary search). */
export function intervalsContain(set: Intervals, value: number): boolean {
    let lo = 0;
    let hi = set.length / 2 - 1;
    while (lo <= hi) {
        const middle = (lo + hi) >> 1;
        if (value < set[middle * 2]!) hi = middle - 1;
        else if (value > set[middle * 2 + 1]!) lo = middle + 1;
        else return true;
    }
    return false;
}

/** True when every element of `inner` is in `outer`. */
export function intervalsCover(outer: Intervals, inner: Intervals): boolean {
    return subtractIntervals(inner, outer).length === 0;
}
