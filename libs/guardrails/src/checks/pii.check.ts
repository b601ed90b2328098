import type { Check } from '@gatehouse/contracts';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import { failWith, PolicyCompileError, type CheckFactory, type GuardCheck, type Span } from '../check';
import { originalRange } from '../scan-normalize';
import { analysisOf } from '../text-analysis';
import { compileUserRegex, matchUserRegex } from '../user-regex';
import { phoneDetector, PII_DETECTORS, ssnDetector, type Detector } from './pii-detectors';

type PiiConfig = Extract<Check, { type: 'pii' }>;

/**
 * Personal data: email, phone (libphonenumber-js; national formats of `phone_regions`),
 * credit_card (Luhn), iban (mod-97), us_ssn (invalid ranges rejected), ip_address (v4 and v6), plus `custom` regex entities. Spans are labelled with the
 * upper-cased entity name so redaction yields `[EMAIL_1]`, `[CREDIT_CARD_1]`, `[EMPLOYEE_ID_1]`.
 * Detectors read the text normalized by scan-normalize.ts (zero-width removed, look-alikes folded,
 * NFKC); the spans are mapped back, so redaction replaces the original characters.
 */
export const createPiiCheck: CheckFactory<'pii'> = (config: PiiConfig): GuardCheck => {
  config.phone_regions.forEach((r, i) => {
    if (!isSupportedCountry(r)) throw new PolicyCompileError(`phone_regions[${i}]`, `unknown region ${r}`);
  });
  const own: Partial<Record<string, Detector>> = { phone: phoneDetector(config.phone_regions as CountryCode[], config.context), us_ssn: ssnDetector(config.context) };
  const detectors: [string, Detector][] = config.entities.map((e) => [e.toUpperCase(), own[e] ?? PII_DETECTORS[e]]);
  config.custom.forEach((c, i) => {
    const re = compileUserRegex(c.pattern, `custom[${i}].pattern`);
    detectors.push([c.name.toUpperCase(), (text, emit) => matchUserRegex(re, text, (s, e) => emit(s, e, text.slice(s, e)))]);
  });
  return {
    config,
    windowed: true,
    evaluate(input) {
      const spans: Span[] = [];
      for (let t = 0; t < input.texts.length; t++) {
        const analysis = analysisOf(input, t);
        const scan = analysis.scan;
        for (const [label, detect] of detectors) {
          detect(scan.text, (s, e, key) => {
            const [start, end] = originalRange(scan, s, e);
            spans.push({ text: t, start, end, label, key });
          }, analysis.normalized);
        }
      }
      return failWith(spans);
    },
  };
};
