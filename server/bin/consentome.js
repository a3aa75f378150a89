#!/usr/bin/env node
// Launcher for the compiled CLI (server/dist). `npm start` and `npm run build` compile it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write(
    'consentome: not built yet. Run `npm run build` (or `npm start`) at the repository root first.\n',
  );
  process.exit(1);
}
await import(entry);
