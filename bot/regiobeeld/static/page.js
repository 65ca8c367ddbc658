// Draw the months chart from the spec the page carries as JSON; Vega's expressions run in its interpreter,
// not through eval, so the page's Content-Security-Policy needs neither inline script nor 'unsafe-eval'.
(function () {
  const spec = JSON.parse(document.getElementById("spec-maanden").textContent);
  vegaEmbed("#chart-maanden", spec, {
    actions: false,
    renderer: "svg",
    ast: true,
    expr: window.vegaExpressionInterpreter,
  });
})();
