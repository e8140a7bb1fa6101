import { execFileSync } from 'node:child_process';

/** The Debian packages the real-peer tests need, as CI installs them. */
const PACKAGES = 'prometheus prometheus-pushgateway prometheus-alertmanager';

/**
 * The path of a Debian Prometheus binary (`prometheus`, `promtool`,
 * `prometheus-pushgateway`, `prometheus-alertmanager`, `amtool`), or undefined
 * when it is missing outside CI. In CI (`CI=true`) a missing binary fails the
 * test run: CI installs them.
 */
export function requireBinary(name: string): string | undefined {
  for (const candidate of [`/usr/bin/${name}`, name]) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next candidate
    }
  }
  if (process.env.CI === 'true' || process.env.CI === '1') {
    throw new Error(`${name} is not installed; CI must run "apt-get install -y ${PACKAGES}".`);
  }
  console.warn(`[skip] ${name} is not installed: run "apt-get install -y ${PACKAGES}" to run this test.`);
  return undefined;
}
