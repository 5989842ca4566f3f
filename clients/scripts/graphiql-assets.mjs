#!/usr/bin/env node
// @ts-check
// Fills a folder for the gateway's GRAPHIQL_ASSETS_DIR from node_modules: one
// folder per package the GraphiQL page loads, named name@version, as on the
// CDN's npm tree.
//
//   node scripts/graphiql-assets.mjs /srv/graphiql-assets
import { cp, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packages = ['graphiql', 'react', 'react-dom', '@graphiql/plugin-explorer'];
const nodeModules = fileURLToPath(new URL('../node_modules/', import.meta.url));

const dest = process.argv[2];
if (!dest || process.argv.length > 3) {
  console.error('usage: node scripts/graphiql-assets.mjs FOLDER');
  process.exit(2);
}

for (const name of packages) {
  const src = path.join(nodeModules, name);
  const { version } = JSON.parse(await readFile(path.join(src, 'package.json'), 'utf8'));
  const to = path.join(dest, `${name}@${version}`);
  await mkdir(path.dirname(to), { recursive: true });
  // The package as published: its own node_modules are not part of it.
  await cp(src, to, {
    recursive: true,
    filter: (file) => !path.relative(src, file).split(path.sep).includes('node_modules'),
  });
  console.log(`${name}@${version} -> ${to}`);
}
