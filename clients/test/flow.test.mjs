// @ts-check
// A frontend app's flow through the gateway with Apollo Client: list leads,
// page on by cursor, open one, edit it, see the edit, and show a validation
// error. The documents are operations/*.graphql, typed by codegen, so tsc checks
// this file against the schema.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache } from '@apollo/client';

import { demoToken, gatewayMissing, gatewayURL } from '../lib/env.mjs';
import { LeadDetail, LeadsPage, UpdateLead } from '../lib/graphql.mjs';

const pageSize = 5;

// Queries below name errorPolicy 'none', Apollo's default, so that their data is
// typed as present: a GraphQL error rejects the promise instead.
function newClient() {
  return new ApolloClient({
    link: new HttpLink({
      uri: `${gatewayURL}/query`,
      headers: { Authorization: `Bearer ${demoToken}` },
    }),
    cache: new InMemoryCache(),
  });
}

describe('frontend flow with Apollo Client', { skip: gatewayMissing() }, () => {
  const client = newClient();
  /** @type {string} */
  let endCursor;
  /** @type {string[]} */
  let firstPageIDs;
  /** @type {string} */
  let leadID;

  test('lists the first page of leads', async () => {
    const { data } = await client.query({
      query: LeadsPage, variables: { first: pageSize }, errorPolicy: 'none',
    });
    assert.ok(data.leads, 'leads is null');
    const { edges, pageInfo } = data.leads;

    assert.equal(edges.length, pageSize);
    for (const { node } of edges) {
      assert.match(node.id, /^[0-9a-f-]{36}$/);
      assert.match(node.name, /\S/);
    }
    assert.equal(pageInfo.hasNextPage, true);
    assert.ok(pageInfo.endCursor, 'endCursor is null');
    assert.equal(pageInfo.endCursor, edges[edges.length - 1].cursor);

    endCursor = pageInfo.endCursor;
    firstPageIDs = edges.map((e) => e.node.id);
  });

  test('fetches the next page by cursor', async () => {
    const { data } = await client.query({
      query: LeadsPage,
      variables: { first: pageSize, after: endCursor },
      errorPolicy: 'none',
    });
    assert.ok(data.leads, 'leads is null');
    const ids = data.leads.edges.map((e) => e.node.id);

    assert.equal(ids.length, pageSize);
    assert.deepEqual(ids.filter((id) => firstPageIDs.includes(id)), [],
      'leads on both pages');
    leadID = ids[0];
  });

  test('opens one lead with its related records', async () => {
    const { data } = await client.query({
      query: LeadDetail, variables: { id: leadID }, errorPolicy: 'none',
    });
    assert.ok(data.lead, `lead ${leadID} is null`);

    assert.equal(data.lead.id, leadID);
    assert.ok(data.lead.products, 'products is null');
    for (const product of data.lead.products) {
      assert.match(product.name, /\S/);
    }
    if (data.lead.category) {
      assert.match(data.lead.category.name, /\S/);
    }
  });

  test('updates the contact person and sees the change', async () => {
    const contactPerson = `Wanjiru Kamau ${Date.now()}`;
    const { data } = await client.mutate({
      mutation: UpdateLead, variables: { id: leadID, input: { contactPerson } },
    });
    assert.equal(data?.updateLead?.id, leadID);
    assert.equal(data?.updateLead?.contactPerson, contactPerson);

    // The mutation's answer updated the cached lead that a detail screen reads.
    const cached = client.readQuery({ query: LeadDetail, variables: { id: leadID } });
    assert.equal(cached?.lead?.contactPerson, contactPerson, 'cached contact person');

    // A fresh read from the gateway, past the cache, sees the change too.
    const fresh = await client.query({
      query: LeadDetail,
      variables: { id: leadID },
      fetchPolicy: 'network-only',
      errorPolicy: 'none',
    });
    assert.equal(fresh.data.lead?.contactPerson, contactPerson, 'refetched contact person');
  });

  test('an invalid email is a BAD_USER_INPUT error naming the field', async () => {
    const before = await client.query({
      query: LeadDetail,
      variables: { id: leadID },
      fetchPolicy: 'network-only',
      errorPolicy: 'none',
    });

    const err = await client.mutate({
      mutation: UpdateLead, variables: { id: leadID, input: { contactEmail: 'not-an-email' } },
    }).then(() => null, (/** @type {unknown} */ e) => e);
    assert.ok(CombinedGraphQLErrors.is(err), `error = ${err}, want GraphQL errors`);
    assert.equal(err.errors.length, 1);
    assert.equal(err.errors[0].extensions?.code, 'BAD_USER_INPUT');
    assert.deepEqual(err.errors[0].extensions?.fields, ['input.contactEmail']);

    const after = await client.query({
      query: LeadDetail,
      variables: { id: leadID },
      fetchPolicy: 'network-only',
      errorPolicy: 'none',
    });
    assert.equal(after.data.lead?.contactEmail, before.data.lead?.contactEmail,
      'email after the refused update');
  });
});
