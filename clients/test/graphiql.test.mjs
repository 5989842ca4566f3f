// @ts-check
// GraphiQL at the gateway's / in headless Chromium, as a person exploring the
// API uses it: the page loads, the schema arrives, the demo token is already in
// the headers pane, and a leads query shows its answer.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { launchChromium } from '../lib/browser.mjs';
import { cdnNPM, offlineCDN, readFromNodeModules, sri, subresources } from '../lib/cdn.mjs';
import { artifactsDir, demoToken, gatewayMissing, gatewayURL, selfHostedURL } from '../lib/env.mjs';
import { postQuery } from '../lib/graphql.mjs';

const leadsQuery = `query GraphiQLLeads {
  leads(first: 3) {
    edges {
      node {
        id
        name
        contactPerson
        category {
          name
        }
      }
    }
  }
}`;

/** The files gqlgen's page loads from the CDN, as package@version/file. */
const pageFiles = [
  'react@18.2.0/umd/react.production.min.js',
  'react-dom@18.2.0/umd/react-dom.production.min.js',
  'graphiql@4.1.2/graphiql.min.css',
  'graphiql@4.1.2/graphiql.min.js',
];

/**
 * Reads the text of the CodeMirror editor inside the element selector finds.
 * @param {import('playwright-core').Page} page
 * @param {string} selector
 */
function editorText(page, selector) {
  return page.locator(`${selector} .CodeMirror`).evaluate(
    (el) => /** @type {any} */ (el).CodeMirror.getValue());
}

/**
 * Loads GraphiQL from base, waits for the schema, runs leadsQuery and returns
 * the answer the result pane shows.
 * @param {import('playwright-core').Page} page
 * @param {string} base
 */
async function runLeadsQuery(page, base) {
  const introspection = page.waitForResponse((r) => r.url() === `${base}/query` &&
    (r.request().postData() ?? '').includes('IntrospectionQuery'));
  await page.goto(`${base}/`);
  const schema = await introspection;
  assert.equal(schema.status(), 200, 'introspection status');
  assert.ok((await schema.json()).data?.__schema, 'introspection answer has data.__schema');

  await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
  await page.locator('.graphiql-doc-explorer').getByText('Root Types').waitFor();

  await page.locator('.graphiql-query-editor .CodeMirror').evaluate(
    (el, q) => /** @type {any} */ (el).CodeMirror.setValue(q), leadsQuery);
  const answered = page.waitForResponse((r) => r.url() === `${base}/query` &&
    (r.request().postData() ?? '').includes('GraphiQLLeads'));
  await page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).click();
  assert.equal((await answered).status(), 200, 'query status');

  await page.waitForFunction(() => {
    const el = /** @type {any} */ (document.querySelector('.graphiql-response .CodeMirror'));
    return el?.CodeMirror.getValue().includes('"edges"');
  });
  return JSON.parse(await editorText(page, '.graphiql-response'));
}

describe('GraphiQL', { skip: gatewayMissing() }, () => {
  /** @type {import('playwright-core').Browser} */
  let browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  test('the SRI hashes on the page match the npm files it links', async () => {
    const html = await (await fetch(`${gatewayURL}/`)).text();
    const linked = subresources(html).filter((r) => r.url.startsWith(cdnNPM));
    assert.deepEqual(linked.map((r) => r.url.slice(cdnNPM.length)), pageFiles);

    const mismatches = [];
    for (const { url, integrity } of linked) {
      const { body } = await readFromNodeModules(url);
      if (sri(body) !== integrity) {
        mismatches.push(`${url}: page says ${integrity}, npm file is ${sri(body)}`);
      }
    }
    assert.deepEqual(mismatches, []);
  });

  test('runs a leads query with the demo token already in the headers pane', async () => {
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    const cdn = await offlineCDN(context);
    const page = await context.newPage();
    /** @type {string[]} */
    const pageErrors = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));

    try {
      const shown = await runLeadsQuery(page, gatewayURL);

      const headers = JSON.parse(await editorText(page, '.graphiql-editor-tool ' +
        '.graphiql-editor:not(.hidden)'));
      assert.deepEqual(headers, { Authorization: `Bearer ${demoToken}` });

      const want = await postQuery(gatewayURL, demoToken, leadsQuery);
      assert.equal(shown.data?.leads?.edges?.length, 3, 'leads in the result pane');
      assert.deepEqual(shown, want);
      assert.match(shown.data.leads.edges[0].node.name, /\S/);

      await mkdir(artifactsDir, { recursive: true });
      await page.screenshot({ path: path.join(artifactsDir, 'graphiql.png') });
      assert.deepEqual(cdn.served.map((u) => u.slice(cdnNPM.length)).sort(),
        [...pageFiles].sort());
      assert.deepEqual(cdn.refused, []);
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('runs from the gateway\'s own copy of its files without any CDN', {
    skip: !selfHostedURL && 'CAPE_GATEWAY_SELFHOSTED_URL is not set',
  }, async () => {
    const html = await (await fetch(`${selfHostedURL}/`)).text();
    for (const { url, integrity } of subresources(html)) {
      assert.match(url, /^\/graphiql-assets\//);
      assert.match(integrity, /^sha256-/);
    }

    const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    const cdn = await offlineCDN(context);
    const page = await context.newPage();
    try {
      const shown = await runLeadsQuery(page, selfHostedURL);
      assert.equal(shown.data?.leads?.edges?.length, 3, 'leads in the result pane');
      assert.deepEqual(cdn.served, [], 'files fetched from the CDN');
      assert.deepEqual(cdn.refused, [], 'requests that left the machine');
    } finally {
      await context.close();
    }
  });
});
