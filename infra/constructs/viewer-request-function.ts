import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';

/**
 * Feed files whose media type CloudFront does not compress itself: `application/atom+xml` and
 * `application/feed+json` are not on its list of compressible types (`application/rss+xml` is).
 * When precompressed feeds are on, the publisher stores `<key>.br` and `<key>.gz` siblings
 * (same Content-Type and Cache-Control, plus Content-Encoding) and the viewer request picks one.
 */
export const PRECOMPRESSED_FEED_FILES = ['atom.xml', 'feed.json'] as const;

/**
 * Source of the viewer-request function (cloudfront-js-2.0):
 * - `/` and `/…/` become `/index.html` and `/…/index.html`, as on a web server (an S3 origin
 *   has no directory index);
 * - when `precompressed` is true, `…/atom.xml` and `…/feed.json` become their `.br` or `.gz`
 *   sibling, whichever the viewer accepts (Brotli first, `q=0` honoured). The function runs
 *   before the cache lookup, so each encoding is cached under its own URI.
 */
export function viewerRequestCode(precompressed: boolean): string {
  const files = PRECOMPRESSED_FEED_FILES.map((file) => file.replace('.', '\\.')).join('|');
  return `
var PRECOMPRESSED = ${precompressed ? `/(^|\\/)(${files})$/` : 'null'};
function accepts(header, coding) {
  var parts = header.toLowerCase().split(',');
  for (var i = 0; i < parts.length; i++) {
    if (parts[i].split(';')[0].trim() !== coding) continue;
    var quality = /q=([0-9.]+)/.exec(parts[i]);
    return !quality || parseFloat(quality[1]) > 0;
  }
  return false;
}
function handler(event) {
  var request = event.request;
  if (request.uri.charAt(request.uri.length - 1) === '/') {
    request.uri += 'index.html';
    return request;
  }
  var header = request.headers['accept-encoding'];
  if (!PRECOMPRESSED || !header || !PRECOMPRESSED.test(request.uri)) return request;
  if (accepts(header.value, 'br')) request.uri += '.br';
  else if (accepts(header.value, 'gzip')) request.uri += '.gz';
  return request;
}
`.trim();
}

/** Settings of {@link ViewerRequestFunction}. */
export interface ViewerRequestFunctionProps {
  /** Whether `atom.xml` and `feed.json` are answered from their precompressed siblings. */
  readonly precompressedFeeds: boolean;
}

/** The CloudFront Function every request passes through; see {@link viewerRequestCode}. */
export class ViewerRequestFunction extends cloudfront.Function {
  public constructor(scope: Construct, id: string, props: ViewerRequestFunctionProps) {
    super(scope, id, {
      code: cloudfront.FunctionCode.fromInline(viewerRequestCode(props.precompressedFeeds)),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Directory index pages and precompressed feed variants',
    });
  }
}
