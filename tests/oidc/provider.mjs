#!/usr/bin/env node
/*
 * provider.mjs - an OpenID provider on loopback for Portico's tests and
 * demo, built on oidc-provider 9.13.3 (npm; tests/oidc/package.json).
 *
 * Usage:
 *   node tests/oidc/provider.mjs --port PORT
 *       [--redirect-uri URI]...        callbacks of every client
 *       [--post-logout-uri URI]...     post_logout_redirect_uris
 *       [--backchannel-uri URI]        where back-channel logout goes
 *       [--conform]                    conformIdTokenClaims: true
 *
 * PORT may also come from $PT_OIDC_PORT; 0 picks a free one.  The issuer is
 * http://127.0.0.1:PORT.  "ready ISSUER" is printed once it listens.  Logs
 * (one line per event) go to stdout.  Run it in the foreground; SIGTERM
 * stops it.  NEVER expose it: the /admin endpoints below mint tokens.
 *
 * Clients (confidential, response_type code, PKCE S256 required,
 * grant authorization_code, back-channel logout with sid, RP-initiated
 * logout):
 *   portico        client_secret_basic, ID tokens RS256
 *   portico-post   client_secret_post,  ID tokens RS256
 *   portico-es     client_secret_basic, ID tokens ES256
 * Each has the secret CLIENT_SECRET below, which holds characters that
 * RFC 6749 2.3.1 form-encoding must escape (so a relying party that skips
 * the encoding fails).
 *
 * Scopes and claims: openid (sub), profile (name, given_name, family_name,
 * preferred_username), email (email, email_verified), org (org: the
 * organisation slug), groups (groups: an array of group names).  With
 * conformIdTokenClaims false (the default here) the ID token carries every
 * claim of the granted scopes; with --conform (or POST /admin/conform?on=1)
 * only sub and the protocol claims, and the rest comes from userinfo
 * (/me).  ID tokens hold sid (backchannel_logout_session_required).
 *
 * Users: USERS below (the people of tests/fixtures/ldap/demo.ldif, plus
 * tbrennan, in 300 groups).  Sign in with the uid or the email address.
 *
 * Sign-in, driven by a browser or by requests:
 *   GET  /auth?...                 -> 303 /interaction/UID
 *   GET  /interaction/UID          -> 200 form: login, password
 *   POST /interaction/UID/login    -> 303 back to /auth/UID; wrong
 *                                     credentials: 200, the form again with
 *                                     "Invalid username or password."
 *   consent is granted without asking (loadExistingGrant), so the next
 *   redirect is to the client's redirect_uri with code, state and iss.
 *   GET  /interaction/UID/abort    -> access_denied to the client.
 *
 * Sign-out: GET /session/end?client_id=...&post_logout_redirect_uri=...
 * shows a form (hidden xsrf, "logout=yes" submits); POST /session/end/confirm
 * ends the provider session and POSTs a logout token to the back-channel
 * URI of every client the session used.
 *
 * Admin endpoints (tests only; every answer is JSON unless noted):
 *   POST /admin/rotate?alg=RS256|ES256|all&keep=1|0
 *        new signing key(s) with a new kid, published first in /jwks; the
 *        old ones stay published (keep=1, default) or are dropped (keep=0).
 *        -> {"kids": [...]}.  Sessions survive (same store, same cookies).
 *   POST /admin/conform?on=1|0     conformIdTokenClaims on or off.
 *   POST /admin/next-id-token?defect=D[&client=ID]
 *        the next token response (for that client) carries an ID token
 *        spoilt as D, one of DEFECTS below; one shot.
 *   GET  /admin/token?use=id|logout&client=ID&sub=UID[&sid=S][&nonce=N]
 *        [&defect=D][&alg=RS256|ES256]
 *        -> text/plain: a token minted with the current keys (an ID token
 *        with the user's claims, or a logout token with a fresh jti),
 *        spoilt as D when given.
 *   POST /admin/backchannel?client=ID&sub=UID[&sid=S][&defect=D][&nosub=1]
 *        mints a logout token (sid defaults to the one in the last ID
 *        token issued to that client for that user) and POSTs it to the
 *        client's back-channel URI -> {"status", "body", "token"}.
 *   GET  /admin/last?client=ID&sub=UID
 *        -> {"id_token", "sid"} of the last ID token issued to them.
 *   GET  /admin/users -> USERS (uid -> password, name, email, org, groups)
 *   GET  /admin/state -> {"issuer", "kids", "conform", "armed", "clients"}
 *
 * DEFECTS: alg-none (header alg none, empty signature), hs256-pubkey
 * (HS256 keyed with the RSA public key's PEM: the classic forgery),
 * wrong-aud, multi-aud (our aud plus another, no azp), wrong-iss, expired
 * (exp an hour ago), iat-future (iat an hour ahead), wrong-nonce, no-nonce,
 * with-nonce, unknown-kid (signed by a key that is not published),
 * bad-signature (one bit flipped), logout-typ (typ logout+jwt),
 * no-events, no-jti.
 */
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const BCL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
export const CLIENT_SECRET = 'p0rtico s3cret:/+%&=';
const DEFECTS = new Set(['alg-none', 'hs256-pubkey', 'wrong-aud', 'multi-aud',
  'wrong-iss', 'expired', 'iat-future', 'wrong-nonce', 'no-nonce',
  'with-nonce', 'unknown-kid', 'bad-signature', 'logout-typ', 'no-events',
  'no-jti']);

