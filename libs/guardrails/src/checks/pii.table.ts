import type { Labelled } from '../labelled.testing';

/**
 * Labelled tables per PII recogniser (≥ 100 rows each), written for Gatehouse: valid values in the
 * formats people write them, in English, German, Spanish, French and Italian sentences, and near
 * misses (invalid checksums, wrong lengths, values inside longer tokens, look-alikes). Each table
 * scores its own recogniser (a near miss of one entity may well be another entity). Phone rows
 * assume `phone_regions: [US, DE, GB, FR]` (PII_TABLE_REGIONS).
 */
export const PII_TABLE_REGIONS = ['US', 'DE', 'GB', 'FR'];

const CONTEXTS = [
  'My {label} is {v}, thanks.', 'Meine {label} lautet {v}.', 'Mi {label} es {v}.', 'Mon {label} est {v}.', 'Il mio {label} è {v}.',
  '{v}', '({v})', 'Details: "{v}"; see above.', 'Please use {v} from now on.', 'Daten:\n- {label}: {v}\n- Name: Ana',
];
const rows = (label: string, positives: string[], negatives: string[], names: string[]): Labelled[] => {
  const out: Labelled[] = [];
  positives.forEach((v, i) => out.push({ label, text: CONTEXTS[i % CONTEXTS.length].replace('{label}', names[i % names.length]).replace('{v}', v) }));
  negatives.forEach((v, i) => out.push({ label: null, text: CONTEXTS[(i + 3) % CONTEXTS.length].replace('{label}', names[i % names.length]).replace('{v}', v) }));
  return out;
};
const times = <T,>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

const PHONES = [
  '+1 (415) 555-0132', '+1 415 555 0132', '+14155550132', '(415) 555-0132', '415-555-0132', '415.555.0132', '+1 212-555-0198 ext. 42', '(212) 555-1234 x12', '+1 646 555 0101 ext 7',
  '+49 30 12345678', '+49 (0)30 12345678', '0049 30 12345678', '030 12345678', '+49 151 23456789', '0151 23456789', '+49 89 1234567-22', '+44 20 7946 0958', '+44 7911 123456', '020 7946 0958',
  '0044 20 7946 0958', '+33 1 42 68 53 00', '01 42 68 53 00', '+33 6 12 34 56 78', '0033 6 12 34 56 78', '+34 612 345 678', '0034 612 345 678', '+39 06 6982 1234', '+31 20 794 0958', '+41 44 668 18 00',
  '+43 1 53114 0', '+46 8 123 456 78', '+48 22 123 45 67', '+91 98765 43210', '+81 3-1234-5678', '+61 2 9374 4000', '+55 11 91234-5678', '+52 55 1234 5678', '+353 1 234 5678', '+32 470 12 34 56',
  '+351 21 123 4567', '+45 32 12 34 56', '+47 22 12 34 56', '+358 9 1234567', '+420 212 345 678', '+36 1 234 5678', '+30 21 0123 4567', '+90 212 123 45 67', '+972 3-123-4567', '+27 21 123 4567',
  '+65 6123 4567', '+852 2123 4567', 'Tel. +49 170 1234567', '+49 40 4711-0', '+86 10 1234 5678', '+82 2-123-4567', '+64 21 123 4567', '+1 (604) 555-0147', '+1-202-555-0173', '1-800-555-0199', '+1 415 555 0132 #204', '+49 30 1234567 Durchwahl 15',
];
const NOT_PHONES = [
  '2024-11-30', '10.24.3.17', '12:30:45', 'v2.14.3', '123-45-6789', '4111 1111 1111 1111', '1234567', '+1 555 0100', '555-0132', '(000) 000-0000', 'ISBN 978-3-16-148410-0', 'order 12345678901234567890',
  'A1234567B', 'ABC-415-555-0132', '415-555-0132-77777', '3.14159265', '1,234,567,890', '€ 1.234.567,89', '+49 30', 'PLZ 80331 München', '2024/11/30 10:00', '30.11.2024', 'id_4155550132', 'x4155550132y',
  'ticket #4155550132abc', '0000000000', '1111111111', '+999 12345678', 'ref 2019-2020-2021', 'tel: 12', '+1 (415) 555', 'serial 9780306406157', 'Build 20241130.1', 'SKU 4006381333931', 'page 1234 of 5678',
  'score 98-87-76-65', '+0 123 456 7890', '99 99 99', 'IBAN DE89 3704 0044 0532 0130 00', '2001:db8::1',
];

