// Our Mini App pages: Telegram hands the person's signed launch data in the address's fragment
// (#tgWebAppData=…); it goes with every post, so the server knows who sends (bot/forms/initdata.py).
(function () {
  "use strict";
  var hash = new URLSearchParams(window.location.hash.slice(1));
  var init = hash.get("tgWebAppData") || "";
  var field = document.querySelector("input[name=init_data]");
  if (field && !field.value) { field.value = init; }
  var opening = document.querySelector("form[data-open]");
  if (opening) { opening.submit(); return; }
  if (document.querySelector("[data-close]")) {
    // Sent: back to the chat, as Telegram's clients close a Mini App (and the sandbox's panel).
    var close = JSON.stringify({ eventType: "web_app_close", eventData: {} });
    if (window.TelegramWebviewProxy) { window.TelegramWebviewProxy.postEvent("web_app_close", "{}"); }
    else if (window.external && window.external.notify) { try { window.external.notify(close); } catch (e) {} }
    if (window.parent !== window) { window.parent.postMessage(close, "*"); }
  }
})();