/* ------------------------------------------------------------ users */

const ORG_VENDOR = 'halvard';
const ORG_KESTREL = 'kestrel-cloud';
const ORG_MERIDIAN = 'meridian-shared-services';

function user(uid, password, given, family, email, org, groups) {
  return { uid, password, given, family, name: `${given} ${family}`, email, org, groups };
}

const bigGroups = ['partner-users'];
for (let i = 1; bigGroups.length < 300; i += 1) {
  bigGroups.push(`kestrel-project-${String(i).padStart(3, '0')}`);
}

export const USERS = Object.fromEntries([
  user('hlindqvist', 'hlindqvist-pass', 'Hanna', 'Lindqvist',
    'hanna.lindqvist@halvard.example', ORG_VENDOR, ['portal-admins']),
  user('mokafor', 'mokafor-pass', 'Marcus', 'Okafor',
    'marcus.okafor@halvard.example', ORG_VENDOR, ['channel-managers']),
  user('praman', 'praman-pass', 'Priya', 'Raman',
    'priya.raman@halvard.example', ORG_VENDOR, ['content-managers']),
  user('knakamura', 'knakamura-pass', 'Kenji', 'Nakamura',
    'kenji.nakamura@halvard.example', ORG_VENDOR, ['moderators']),
  user('vhale', 'vhale-pass', 'Vera', 'Hale',
    'vera.hale@halvard.example', ORG_VENDOR, []),
  user('jwhitfield', 'jwhitfield-pass', 'Jack', 'Whitfield',
    'jack.whitfield@kestrel-cloud.example', ORG_KESTREL,
    ['partner-users', 'partner-admins-kestrel']),
  user('lchen', 'lchen-pass', 'Lina', 'Chen',
    'lina.chen@kestrel-cloud.example', ORG_KESTREL,
    ['partner-users', 'beta-program']),
  user('tbrennan', 'tbrennan-pass', 'Tomás', 'Brennan',
    'tomas.brennan@kestrel-cloud.example', ORG_KESTREL, bigGroups),
  user('dtan', 'dtan-pass', 'Daniel', 'Tan',
    'daniel.tan@meridian-shared.example', ORG_MERIDIAN,
    ['partner-users', 'partner-admins-meridian', 'beta-program']),
  user('rkumar', 'rkumar-pass', 'Ravi', 'Kumar',
    'ravi.kumar@meridian-shared.example', ORG_MERIDIAN, ['partner-users']),
  user('bfarrell', 'bfarrell-pass', 'Brendan', 'Farrell',
    'brendan.farrell@meridian-shared.example', ORG_MERIDIAN,
    ['partner-users']),
].map((u) => [u.uid, u]));

function findUser(login) {
  if (Object.hasOwn(USERS, login)) return USERS[login];
  return Object.values(USERS).find((u) => u.email === login);
}

