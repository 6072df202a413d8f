// Sign-in through the OpenID Connect provider that issues the services' tokens (e.g. Keycloak): the authorization
// code flow with PKCE (S256), run by the browser itself against a public client — no client secret, and the console
// server never sees a token. Settings come from /console-config.json (updraft.console.oidc.*).
import { claims, signIn } from './session.js';

const PENDING = 'updraft.console.oidc';

function b64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function random() {
  return b64url(crypto.getRandomValues(new Uint8Array(32)));
}

function redirectUri() {
  return location.origin + location.pathname;
}

/** The provider to sign in with, or null (paste a token). */
export async function settings() {
  try {
    const response = await fetch('console-config.json', { headers: { Accept: 'application/json' } });
    return response.ok ? (await response.json()).oidc : null;
  } catch {
    return null;
  }
}

async function discover(issuer) {
  const response = await fetch(issuer.replace(/\/$/, '') + '/.well-known/openid-configuration');
  if (!response.ok) throw new Error('the identity provider answered ' + response.status + ' to its discovery document');
  const doc = await response.json();
  if (doc.issuer !== issuer) throw new Error('the identity provider calls itself ' + doc.issuer + ', not ' + issuer);
  return doc;
}

/** Leaves for the provider's sign-in page; it sends the browser back here with a code. */
export async function start(oidc) {
  const doc = await discover(oidc.issuer);
  const verifier = random();
  const state = random();
  const nonce = random();
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, nonce, back: location.hash, tokenEndpoint: doc.token_endpoint }));
  const q = new URLSearchParams({ response_type: 'code', client_id: oidc.clientId, redirect_uri: redirectUri(),
    scope: oidc.scope, state, nonce, code_challenge: challenge, code_challenge_method: 'S256' });
  location.assign(doc.authorization_endpoint + '?' + q);
}

/** On the way back from the provider: exchanges the code for tokens. @return whether this was such a return */
export async function finish(oidc) {
  const params = new URLSearchParams(location.search);
  if (!oidc || (!params.has('code') && !params.has('error'))) return false;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', redirectUri() + ((pending && pending.back) || '#/releases'));
  if (params.has('error')) throw new Error('The identity provider refused the sign-in: ' + params.get('error') + ' ' + (params.get('error_description') || ''));
  if (!pending || params.get('state') !== pending.state) throw new Error('The sign-in answer does not belong to a sign-in started here (state differs).');
  const response = await fetch(pending.tokenEndpoint, { method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri(),
      client_id: oidc.clientId, code_verifier: pending.verifier }) });
  const body = await response.json().catch(() => null);
  if (!response.ok || !body || !body.access_token) {
    throw new Error('The token exchange failed: ' + ((body && (body.error_description || body.error)) || response.status));
  }
  if (body.id_token) {
    const id = claims(body.id_token);
    if (!id || id.nonce !== pending.nonce) throw new Error('The ID token does not belong to this sign-in (nonce differs).');
  }
  signIn(body.access_token);
  return true;
}
