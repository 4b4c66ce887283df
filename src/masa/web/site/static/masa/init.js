// Start govuk-frontend components (served as a static module: the CSP allows no inline script).
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.remove("js-disabled");
document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