function passwordOk(u, password) {
  const a = crypto.createHash('sha256').update(String(password)).digest();
  const b = crypto.createHash('sha256').update(u.password).digest();
  return crypto.timingSafeEqual(a, b);
}

function userClaims(u) {
  return {
    sub: u.uid,
    name: u.name,
    given_name: u.given,
    family_name: u.family,
    preferred_username: u.uid,
    email: u.email,
    email_verified: true,
    org: u.org,
    groups: u.groups,
  };
}

/* ------------------------------------------------------------- setup */

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PT_OIDC_PORT || '0' },
    'redirect-uri': { type: 'string', multiple: true, default: [] },
    'post-logout-uri': { type: 'string', multiple: true, default: [] },
    'backchannel-uri': { type: 'string' },
    conform: { type: 'boolean', default: false },
  },
});

const state = {
  issuer: null,
  keys: [], // { kid, alg, priv (KeyObject), pub (KeyObject), jwk }
  conform: args.conform,
  armed: [], // { defect, client }
  last: new Map(), // `${client} ${sub}` -> { id_token, sid }
  provider: null,
  handler: null,
};
const cookieKey = crypto.randomBytes(32).toString('base64url');

let kidSeq = 0;
function newKey(alg) {
  kidSeq += 1;
  const { privateKey, publicKey } = alg === 'ES256'
    ? crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `${alg === 'ES256' ? 'ec' : 'rsa'}-${kidSeq}-${crypto.randomBytes(3).toString('hex')}`;
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig', alg };
  return { kid, alg, priv: privateKey, pub: publicKey, jwk };
}

const CLIENTS = [
  { id: 'portico', auth: 'client_secret_basic', alg: 'RS256' },
  { id: 'portico-post', auth: 'client_secret_post', alg: 'RS256' },
  { id: 'portico-es', auth: 'client_secret_basic', alg: 'ES256' },
];

function clientMeta() {
  return CLIENTS.map((c) => ({
    client_id: c.id,
    client_secret: CLIENT_SECRET,
    token_endpoint_auth_method: c.auth,
    id_token_signed_response_alg: c.alg,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: args['redirect-uri'],
    post_logout_redirect_uris: args['post-logout-uri'],
    ...(args['backchannel-uri'] ? {
      backchannel_logout_uri: args['backchannel-uri'],
      backchannel_logout_session_required: true,
    } : {}),
  }));
}

function log(...parts) {
  console.log(new Date().toISOString(), ...parts);
}

