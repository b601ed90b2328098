import { CheckSchema } from '@gatehouse/contracts';
import { score, type Labelled } from '../labelled.testing';
import { createSecretsCheck } from './secrets.check';
import { shannonEntropy } from './secret-detectors';

const check = createSecretsCheck(CheckSchema.parse({ type: 'secrets' }) as never);
const ctx = { requestId: 'r', team: 't', keyId: 'k', model: 'm' };
const detect = (text: string): string[] => {
  const v = check.evaluate({ stage: 'input', texts: [text] }, ctx);
  if (v instanceof Promise) throw new Error('secrets must be synchronous');
  return [...v.details];
};

const P = (label: string, text: string): Labelled => ({ label, text });
const N = (text: string): Labelled => ({ label: null, text });

const PEM_BODY = 'MIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi6z2c8J1mK4pLq0wR7v\nZx5Hn2Yb8Ud3Fs6Ge9Jk1Lm4No7Pq0Rs3Tu6Vw9Xy2Za5Bc8De1Fg4Hi7Jk0L\n';

const TABLE: Labelled[] = [
  P('openai_key', 'OPENAI_API_KEY=sk-proj-4fG7hJ2kL9mN3pQ8rS1tU6vW0xY5zA2bC7dE9fG1hJ3kL5mN7pQ9rS2tU4vW6xY8zA0bC'),
  P('openai_key', 'use key sk-Ab3De5Gh7Jk9Lm1No3Pq5Rs7Tu9Vw1Xy3Za5Bc7De9Fg1Hi in the client'),
  P('openai_key', 'client = OpenAI(api_key="sk-svcacct-Zq8Wx2Ec4Rv6Tb8Yn0Um2Ik4Ol6Pa8Sd0Fg")'),
  P('anthropic_key', 'x-api-key: sk-ant-api03-Xy7Zb2Cd4Ef6Gh8Ij0Kl2Mn4Op6Qr8St0Uv2Wx4Yz6Ab8Cd0Ef2Gh4Ij6Kl8Mn0Op2Qr4St6Uv8Wx0Yz2Ab4Cd6-Ef8GhAA'),
  P('anthropic_key', 'ANTHROPIC_API_KEY=sk-ant-admin01-Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz'),
  P('aws_access_key_id', 'aws id AKIAIOSFODNN7EXAMPLE for the bucket'),
  P('aws_access_key_id', 'temporary creds ASIAY34FZKBOKMUTVV7A'),
  P('aws_secret_key', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'),
  P('aws_secret_key', 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'),
  P('aws_secret_key', 'AWS secret: Hk9/Lm2Np4Qr6St8Uv0Wx2Yz4Ab6Cd8Ef0Gh2Ij4'),
  P('github_token', 'git clone https://ghp_1A2b3C4d5E6f7G8h9I0j1K2l3M4n5O6p7Q8r@github.com/org/repo'),
  P('github_token', 'GITHUB_TOKEN=gho_Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8Nn'),
  P('github_token', 'token github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU'),
  P('slack_token', 'SLACK_BOT_TOKEN=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'),
  P('slack_token', 'user token xoxp-2345678901-3456789012-4567890123-a1b2c3d4e5f6'),
  P('google_api_key', 'maps key AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY'),
  P('stripe_key', 'STRIPE_SECRET_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc'),
  P('stripe_key', 'restricted rk_live_51H8x2LkJ9mN0pQ7rS3tU'),
  P('jwt', 'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'),
  P('jwt', 'cookie session=eyJhbGciOiJSUzI1NiJ9.eyJ1c2VyIjoiYWxpY2UiLCJyb2xlIjoiYWRtaW4ifQ.c2lnbmF0dXJlLXBhcnQ'),
  P('private_key', `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}-----END RSA PRIVATE KEY-----`),
  P('private_key', `here:\n-----BEGIN PRIVATE KEY-----\n${PEM_BODY}-----END PRIVATE KEY-----\nthanks`),
  P('private_key', `-----BEGIN OPENSSH PRIVATE KEY-----\n${PEM_BODY}-----END OPENSSH PRIVATE KEY-----`),
  P('private_key', `-----BEGIN EC PRIVATE KEY-----\n${PEM_BODY}`),
  P('high_entropy', 'session secret 9f8Kq2LmZx7Rv4Tn1Wb6Yc3Hd5Jg0Ps8Ue'),
  P('high_entropy', 'DB_PASSWORD=Xr7#kP2 is old, new one is Tq9Lw3Zm8Rv1Yb5Nc7Hd2Jf6'),
  P('high_entropy', 'webhook signing secret whsec_3Kd9Lq2Zx8Rv5Tn1Wb7Yc4Hm6Jg0Ps'),
  N('we use sk-learn for the baseline model'),
  N('replace sk-proj-XXXXXXXXXXXXXXXXXXXXXXXXXXXX with your key'),
  N('the prefix AKIA marks an AWS access key id'),
  N('commit e83c5163316f89bfbde7d9ab23ca2e25604af290 fixed it'),
  N('sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'),
  N('request id 123e4567-e89b-12d3-a456-426614174000'),
  N('see https://github.com/nestjs/nest/blob/master/packages/core/index.ts'),
  N('binary at /usr/local/lib/node_modules/typescript/lib/tsc.js'),
  N('class AbstractSingletonProxyFactoryBean is a meme'),
  N('ghp_short is not a token'),
  N('a JWT header alone: eyJhbGciOiJIUzI1NiJ9'),
  N('-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----'),
  N('Slack tokens start with xoxb- or xoxp-'),
  N('npm install @nestjs/platform-fastify@11.2.8'),
  N('The password policy requires 12 characters and a digit.'),
  N('<div class="col-md-6 col-lg-4 text-center">'),
  N('internationalization_and_localization_settings_v2'),
  N('Use the variable OPENAI_API_KEY, never hard-code it.'),
];

describe('secrets check: labelled table', () => {
  it('meets precision ≥ 0.95 and recall ≥ 0.9 over ≥ 30 rows with near misses', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(30);
    const s = score('secrets', TABLE, detect);
    expect(s.precision).toBeGreaterThanOrEqual(0.95);
    expect(s.recall).toBeGreaterThanOrEqual(0.9);
  });

  it('counts a 40-character AWS-looking string as a secret only near AWS context', () => {
    const key = 'Hk9/Lm2Np4Qr6St8Uv0Wx2Yz4Ab6Cd8Ef0Gh2Ij4';
    expect(detect(`AKIAIOSFODNN7EXAMPLE ${key}`)).toEqual(['aws_access_key_id', 'aws_secret_key']);
    expect(detect(`checksum ${key.replace(/\//g, '')}xx`)).not.toContain('aws_secret_key');
  });

  it('raising entropy_threshold stops flagging generic random tokens but not known key formats', () => {
    const strict = createSecretsCheck(CheckSchema.parse({ type: 'secrets', entropy_threshold: 6 }) as never);
    const run = (t: string) => strict.evaluate({ stage: 'input', texts: [t] }, ctx) as unknown as { details: string[] };
    expect(run('session secret 9f8Kq2LmZx7Rv4Tn1Wb6Yc3Hd5Jg0Ps8Ue').details).toEqual([]);
    expect(run('STRIPE_SECRET_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc').details).toEqual(['stripe_key']);
  });

  it('finds each provider key format at its shortest, between punctuation, alone or in prose', () => {
    const SHORTEST: [string, string][] = [
      ['slack_token', 'xoxb-12345abcde'],
      ['aws_access_key_id', 'AKIAIOSFODNN7EXAMPLE'],
      ['stripe_key', 'sk_live_abcd1234efgh5678'],
      ['openai_key', 'sk-abcde12345fghij67890'],
      ['anthropic_key', 'sk-ant-abcde12345fghij67890'],
      ['google_api_key', 'AIzaSy0123456789abcdefghijklmnopqrstuvw'],
      ['github_token', `ghp_${'a1B2c3D4e5'.repeat(3)}a1B2c3`],
    ];
    for (const [label, key] of SHORTEST) {
      expect(detect(key)).toEqual([label]);
      expect(detect(`Config: (token="${key}"); see the docs.`)).toEqual([label]);
    }
  });

  it('computes Shannon entropy in bits per character', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });
});
