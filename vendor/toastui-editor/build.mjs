// Bundles Toast UI Editor with its ProseMirror and DOMPurify dependencies into one minified
// file for static/vendor/, patched to run under the site's CSP (style-src 'self', img-src
// 'self' https:). Run with `make vendor-editor`; see README.md, "The article editor".
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";

const here = new URL(".", import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(here, "node_modules/@toast-ui/editor/package.json")));
const out = join(here, "../../static/vendor", `toastui-editor-${pkg.version}`);

// Each patch must match exactly once, or the build stops: a new version needs a new look.
const PATCHES = [
  // The editor's little virtual DOM sets a string `style` with setAttribute(), which a CSP
  // without 'unsafe-inline' refuses; through the CSSOM it is allowed and does the same.
  [
    "node.setAttribute(propName, props[propName]);",
    "if (propName === 'style') { node.style.cssText = props[propName] || ''; } " +
      "else { node.setAttribute(propName, props[propName]); }",
  ],
  // The tooltip starts hidden through static/css/article-editor.css instead of a style attribute.
  ['" style=\\"display:none\\">', '">'],
];

const patchCsp = {
  name: "patch-csp",
  setup(build) {
    build.onLoad({ filter: /@toast-ui[\\/]editor[\\/]dist[\\/]esm[\\/]index\.js$/ }, (args) => {
      let text = readFileSync(args.path, "utf8");
      for (const [from, to] of PATCHES) {
        const count = text.split(from).length - 1;
        if (count !== 1) throw new Error(`patch ${JSON.stringify(from)} matched ${count} times`);
        text = text.replace(from, to);
      }
      return { contents: text, loader: "js" };
    });
  },
};

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "img"), { recursive: true });
await esbuild.build({
  entryPoints: [join(here, "entry.js")],
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2018",
  legalComments: "eof",
  plugins: [patchCsp],
  outfile: join(out, "toastui-editor.min.js"),
});

// img-src has no data: the stylesheet's inline icons become files beside it.
let css = readFileSync(join(here, "node_modules/@toast-ui/editor/dist/toastui-editor.css"), "utf8");
css = css.replace(/url\(\s*["']?data:image\/(png|svg\+xml);base64,([A-Za-z0-9+/=]+)["']?\s*\)/g,
  (_match, type, data) => {
    const bytes = Buffer.from(data, "base64");
    const name = `${createHash("sha256").update(bytes).digest("hex").slice(0, 16)}.${type === "png" ? "png" : "svg"}`;
    writeFileSync(join(out, "img", name), bytes);
    return `url(img/${name})`;
  });
const minified = await esbuild.transform(css, { loader: "css", minify: true });
writeFileSync(join(out, "toastui-editor.min.css"), minified.code);

// The licences of everything in the bundle, beside it.
const bundled = ["@toast-ui/editor", "dompurify", "orderedmap", "rope-sequence", "w3c-keyname"];
for (const name of ["commands", "history", "inputrules", "keymap", "model", "state", "transform", "view"]) {
  bundled.push(`prosemirror-${name}`);
}
const notices = bundled.map((name) => {
  const dir = join(here, "node_modules", name);
  const meta = JSON.parse(readFileSync(join(dir, "package.json")));
  let text;
  try {
    text = readFileSync(join(dir, "LICENSE"), "utf8");
  } catch {
    text = readFileSync(join(here, "TOAST-UI-LICENSE"), "utf8"); // the npm package ships none
  }
  return `${name} ${meta.version} (${meta.license})\n${"=".repeat(60)}\n${text.trim()}\n`;
});
writeFileSync(join(out, "LICENSE"), readFileSync(join(here, "TOAST-UI-LICENSE"), "utf8"));
writeFileSync(join(out, "THIRD-PARTY-LICENSES.txt"), notices.join("\n\n"));
console.log(`built ${out}`);