function page(title, body) {
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body>${body(esc)}</body></html>`;
}

async function findAccount(ctx, sub) {
  const u = USERS[sub];
  if (!u) return undefined;
  return {
    accountId: sub,
    async claims() { return userClaims(u); },
  };
}

/* Consent for these first-party clients is implied: grant what is asked. */
async function loadExistingGrant(ctx) {
  const { oidc } = ctx;
  const grantId = oidc.result?.consent?.grantId
    || oidc.session.grantIdFor(oidc.client.clientId);
  let grant = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
  if (!grant) {
    grant = new oidc.provider.Grant({
      clientId: oidc.client.clientId,
      accountId: oidc.session.accountId,
    });
  }
  grant.addOIDCScope(oidc.params.scope || 'openid');
  await grant.save();
  return grant;
}

function build() {
  const provider = new Provider(state.issuer, {
    clients: clientMeta(),
    jwks: { keys: state.keys.map((k) => k.jwk) },
    findAccount,
    loadExistingGrant,
    claims: {
      acr: null,
      sid: null,
      auth_time: null,
      iss: null,
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      email: ['email', 'email_verified'],
      org: ['org'],
      groups: ['groups'],
    },
    scopes: ['openid', 'profile', 'email', 'org', 'groups'],
    conformIdTokenClaims: state.conform,
    cookies: { keys: [cookieKey] },
    features: {
      devInteractions: { enabled: false },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = page('Sign out', () => `<h1>Sign out?</h1>${form}`
            + '<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>'
            + '<button type="submit" form="op.logoutForm">No</button>');
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = page('Signed out', () => '<h1>Signed out</h1>');
        },
      },
    },
    /*
     * oidc-provider refuses to POST to special-use addresses (SSRF
     * protection); the relying parties here are all on loopback.
     */
    fetch(url, options) {
      const { dispatcher: _, ...rest } = options;
      return globalThis.fetch(url, rest);
    },
    pkce: { required: () => true },
    responseTypes: ['code'],
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 120,
      Grant: 86400,
      IdToken: 3600,
      Interaction: 900,
      Session: 86400,
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Error', (esc) => `<h1>${esc(out.error)}</h1><p>${esc(out.error_description || '')}</p>`);
    },
  });
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.method === 'POST' && ctx.path === '/token' && ctx.status === 200
      && ctx.body && typeof ctx.body.id_token === 'string') {
      ctx.body = { ...ctx.body, id_token: tokenIssued(ctx.body.id_token) };
    }
  });
  for (const ev of ['server_error', 'grant.error', 'backchannel.error', 'end_session.error',
    'authorization.error', 'introspection.error']) {
    provider.on(ev, (ctx, err) => log(ev, err?.message ?? ctx?.message ?? '', err?.error_description ?? ''));
  }
  provider.on('backchannel.success', (ctx, client, accountId, sid) => log('backchannel.success', client.clientId, accountId, sid));
  provider.on('grant.success', (ctx) => log('grant.success', ctx.oidc.client?.clientId));
  state.provider = provider;
  state.handler = provider.callback();
}

/* ------------------------------------------------------------ tokens */

const b64 = (buf) => Buffer.from(buf).toString('base64url');
const b64json = (o) => b64(JSON.stringify(o));
const unb64json = (s) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
const now = () => Math.floor(Date.now() / 1000);

function signingKey(alg) {
  const k = state.keys.find((x) => x.alg === alg);
  if (!k) throw new Error(`no ${alg} key`);
  return k;
}

function sign(alg, priv, input) {
  if (alg === 'ES256') {
    return crypto.sign('sha256', Buffer.from(input), { key: priv, dsaEncoding: 'ieee-p1363' });
  }
  return crypto.sign('sha256', Buffer.from(input), priv);
}

/*
 * Signs payload with the current key of alg, spoilt as defect (or not).
 * The header's kid names the signing key unless the defect says otherwise.
 */
function makeToken(alg, header, payload, defect) {
  const h = { ...header, alg };
  const p = { ...payload };
  let key = signingKey(alg);
  h.kid = key.kid;
  switch (defect) {
    case undefined: case null: case '': break;
    case 'alg-none':
      return `${b64json({ alg: 'none', typ: 'JWT' })}.${b64json(p)}.`;
    case 'hs256-pubkey': {
      const rsa = signingKey('RS256');
      const hh = { alg: 'HS256', typ: 'JWT', kid: rsa.kid };
      const input = `${b64json(hh)}.${b64json(p)}`;
      const pem = rsa.pub.export({ type: 'spki', format: 'pem' });
      return `${input}.${b64(crypto.createHmac('sha256', pem).update(input).digest())}`;
    }
    case 'wrong-aud': p.aud = 'someone-else'; break;
    case 'multi-aud': p.aud = [].concat(p.aud, 'someone-else'); delete p.azp; break;
    case 'wrong-iss': p.iss = 'http://evil.example'; break;
    case 'expired': p.iat = now() - 7200; p.exp = now() - 3600; break;
    case 'iat-future': p.iat = now() + 3600; p.exp = now() + 7200; break;
    case 'wrong-nonce': p.nonce = crypto.randomBytes(16).toString('base64url'); break;
    case 'no-nonce': delete p.nonce; break;
    case 'with-nonce': p.nonce = 'n-0S6_WzA2Mj'; break;
    case 'unknown-kid':
      key = newKey(alg);
      h.kid = `unknown-${crypto.randomBytes(4).toString('hex')}`;
      break;
    case 'bad-signature': break;
    case 'logout-typ': h.typ = 'logout+jwt'; break;
    case 'no-events': delete p.events; break;
    case 'no-jti': delete p.jti; break;
    default: throw new Error(`unknown defect ${defect}`);
  }
  const input = `${b64json(h)}.${b64json(p)}`;
  const sig = sign(alg, key.priv, input);
  if (defect === 'bad-signature') sig[sig.length - 1] ^= 1;
  return `${input}.${b64(sig)}`;
}

/* Called with every ID token the token endpoint returns. */
function tokenIssued(idToken) {
  const [hs, ps] = idToken.split('.');
  const header = unb64json(hs);
  const payload = unb64json(ps);
  const client = Array.isArray(payload.aud) ? payload.aud[0] : payload.aud;
  state.last.set(`${client} ${payload.sub}`, { id_token: idToken, sid: payload.sid ?? null });
  const i = state.armed.findIndex((a) => !a.client || a.client === client);
  if (i < 0) return idToken;
  const [{ defect }] = state.armed.splice(i, 1);
  log('spoiling ID token for', client, 'as', defect);
  const { alg, kid, ...rest } = header;
  return makeToken(alg, rest, payload, defect);
}

function clientById(id) {
  const c = CLIENTS.find((x) => x.id === id);
  if (!c) throw new HttpError(400, `unknown client ${id}`);
  return c;
}

function mint(q) {
  const c = clientById(q.get('client') || 'portico');
  const sub = q.get('sub');
  const u = USERS[sub];
  const alg = q.get('alg') || c.alg;
  const defect = q.get('defect') || undefined;
  if (defect && !DEFECTS.has(defect)) throw new HttpError(400, `unknown defect ${defect}`);
  if (q.get('use') === 'logout') {
    const last = state.last.get(`${c.id} ${sub}`);
    const sid = q.get('sid') || last?.sid || undefined;
    const p = {
      iss: state.issuer, aud: c.id, iat: now(), exp: now() + 120,
      jti: crypto.randomBytes(16).toString('base64url'),
      events: { [BCL_EVENT]: {} },
    };
    if (sub && q.get('nosub') !== '1') p.sub = sub;
    if (sid) p.sid = sid;
    return makeToken(alg, { typ: 'logout+jwt' }, p, defect);
  }
  if (!u) throw new HttpError(400, 'id tokens need the sub of a user');
  const p = {
    ...userClaims(u), iss: state.issuer, aud: c.id, iat: now(), exp: now() + 600,
  };
  if (q.get('nonce')) p.nonce = q.get('nonce');
  if (q.get('sid')) p.sid = q.get('sid');
  return makeToken(alg, { typ: 'JWT' }, p, defect);
}

/* ------------------------------------------------------------ server */

class HttpError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

function sendJson(res, obj, status = 200) {
  send(res, status, 'application/json', JSON.stringify(obj));
}

async function readForm(req) {
  const chunks = [];
  let len = 0;
  for await (const chunk of req) {
    len += chunk.length;
    if (len > 65536) throw new HttpError(413, 'body too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function loginForm(uid, error) {
  return page('Sign in', (esc) => `<h1>Sign in to the test provider</h1>
${error ? `<p class="error">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login">
<label>Username <input name="login" autocomplete="username" autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form>
<p><a href="/interaction/${esc(uid)}/abort">Cancel</a></p>`);
}