const CARDS_VALID = ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '3530111333300000', '4012888888881881', '5105105105105100', '371449635398431', '6011000990139424', '30569309025904', '2223003122003222', '4000056655665556'];
const groupCard = (d: string, sep: string): string => (d.length === 15 ? [d.slice(0, 4), d.slice(4, 10), d.slice(10)] : d.match(/.{1,4}/g)!).join(sep);
const CARDS = [...CARDS_VALID, ...CARDS_VALID.map((d) => groupCard(d, ' ')), ...CARDS_VALID.map((d) => groupCard(d, '-')), ...CARDS_VALID.slice(0, 8).map((d) => groupCard(d, '  ')), ...CARDS_VALID.slice(0, 8).map((d) => `card no. ${groupCard(d, ' ')}`), ...CARDS_VALID.map((d) => `Karte: ${groupCard(d, '-')}, gültig bis 12/27`)];
const NOT_CARDS = [
  ...CARDS_VALID.map((d) => d.slice(0, -1) + ((Number(d.at(-1)) + 1) % 10)), '1234 5678 9012 3456', '0000 0000 0000 0000', '4111 1111 1111', '4111-1111-1111-1111-1111-1111', 'AB4111111111111111', '4111111111111111XY',
  'order 41111111111111112', '7' + '1'.repeat(15), 'tracking 1Z999AA10123456784', 'phone +1 415 555 0132', '2024 1130 1200 0000', 'id-4111111111111111', 'v4111.1111.1111.1111', 'ISBN 978-3-16-148410-0', '4111 1111 1111 1112', '5555 5555 5555 4445', 'tel 4111111', '12/27 CVV 123', '4111 1111 1111 1113', '6011 1111 1111 1118', '3782 822463 10006', 'Konto 1234567890', 'número 9876543210987', 'n° 4111-1111-1111-1110',
];

const IBANS = [
  'DE89370400440532013000', 'DE89 3704 0044 0532 0130 00', 'GB29NWBK60161331926819', 'GB29 NWBK 6016 1331 9268 19', 'FR1420041010050500013M02606', 'FR14 2004 1010 0505 0001 3M02 606', 'ES9121000418450200051332', 'ES91 2100 0418 4502 0005 1332',
  'IT60X0542811101000000123456', 'IT60 X054 2811 1010 0000 0123 456', 'NL91ABNA0417164300', 'NL91 ABNA 0417 1643 00', 'BE68539007547034', 'BE68 5390 0754 7034', 'AT611904300234573201', 'AT61 1904 3002 3457 3201', 'CH9300762011623852957', 'CH93 0076 2011 6238 5295 7',
  'PL61109010140000071219812874', 'PL61 1090 1014 0000 0712 1981 2874', 'SE4550000000058398257466', 'NO9386011117947', 'DK5000400440116243', 'FI2112345600000785', 'PT50000201231234567890154', 'IE29AIBK93115212345678', 'LU280019400644750000', 'CZ6508000000192000145399',
  'HU42117730161111101800000000', 'GR1601101250000000012300695', 'RO49AAAA1B31007593840000', 'HR1210010051863000160', 'SI56263300012039086', 'SK3112000000198742637541', 'LT121000011101001000', 'LV80BANK0000435195001', 'EE382200221020145685', 'BG80BNBG96611020345678',
  'SA0380000000608010167519', 'AE070331234567890123456', 'TR330006100519786457841326', 'IL620108000000099999999', 'BR1800360305000010009795493C1', 'MT84MALT011000012345MTLCAST001S', 'CY17002001280000001200527600', 'IS140159260076545510730339', 'LI21088100002324013AA', 'MC5811222000010123456789030',
  'SM86U0322509800000000270100', 'IBAN: GB29 NWBK 6016 1331 9268 19 (Barclays)', 'iban DE89370400440532013000.', 'GI75NWBK000000007099453', 'KW81CBKU0000000000001234560101', 'QA58DOHB00001234567890ABCDEFG', 'JO94CBJO0010000000000131000302', 'XK051212012345678906', 'UA213223130000026007233566001', 'KZ86125KZT5004100100', 'GE29NB0000000101904917', 'MD24AG000225100013104168',
];
const NOT_IBANS = [
  'DE89370400440532013001', 'DE89 3704 0044 0532 0130 01', 'GB29NWBK60161331926818', 'FR1420041010050500013M02607', 'ES9121000418450200051333', 'NL91ABNA0417164301', 'DE8937040044053201300', 'DE893704004405320130000', 'XX89370400440532013000', 'de89370400440532013000',
  'ABCDE89370400440532013000', 'DE89370400440532013000XYZ', 'IBAN: DE00 0000 0000 0000 0000 00', 'GB00NWBK60161331926819', 'CH9300762011623852958', 'IT60X0542811101000000123457', 'BE68539007547035', 'AT611904300234573202', 'PL61109010140000071219812875', 'SE4550000000058398257467',
  'NO9386011117948', 'FI2112345600000786', 'PT50000201231234567890155', 'IE29AIBK93115212345679', 'LU280019400644750001', 'CZ6508000000192000145390', 'HU42117730161111101800000001', 'GR1601101250000000012300696', 'US12345678901234567890', 'product code DE-89-3704',
  'invoice 2024-DE89-370', 'ISO 3166 DE', 'DE89 3704', 'the code is GB29', 'ESP 2100 0418', 'SK0000000000000000000000', 'BE00000000000000', 'NL00XXXX0000000000', 'FR76', 'AT6119043002345732',
];

