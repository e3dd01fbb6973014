// A real OpenID Connect provider for the single sign-on tests (tests/oidc/conftest.py starts it
// once a test session): the OpenID Certified `oidc-provider` package with test people, a groups
// claim, a sign-in form and one confidential client. Loopback only; for tests, never a deployment.
//
// node provider.mjs CLIENT_ID CLIENT_SECRET
// listens on a free port of 127.0.0.1 and prints "listening PORT" when it is ready.
//
// Test control (loopback, for the tests that change what the provider says of someone):
// PUT /_test/people/<username> {"groups": [...]} sets a person's groups (creating them);
// DELETE /_test/people/<username> makes the provider forget them.
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const [clientId, clientSecret] = process.argv.slice(2);
if (!clientId || !clientSecret) {
  console.error('usage: node provider.mjs CLIENT_ID CLIENT_SECRET');
  process.exit(2);
}
const CALLBACK_PATH = '/accounts/organisation/callback/';
const PASSWORD = 'provider-password-1';

// username: sub, name, email, groups
const people = new Map(Object.entries({
  officer: { sub: 'a1f0c3d2-0001', given: 'Olive', family: 'Officer', groups: ['iia-dundee-officers'] },
  clerk: { sub: 'a1f0c3d2-0002', given: 'Callum', family: 'Clerk', groups: ['iia-dundee-clerks', 'all-staff'] },
  nobody: { sub: 'a1f0c3d2-0003', given: 'Nina', family: 'Nobody', groups: ['all-staff'] },
  angus: { sub: 'a1f0c3d2-0004', given: 'Angus', family: 'Officer', groups: ['iia-angus-officers'] },
}));
const bySub = (sub) => [...people.entries()].find(([, p]) => p.sub === sub);

function account(username, person) {
  return {
    accountId: person.sub,
    async claims() {
      return {
        sub: person.sub,
        email: `${username}@nhs.example`,
        email_verified: true,
        name: `${person.given} ${person.family}`,
        given_name: person.given,
        family_name: person.family,
        preferred_username: username,
        groups: person.groups,
      };
    },
  };
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const server = http.createServer();
await new Promise((resolve) => { server.listen(0, '127.0.0.1', resolve); });
const { port } = server.address();

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [`http://testserver${CALLBACK_PATH}`],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' }] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    groups: ['groups'],
  },
  scopes: ['openid', 'email', 'profile', 'groups'],
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // a first-party client: what it asks for is granted without a consent page
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile groups');
    await grant.save();
    return grant;
  },
  async findAccount(ctx, sub) {
    const found = bySub(sub);
    return found ? account(...found) : undefined;  // forgotten: no tokens, no claims
  },
  cookies: { keys: ['test-provider-cookie-key'] },
});
// The relying party runs on Django's test client (http://testserver) or a live server on a
// loopback port, so any of those is a registered callback.
provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(value) {
  try {
    const url = new URL(value);
    return url.pathname === CALLBACK_PATH && ['testserver', '127.0.0.1', 'localhost'].includes(url.hostname)
      && !url.search && !url.hash;
  } catch {
    return false;
  }
};

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
function page(res, uid, error = '') {
  res.writeHead(error ? 401 : 200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="en"><head><title>Test provider: sign in</title></head><body><main>
<h1>Test organisation: sign in</h1>${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="username">Username</label> <input id="username" name="username" autocomplete="username">
<label for="password">Password</label> <input id="password" name="password" type="password">
<button type="submit">Sign in to the test organisation</button></form></main></body></html>`);
}

async function body(req) {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 10000) throw new Error('too large');
  }
  return text;
}

async function interaction(req, res) {
  const match = req.url.match(/^\/interaction\/([\w-]+)(\/login)?$/);
  if (!match) return false;
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name !== 'login') {
    // nothing but a sign-in is ever asked (the grant is made above)
    await provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
  } else if (req.method === 'POST' && match[2]) {
    const form = new URLSearchParams(await body(req));
    const username = form.get('username') || '';
    const person = people.get(username);
    if (!person || form.get('password') !== PASSWORD) {
      page(res, details.uid, 'That username and password are not right.');
    } else {
      await provider.interactionFinished(req, res, { login: { accountId: person.sub } }, { mergeWithLastSubmission: false });
    }
  } else {
    page(res, details.uid);
  }
  return true;
}

async function control(req, res) {
  const match = req.url.match(/^\/_test\/people\/([\w-]+)$/);
  if (!match) return false;
  const username = match[1];
  if (req.method === 'DELETE') {
    people.delete(username);
  } else if (req.method === 'PUT') {
    const { groups } = JSON.parse(await body(req));
    const person = people.get(username) || { sub: `test-${username}`, given: username, family: 'Test', groups: [] };
    people.set(username, { ...person, groups });
  } else {
    return false;
  }
  res.writeHead(204);
  res.end();
  return true;
}

const callback = provider.callback();
server.on('request', async (req, res) => {
  try {
    if (await interaction(req, res) || await control(req, res)) return;
  } catch (error) {
    res.writeHead(400, { 'Content-Type': 'text/plain' });
    res.end(String(error));
    return;
  }
  callback(req, res);
});
console.log(`listening ${port}`);
