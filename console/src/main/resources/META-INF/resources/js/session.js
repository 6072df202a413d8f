// The signed-in operator: a bearer token kept for this tab only (sessionStorage), the roles its `groups` claim
// grants and the tenant its `tenant` claim names (one token, one tenant: another tenant is another sign-in, in this tab
// or another). The roles only decide which controls are shown; every service checks the token on every request.
const KEY = 'updraft.console.token';

export const ROLES = ['viewer', 'operator', 'publisher', 'platform-admin'];

/** The token's claims, or null when it is not a JWT (the signature is the services' business, not ours). */
export function claims(token) {
  const parts = String(token || '').trim().split('.');
  if (parts.length !== 3) return null;
  try {
    const json = atob(parts[1].replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(parts[1].length / 4) * 4, '='));
    const value = JSON.parse(decodeURIComponent(Array.from(json, c => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join('')));
    return value && typeof value === 'object' ? value : null;
  } catch {
    return null;
  }
}

export function token() {
  return sessionStorage.getItem(KEY);
}

export function signIn(raw) {
  const value = String(raw || '').trim().replace(/^Bearer\s+/i, '');
  const c = claims(value);
  if (!c) throw new Error('That is not a JSON Web Token (three base64url parts separated by dots).');
  if (c.exp && c.exp * 1000 < Date.now()) throw new Error('That token expired at ' + new Date(c.exp * 1000).toISOString() + '.');
  sessionStorage.setItem(KEY, value);
  return user();
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

/**
 * {subject, roles, tenant, expires} of the signed-in operator, or null. tenant: the token's `tenant` claim as the
 * services keep it (upper-case, ADR 0021), or null when it has none — the default tenant's in single-tenant mode, and a
 * platform administrator's (who manages tenants and sees no tenant's data).
 */
export function user() {
  const t = token();
  const c = t && claims(t);
  if (!c) return null;
  if (c.exp && c.exp * 1000 < Date.now()) {
    signOut();
    return null;
  }
  const groups = Array.isArray(c.groups) ? c.groups : [];
  return {
    subject: c.upn || c.preferred_username || c.sub || '(no subject)',
    roles: ROLES.filter(r => groups.includes(r)),
    tenant: typeof c.tenant === 'string' ? c.tenant.toUpperCase() : null,
    expires: c.exp ? new Date(c.exp * 1000) : null,
  };
}

/** Whether the signed-in operator holds any of these roles (what a service's @RolesAllowed asks). */
export function can(...roles) {
  const u = user();
  return !!u && roles.some(r => u.roles.includes(r));
}
