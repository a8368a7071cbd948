// Starts GOV.UK Frontend's components. Loaded as a module, so it only runs in browsers that
// GOV.UK Frontend supports; every page also works without it.
import { initAll } from "../vendor/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