const SSNS = [...times(40, (i) => `${String(101 + i * 13).padStart(3, '0')}-${String(10 + i).padStart(2, '0')}-${String(1000 + i * 197).padStart(4, '0')}`), ...times(20, (i) => `${200 + i * 17} ${String(20 + i).padStart(2, '0')} ${3000 + i * 211}`)];
const NOT_SSNS = [
  '000-12-3456', '666-12-3456', '900-12-3456', '987-65-4321', '123-00-4567', '123-45-0000', '123-45-678', '12-345-6789', '1234-56-789', '12345678', 'A123-45-6789', '123-45-6789B', '123-45 6789', '123 45-6789',
  '2024-11-30', '415-555-0132', 'ref 123-45-67890', 'x-123-45-6789', '123-45-6789-0', '999-99-9999', '666 12 3456', '000 00 0000', '12-34-5678', 'ticket 123/45/6789', 'build 123.45.6789', '123_45_6789', 'part no. 12-3456-789',
  'id 1234-567-89', '1-2-3', '123--45--6789', '950-12-3456', 'ISBN 123-45-6789-0', '12345-6789', '(123) 45-6789', '123-456-789', 'call 212-555-0198', '0-000-00-0000', 'v123-45-6789', '123-45-6789x', '911-00-1234',
];

const EMAILS = [
  'ana@example.com', 'ana.lopez@example.co.uk', 'first.last+tag@sub.example.org', 'j_doe-99@mail.example.io', "o'brien@example.ie", 'USER@EXAMPLE.COM', 'info@müller-example.de'.replace('ü', 'ue'), 'x@y.travel', 'a.b.c@d.e.fr',
  ...times(51, (i) => `user${i}.${['test', 'dev', 'ops', 'sales'][i % 4]}@${['example', 'corp', 'mail', 'acme'][i % 4]}${i}.${['com', 'de', 'es', 'fr', 'net', 'org'][i % 6]}`),
];
const NOT_EMAILS = [
  'ana@', '@example.com', 'ana@example', 'ana@@example.com', 'ana@example..com', 'ana@.example.com', 'ana@-example.com', 'ana@example.c', 'ana@example.123', 'ana at example dot com', 'user@localhost', '@mention on twitter',
  'git@github', 'name@domain,com', 'a@b', 'price 5@10.00', 'email me', 'ana(at)example.com', 'ana#example.com', 'ana@exa mple.com', '@@', 'ana.@', 'x@1.2.3.4', 'ana@example.c0m', 'npm i @scope/pkg', 'decorator @Injectable()',
  'css @media screen', 'at@', 'foo@bar.', 'ana@example.toolongtldxxxxxxxxxxxxxxxxxxxxx', 'user@[]', 'ana@exämple', '.@.', 'ana@example_com', 'first last@example', 'weird@@', '@', 'mail@', 'a@b.c', 'z@z.1',
];

