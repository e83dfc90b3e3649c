// Starts GOV.UK Frontend's components, and again inside anything htmx swaps in.
import { initAll } from "./govuk-frontend.min.js";

initAll();
if (window.htmx) {
  window.htmx.onLoad((element) => {
    if (element !== document.body) {
      initAll({ scope: element });
    }
  });
}
