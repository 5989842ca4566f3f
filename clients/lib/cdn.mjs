// @ts-check
// The public CDN that gqlgen's GraphiQL page links to, stood in for by the npm
// packages in node_modules: this machine, like many CI runners, has no route to
// the internet.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The CDN's npm tree, as the page's script and link URLs start. */
export const cdnNPM = 'https://cdn.jsdelivr.net/npm/';

const nodeModules = fileURLToPath(new URL('../node_modules/', import.meta.url));

/** @type {Record<string, string>} */
const contentTypes = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/**
 * Splits a CDN file URL such as .../npm/@graphiql/plugin-explorer@4.0.6/dist/index.umd.js
 * into package name, version and file path.
 * @param {string} url
 */
export function parseCDNURL(url) {
  const m = new URL(url).pathname.match(/^\/npm\/((?:@[^/@]+\/)?[^/@]+)@([^/]+)\/(.+)$/);
  if (!m) {
    throw new Error(`${url} is not a file of an npm package on the CDN`);
  }
  return { name: m[1], version: m[2], file: m[3] };
}

/**
 * Reads the file a CDN URL names from node_modules, after checking that the
 * installed package has the version the URL asks for.
 * @param {string} url
 * @returns {Promise<{body: Buffer, contentType: string}>}
 */
export async function readFromNodeModules(url) {
  const { name, version, file } = parseCDNURL(url);
  const dir = path.join(nodeModules, name);
  const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
  if (pkg.version !== version) {
    throw new Error(`${name}: node_modules has ${pkg.version}, the page asks for ${version}`);
  }
  const full = path.join(dir, file);
  if (!full.startsWith(dir + path.sep)) {
    throw new Error(`${url} leaves the package folder`);
  }
  const contentType = contentTypes[path.extname(full)] ?? 'application/octet-stream';
  return { body: await readFile(full), contentType };
}

/**
 * The subresource integrity value of body, as a page's integrity attribute
 * carries it.
 * @param {Buffer} body
 */
export function sri(body) {
  return 'sha256-' + createHash('sha256').update(body).digest('base64');
}

/**
 * Lists the scripts and stylesheets an HTML page loads, with their integrity
 * attributes (empty when absent).
 * @param {string} html
 * @returns {{url: string, integrity: string}[]}
 */
export function subresources(html) {
  const found = [];
  for (const tag of html.matchAll(/<(?:script|link)\b([^>]*)>/g)) {
    /** @type {Record<string, string>} */
    const attrs = {};
    for (const attr of tag[1].matchAll(/([a-z-]+)="([^"]*)"/g)) {
      attrs[attr[1]] = decodeEntities(attr[2]);
    }
    const url = attrs.src ?? attrs.href;
    if (url) {
      found.push({ url, integrity: attrs.integrity ?? '' });
    }
  }
  return found;
}

/** @param {string} s */
function decodeEntities(s) {
  return s
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Makes a browser context fetch CDN files from node_modules and refuse every
 * other request that leaves the machine. What was served and refused is
 * recorded in the returned lists.
 * @param {import('playwright-core').BrowserContext} context
 */
export async function offlineCDN(context) {
  /** @type {string[]} */
  const served = [];
  /** @type {string[]} */
  const refused = [];

  // Playwright tries the newest route first, so the CDN route goes in last.
  await context.route((url) => !isLoopback(url), async (route) => {
    refused.push(route.request().url());
    await route.abort('internetdisconnected');
  });
  await context.route(`${cdnNPM}**`, async (route) => {
    const url = route.request().url();
    try {
      const { body, contentType } = await readFromNodeModules(url);
      served.push(url);
      await route.fulfill({
        status: 200, body, contentType, headers: { 'Access-Control-Allow-Origin': '*' },
      });
    } catch (err) {
      refused.push(`${url} (${err instanceof Error ? err.message : err})`);
      await route.fulfill({ status: 404, body: String(err) });
    }
  });
  return { served, refused };
}

/** @param {URL} url */
function isLoopback(url) {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) ||
    url.protocol === 'data:' || url.protocol === 'blob:';
}
