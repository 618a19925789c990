import type { Context } from 'hono';

/** Swagger UI's files that the page loads, served under /docs/assets/ (and nothing else of the package). */
export const DOCS_ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js'] as const;

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>edgecart API reference</title>
<link rel="stylesheet" href="/docs/assets/${DOCS_ASSETS[0]}">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/${DOCS_ASSETS[1]}"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

// A file rather than an inline script, so a strict Content-Security-Policy can stay on.
const init = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n`;

/** The page loads only its own files; Swagger UI sets inline styles. */
const DOCS_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/** Replaces the API's allow-nothing policy on the docs page and its files. */
export const docsPolicy = (c: Context) => c.header('Content-Security-Policy', DOCS_POLICY);

export const docsPage = (c: Context) => {
  docsPolicy(c);
  return c.html(page);
};

export const docsInit = (c: Context) => {
  docsPolicy(c);
  return c.body(init, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
};
