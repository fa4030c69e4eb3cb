/**
 * The site's only style sheet, served as its own document (`assets/site.css`) so the pages need
 * no inline style under a strict Content-Security-Policy. Colours keep a contrast ratio of at
 * least 7:1 for text and 4.5:1 for links (WCAG AA), in light and dark schemes; widths are fluid.
 */
export const SITE_CSS = `:root {
  color-scheme: light dark;
  --text: #1a1a1a;
  --muted: #4d4d4d;
  --background: #ffffff;
  --link: #0b57d0;
  --rule: #d0d0d0;
  --focus: #b3261e;
}
@media (prefers-color-scheme: dark) {
  :root {
    --text: #ececec;
    --muted: #bdbdbd;
    --background: #121212;
    --link: #8ab4f8;
    --rule: #444444;
    --focus: #f2b8b5;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { font-size: 100%; -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0 auto;
  max-width: 44rem;
  padding: 0 clamp(1rem, 4vw, 2rem) 2rem;
  font: 1.0625rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  color: var(--text);
  background: var(--background);
  overflow-wrap: break-word;
}
a { color: var(--link); }
a:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -100vw; }
.skip:focus { position: static; display: inline-block; margin-top: 0.5rem; }
header.site { padding: 1rem 0; border-bottom: 1px solid var(--rule); }
header.site .home { font-weight: 700; text-decoration: none; }
footer.site { margin-top: 3rem; padding-top: 1rem; border-top: 1px solid var(--rule); color: var(--muted); }
h1 { font-size: clamp(1.6rem, 5vw, 2.2rem); line-height: 1.2; margin: 1.5rem 0 0.5rem; }
h2 { font-size: 1.35rem; line-height: 1.3; }
img, video { max-width: 100%; height: auto; }
pre { overflow-x: auto; padding: 0.75rem; border: 1px solid var(--rule); }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.95em; }
blockquote { margin: 1rem 0; padding-inline-start: 1rem; border-inline-start: 4px solid var(--rule); color: var(--muted); }
table { border-collapse: collapse; display: block; overflow-x: auto; }
th, td { border: 1px solid var(--rule); padding: 0.25rem 0.5rem; }
.meta { color: var(--muted); font-size: 0.95rem; }
.tags { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.5rem; }
.tags li { border: 1px solid var(--rule); border-radius: 1rem; padding: 0 0.6rem; font-size: 0.9rem; }
.articles { list-style: none; padding: 0; }
.articles > li { padding: 1rem 0; border-bottom: 1px solid var(--rule); }
.articles h3 { font-size: 1.2rem; margin: 0 0 0.25rem; }
.subscribe ul { padding-inline-start: 1.25rem; }
.subscribe code { word-break: break-all; }
.lead-image { margin: 1rem 0; }
`;
