/**
 * The reachability analysis lives in the policy pack (policies/controls/lib/reachability.ts), which must
 * stay standalone, and is shared from there with the chart flow tables and `socle check`.
 */
export * from "../../policies/controls/lib/reachability";
