/** Raw request paths the function must refuse before anything else, as a viewer may send them. */
export const UNSAFE_PATHS = [
  '/../site.yaml',
  '/articles/../feed.json',
  '/articles/./hello/',
  '/.',
  '/articles/..',
  '/%2e%2e/site.yaml',
  '/%2E%2E/feed.json',
  '/%2e/rss.xml',
  '/.%2E/feed.json',
  '//rss.xml',
  '/articles//hello/',
  '/articles\\hello/',
  '/..%5csite.yaml',
  '/..%2fsite.yaml',
  '/fr%2Ffeed.json',
  '/rss.xml%00',
];
