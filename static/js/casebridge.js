/*
 * Casebridge front-end entry point (ES module, no build step).
 *
 * The base template needs exactly this, once, as the last thing in <body>
 * (paths relative to STATIC_URL):
 *
 *   <script type="module" src="{% static 'js/casebridge.js' %}"></script>
 *
 * Do NOT add separate tags for vendor/govuk/govuk-frontend.min.js or
 * vendor/moj/moj-frontend.min.js: both are ES modules (not UMD globals) and
 * are imported below. type="module" scripts are deferred and are ignored by
 * browsers without ES module support, which then get the no-JS experience.
 *
 * Optional, recommended: the GOV.UK template's one-line inline script at the
 * very start of <body>, with the CSP nonce, so the JS-only styles apply before
 * first paint instead of after this deferred module runs:
 *
 *   <script nonce="{{ request.csp_nonce }}">document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');</script>
 *
 * Pages that draw charts / use htmx add classic (non-module) tags themselves:
 *   <script src="{% static 'vendor/chartjs/chart.umd.min.js' %}"></script>  (window.Chart)
 *   <script src="{% static 'vendor/htmx/htmx.min.js' %}"></script>          (window.htmx)
 */
import { initAll as initGovUKFrontend } from '../vendor/govuk/govuk-frontend.min.js'
import * as MOJFrontend from '../vendor/moj/moj-frontend.min.js'

// GOV.UK Frontend 6 components only initialise when <body> has
// `govuk-frontend-supported` (its template sets it inline for browsers with
// ES module support, which is every browser that runs this file). MOJ Frontend
// CSS still keys some styles off `js-enabled`. Adding them again is harmless.
document.body.classList.add('js-enabled', 'govuk-frontend-supported')

initGovUKFrontend()

if (typeof MOJFrontend.initAll === 'function') {
  MOJFrontend.initAll()
}
