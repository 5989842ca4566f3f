// @ts-check
// TypeScript types generated from the gateway's schema for the operations in
// operations/, and tsc over the code that uses them: a schema change that breaks
// a client's documents or its use of the answers fails here.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';

const clients = fileURLToPath(new URL('..', import.meta.url));
const codegenBin = path.join(clients, 'node_modules/@graphql-codegen/cli/esm/bin.js');
const tscBin = path.join(clients, 'node_modules/typescript/bin/tsc');
const schemaFile = path.join(clients, '../schema.graphqls');

/**
 * Runs a node script and returns its exit code and output.
 * @param {string} script
 * @param {string[]} args
 * @param {{cwd?: string, env?: Record<string, string>}} [opts]
 */
async function run(script, args, opts = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [script, ...args], {
      cwd: opts.cwd ?? clients, env: { ...process.env, ...opts.env }, maxBuffer: 16 << 20,
    });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = /** @type {{code?: number, stdout?: string, stderr?: string}} */ (err);
    return { code: e.code ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/**
 * Returns the schema with one edit inside the body of type Lead.
 * @param {string} from
 * @param {string} to
 */
async function editLead(from, to) {
  const schema = await readFile(schemaFile, 'utf8');
  const start = schema.indexOf('\ntype Lead {');
  const end = schema.indexOf('\n}', start);
  const body = schema.slice(start, end);
  assert.ok(start >= 0 && body.includes(from), `type Lead has no ${JSON.stringify(from)}`);
  return schema.slice(0, start) + body.replace(from, to) + schema.slice(end);
}

/**
 * Makes a copy of this project in a temporary folder, sharing node_modules,
 * with its types generated from schema; returns the folder.
 * @param {import('node:test').TestContext} t
 * @param {string} schema
 */
async function projectWithSchema(t, schema) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cape-clients-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const files = ['lib', 'test', 'operations', 'codegen.yml', 'tsconfig.json', 'package.json'];
  for (const name of files) {
    await cp(path.join(clients, name), path.join(dir, name), { recursive: true });
  }
  await symlink(path.join(clients, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  await writeFile(path.join(dir, 'schema.graphqls'), schema);
  return dir;
}

describe('generated TypeScript types', { concurrency: true }, () => {
  test('generate from the schema and type-check the code that uses them', async () => {
    const gen = await run(codegenBin, ['--config', 'codegen.yml']);
    assert.equal(gen.code, 0, `graphql-codegen failed:\n${gen.output}`);
    const tsc = await run(tscBin, ['--noEmit', '-p', '.']);
    assert.equal(tsc.code, 0, `tsc failed:\n${tsc.output}`);
  });

  test('a document asking for a field the schema drops fails generation', async (t) => {
    const dir = await projectWithSchema(t, await editLead('  contactPerson: String\n', ''));
    const gen = await run(codegenBin, ['--config', 'codegen.yml'], {
      cwd: dir, env: { CODEGEN_SCHEMA: 'schema.graphqls' },
    });
    assert.notEqual(gen.code, 0, `graphql-codegen passed:\n${gen.output}`);
    assert.match(gen.output, /Cannot query field "contactPerson" on type "Lead"/);
  });

  test('a schema change that breaks code using the answers fails tsc', async (t) => {
    const dir = await projectWithSchema(t, await editLead('  id: UUID!\n', '  id: UUID\n'));
    const gen = await run(codegenBin, ['--config', 'codegen.yml'], {
      cwd: dir, env: { CODEGEN_SCHEMA: 'schema.graphqls' },
    });
    assert.equal(gen.code, 0, `graphql-codegen failed:\n${gen.output}`);
    const tsc = await run(tscBin, ['--noEmit', '-p', '.'], { cwd: dir });
    assert.notEqual(tsc.code, 0, `tsc passed:\n${tsc.output}`);
    assert.match(tsc.output, /test\/flow\.test\.mjs\(\d+,\d+\): error TS\d+: .*null/);
  });
});