async function interaction(req, res, url) {
  const { provider } = state;
  const m = url.pathname.match(/^\/interaction\/([A-Za-z0-9_-]+)(\/login|\/abort)?$/);
  if (!m) throw new HttpError(404, 'no such interaction route');
  const [, uid, action] = m;
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new HttpError(400, 'interaction mismatch');
  if (action === '/abort') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'the user cancelled',
    }, { mergeWithLastSubmission: false });
    return;
  }
  if (details.prompt.name === 'consent') {
    /* loadExistingGrant grants; this is for a prompt=consent request. */
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope || 'openid');
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  if (details.prompt.name !== 'login') throw new HttpError(501, `prompt ${details.prompt.name}`);
  if (action !== '/login') {
    send(res, 200, 'text/html; charset=utf-8', loginForm(uid));
    return;
  }
  if (req.method !== 'POST') throw new HttpError(405, 'POST the form');
  const form = await readForm(req);
  const u = findUser(form.get('login') || '');
  if (!u || !passwordOk(u, form.get('password') || '')) {
    log('login failed for', JSON.stringify(form.get('login')));
    send(res, 200, 'text/html; charset=utf-8', loginForm(uid, 'Invalid username or password.'));
    return;
  }
  log('login', u.uid);
  await provider.interactionFinished(req, res, { login: { accountId: u.uid } },
    { mergeWithLastSubmission: false });
}

