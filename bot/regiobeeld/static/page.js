// Draw each chart from the spec the page carries as JSON (one per chart: signals, escalations, plan lines);
// Vega's expressions run in its interpreter, not through eval, so the page's Content-Security-Policy needs
// neither inline script nor 'unsafe-eval'.
(function () {
  for (const source of document.querySelectorAll("script[data-chart]")) {
    vegaEmbed("#chart-" + source.dataset.chart, JSON.parse(source.textContent), {
      actions: false,
      renderer: "svg",
      ast: true,
      expr: window.vegaExpressionInterpreter,
    });
  }
})();