const IPS = [
  '10.24.3.17', '192.168.0.44', '8.8.8.8', '255.255.255.255', '0.0.0.0', '172.16.254.1', '1.2.3.4', '203.0.113.9', '198.51.100.200', '100.64.0.1',
  '2001:db8::1', '2001:0db8:85a3:0000:0000:8a2e:0370:7334', 'fe80::1ff:fe23:4567:890a', '::1', '2001:db8:0:0:1:0:0:1', '::ffff:192.0.2.128', '2606:4700:4700::1111', 'fd12:3456:789a:1::1', '2001:db8:abcd:12::', 'ff02::2',
  ...times(40, (i) => `${10 + i}.${(i * 37) % 256}.${(i * 91) % 256}.${(i * 53) % 255 + 1}`),
];
const NOT_IPS = [
  '256.1.1.1', '1.2.3', '1.2.3.4.5', '999.999.999.999', '01.02.03.004x', 'v1.2.3.4', '1.2.3.4a', 'a1.2.3.4', '10.24.3', '300.20.10.1', 'version 2.14.3', '3.14159', '12:30:45', '2001:db8', 'abc:def',
  'ff:ff', '1:2', ':::1', '2001:db8:::1', '12345::', 'g001:db8::1', 'time 10:24:03', 'ratio 1:2:3', 'MAC 00:1A:2B:3C:4D:5E', 'std::vector', 'http://', 'a::b::c', '1.1', '192.168.0', 'port 8080',
  '2001:db8::1::2', '1.2.3.256', '10.0.0.0.1', 'x10.0.0.1', '10.0.0.1y', '::g', 'fe80::1zz', '1234:5678', 'C::D', '1..2.3.4',
];

/** Context words make weaker forms count (policy `context: true`, the default). */
const PHONE_CONTEXT_ROWS: Labelled[] = [
  { label: 'phone', text: 'Tel.: 0151 23456789' }, { label: 'phone', text: 'Call 1-800-555-0199 for support.' }, { label: 'phone', text: 'Mi teléfono: 91 123 45 67' },
  { label: 'phone', text: 'Handy 0170 1234567, abends erreichbar' }, { label: null, text: 'Rechnung 0151 23456789' }, { label: null, text: 'Mein Telefon kostet 1.234.567 Won' },
];
const SSN_CONTEXT_ROWS: Labelled[] = [
  { label: 'us_ssn', text: 'SSN: 536228412' }, { label: 'us_ssn', text: 'Número de seguro social 536228412.' }, { label: null, text: 'order 536228412' }, { label: null, text: 'SSN 000123456' },
];

export const PII_TABLES: [string, Labelled[]][] = [
  ['phone', [...rows('phone', PHONES, NOT_PHONES, ['phone number', 'Telefonnummer', 'teléfono', 'numéro', 'numero di telefono']), ...PHONE_CONTEXT_ROWS]],
  ['credit_card', rows('credit_card', CARDS, NOT_CARDS, ['card number', 'Kartennummer', 'número de tarjeta', 'numéro de carte', 'numero di carta'])],
  ['iban', rows('iban', IBANS, NOT_IBANS, ['IBAN', 'IBAN', 'IBAN', 'IBAN', 'IBAN'])],
  ['us_ssn', [...rows('us_ssn', SSNS, NOT_SSNS, ['SSN', 'Sozialversicherungsnummer (US)', 'número de seguro social', 'numéro de sécurité sociale US', 'SSN']), ...SSN_CONTEXT_ROWS]],
  ['email', rows('email', EMAILS, NOT_EMAILS, ['email', 'E-Mail-Adresse', 'correo', 'adresse e-mail', 'indirizzo email'])],
  ['ip_address', rows('ip_address', IPS, NOT_IPS, ['IP address', 'IP-Adresse', 'dirección IP', 'adresse IP', 'indirizzo IP'])],
];