async function admin(req, res, url) {
  const q = url.searchParams;
  const route = `${req.method} ${url.pathname}`;
  switch (route) {
    case 'POST /admin/rotate': {
      const which = q.get('alg') || 'all';
      const algs = which === 'all' ? ['RS256', 'ES256'] : [which];
      if (!algs.every((a) => a === 'RS256' || a === 'ES256')) throw new HttpError(400, 'alg');
      const keep = q.get('keep') !== '0';
      const fresh = algs.map(newKey);
      const old = state.keys.filter((k) => keep || !algs.includes(k.alg));
      state.keys = [...fresh, ...old];
      build();
      log('rotated', algs.join(','), keep ? 'keeping old keys' : 'dropping old keys');
      sendJson(res, { kids: state.keys.map((k) => k.kid) });
      return;
    }
    case 'POST /admin/conform':
      state.conform = q.get('on') === '1';
      build();
      sendJson(res, { conform: state.conform });
      return;
    case 'POST /admin/next-id-token': {
      const defect = q.get('defect');
      if (!DEFECTS.has(defect)) throw new HttpError(400, `unknown defect ${defect}`);
      if (q.get('client')) clientById(q.get('client'));
      state.armed.push({ defect, client: q.get('client') || null });
      sendJson(res, { armed: state.armed });
      return;
    }
    case 'GET /admin/token':
      send(res, 200, 'text/plain', mint(q));
      return;
    case 'POST /admin/backchannel': {
      const c = clientById(q.get('client') || 'portico');
      if (!args['backchannel-uri']) throw new HttpError(400, 'no --backchannel-uri');
      q.set('use', 'logout');
      q.set('client', c.id);
      const token = mint(q);
      const r = await fetch(args['backchannel-uri'], {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ logout_token: token }),
      });
      const body = await r.text();
      log('admin back-channel logout to', c.id, '->', r.status);
      sendJson(res, { status: r.status, body, token });
      return;
    }
    case 'GET /admin/last': {
      const last = state.last.get(`${q.get('client') || 'portico'} ${q.get('sub')}`);
      if (!last) throw new HttpError(404, 'no ID token issued to them yet');
      sendJson(res, last);
      return;
    }
    case 'GET /admin/users':
      sendJson(res, USERS);
      return;
    case 'GET /admin/state':
      sendJson(res, {
        issuer: state.issuer,
        kids: state.keys.map((k) => ({ kid: k.kid, alg: k.alg })),
        conform: state.conform,
        armed: state.armed,
        clients: clientMeta().map(({ client_secret: _, ...m }) => m),
      });
      return;
    default:
      throw new HttpError(404, `no admin route ${route}`);
  }
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, state.issuer);
  let work;
  if (url.pathname.startsWith('/interaction/')) work = interaction(req, res, url);
  else if (url.pathname.startsWith('/admin/')) work = admin(req, res, url);
  else {
    state.handler(req, res);
    return;
  }
  work.catch((err) => {
    const status = err instanceof HttpError ? err.status : 500;
    log('error', req.method, url.pathname, status, err.message);
    if (!res.headersSent) send(res, status, 'text/plain', `${err.message}\n`);
    else res.end();
  });
});

function stop() {
  server.close();
  server.closeAllConnections();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

server.listen(Number(args.port), '127.0.0.1', () => {
  state.issuer = `http://127.0.0.1:${server.address().port}`;
  state.keys = [newKey('RS256'), newKey('ES256')];
  build();
  log('clients', CLIENTS.map((c) => c.id).join(' '), 'redirect_uris', JSON.stringify(args['redirect-uri']),
    'backchannel', args['backchannel-uri'] || '(none)');
  console.log(`ready ${state.issuer}`);
});
