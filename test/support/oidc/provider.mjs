// A real OpenID Provider (the certified `oidc-provider` package) on loopback for the sign-in tests.
// argv: <port> <json: { client_id, client_secret, redirect_uri, accounts: { <login>: { email, groups } } }>
// Prints "ready <issuer>" once listening. Its default development login and consent pages accept any
// password for the accounts listed.
import Provider from 'oidc-provider';

const [port, raw] = process.argv.slice(2);
const spec = JSON.parse(raw);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: spec.client_id,
    client_secret: spec.client_secret,
    redirect_uris: [spec.redirect_uri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], groups: ['groups'] },
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  cookies: { keys: ['oidc-provider-test-cookie-key-0000000000'] },
  findAccount: async (_ctx, id) => {
    const account = spec.accounts[id];
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, email: account.email, email_verified: true, groups: account.groups }) };
  },
});
provider.on('server_error', (_ctx, err) => process.stderr.write(`oidc-provider server_error: ${err.stack}\n`));
provider.listen(Number(port), '127.0.0.1', () => process.stdout.write(`ready ${issuer}\n`));
