// @ts-check
// Typed documents for the operations in operations/, and a plain GraphQL POST.
import { readFileSync } from 'node:fs';

import { parse } from 'graphql';

/**
 * @import { TypedDocumentNode } from '@apollo/client'
 * @import { LeadsPageQuery, LeadsPageQueryVariables } from '../generated/graphql.js'
 * @import { LeadDetailQuery, LeadDetailQueryVariables } from '../generated/graphql.js'
 * @import { UpdateLeadMutation, UpdateLeadMutationVariables } from '../generated/graphql.js'
 */

/**
 * Reads and parses operations/<name>.graphql, the same file codegen reads.
 * @param {string} name
 */
function load(name) {
  return parse(readFileSync(new URL(`../operations/${name}.graphql`, import.meta.url), 'utf8'));
}

/** @type {TypedDocumentNode<LeadsPageQuery, LeadsPageQueryVariables>} */
export const LeadsPage = /** @type {any} */ (load('LeadsPage'));

/** @type {TypedDocumentNode<LeadDetailQuery, LeadDetailQueryVariables>} */
export const LeadDetail = /** @type {any} */ (load('LeadDetail'));

/** @type {TypedDocumentNode<UpdateLeadMutation, UpdateLeadMutationVariables>} */
export const UpdateLead = /** @type {any} */ (load('UpdateLead'));

/**
 * Posts a GraphQL query the way curl would, and returns the decoded answer.
 * @param {string} url the gateway's base URL
 * @param {string} token
 * @param {string} query
 * @returns {Promise<{data?: any, errors?: any[]}>}
 */
export async function postQuery(url, token, query) {
  const resp = await fetch(`${url}/query`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  if (!resp.ok) {
    throw new Error(`POST ${url}/query: HTTP ${resp.status}: ${await resp.text()}`);
  }
  return resp.json();
}
