// @ts-check
// Settings the tests read from the environment. The Go test clients_test.go at
// the repository root starts the gateways and sets them.
import { fileURLToPath } from 'node:url';

/** Base URL of a gateway running the built-in simulator, e.g. http://127.0.0.1:8080. */
export const gatewayURL = (process.env.CAPE_GATEWAY_URL ?? '').replace(/\/$/, '');

/** The simulator's demo token, which that gateway puts in GraphiQL's headers pane. */
export const demoToken = process.env.CAPE_GATEWAY_TOKEN ?? '';

/** Base URL of a gateway that serves GraphiQL's files itself (GRAPHIQL_ASSETS_DIR). */
export const selfHostedURL = (process.env.CAPE_GATEWAY_SELFHOSTED_URL ?? '').replace(/\/$/, '');

/** Where screenshots go; the repository's artifacts/ folder by default. */
export const artifactsDir =
  process.env.CAPE_ARTIFACTS_DIR ?? fileURLToPath(new URL('../../artifacts/', import.meta.url));

/** The Chromium the browser tests drive. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Why a test that needs a running gateway cannot run, or false when it can.
 * @returns {string | false}
 */
export function gatewayMissing() {
  if (gatewayURL && demoToken) {
    return false;
  }
  return 'CAPE_GATEWAY_URL and CAPE_GATEWAY_TOKEN are not set: run these tests with ' +
    '`go test -run TestClients .` from the repository root';
}
