import type { ImageSource } from '../canonical';
import { invalidRequest } from '@gatehouse/contracts';

const DATA_PREFIX = 'data:';
const BASE64_MARK = ';base64,';

/** An OpenAI image_url (http(s) URL or base64 data: URL) as a canonical image source. */
export function imageFromUrl(url: string, param: string): ImageSource {
  if (url.startsWith(DATA_PREFIX)) {
    const comma = url.indexOf(',');
    const mark = url.lastIndexOf(BASE64_MARK, comma);
    if (comma < 0 || mark < 0 || mark + BASE64_MARK.length - 1 !== comma) {
      throw invalidRequest(`${param}: a data: URL must be base64 encoded (data:<media type>;base64,<data>)`, param);
    }
    const mediaType = url.slice(DATA_PREFIX.length, mark);
    if (!mediaType.startsWith('image/')) {
      throw invalidRequest(`${param}: expected an image media type, got "${mediaType}"`, param);
    }
    return { kind: 'base64', media_type: mediaType, data: url.slice(comma + 1) };
  }
  if (url.startsWith('https://') || url.startsWith('http://')) return { kind: 'url', url };
  throw invalidRequest(`${param}: expected an http(s) URL or a base64 data: URL`, param);
}
