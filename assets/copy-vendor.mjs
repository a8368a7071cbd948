// Copies the few built files of GOV.UK Frontend that OneStop uses into its static folder.
// Only the JavaScript: no GOV.UK font, crown, crest or favicon (those belong to GOV.UK).
import { copyFileSync, mkdirSync } from "node:fs";

const source = "node_modules/govuk-frontend/dist/govuk";
const target = "onestop/core/static/vendor";

mkdirSync(target, { recursive: true });
for (const file of ["govuk-frontend.min.js"]) {
  copyFileSync(`${source}/${file}`, `${target}/${file}`);
  console.log(`copied ${file} -> ${target}/`);
}
