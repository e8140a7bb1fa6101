import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generatedArtifacts } from './artifacts';

/** `node dist/generate.js <repository root>`: writes the dashboards, rules and rule tests. */
const root = resolve(process.argv[2] ?? '.');
for (const [path, content] of generatedArtifacts()) {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  console.log(`wrote ${path}`);
}
