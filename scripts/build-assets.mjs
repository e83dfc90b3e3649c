// Builds portal/static (not committed) from npm packages and portal/assets.
import { compile } from "sass";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "portal", "static");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

for (const dir of ["css", "js", "images"]) mkdirSync(join(out, dir), { recursive: true });

const css = compile(join(root, "portal", "assets", "scss", "portal.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "css", "portal.css"), css.css);

copyFileSync(join(govuk, "govuk-frontend.min.js"), join(out, "js", "govuk-frontend.min.js"));
copyFileSync(join(root, "node_modules", "htmx.org", "dist", "htmx.min.js"), join(out, "js", "htmx.min.js"));
copyFileSync(join(root, "portal", "assets", "js", "portal.mjs"), join(out, "js", "portal.mjs"));
copyFileSync(join(root, "portal", "assets", "images", "favicon.svg"), join(out, "images", "favicon.svg"));
console.log("assets built in", out);
