/**
 * Test limits shared by every package. Several suites start real processes (Prometheus, promtool,
 * the demo, child Node processes); on a busy 2-core CI machine those take far longer than vitest's
 * 5 s default, so the limits are generous. Timing is never asserted in tests.
 */
export const TEST_LIMITS = { testTimeout: 60_000, hookTimeout: 60_000 } as const;
