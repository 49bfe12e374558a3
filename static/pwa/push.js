// The notices page's "receive notices on this phone" button: asks the browser for a Web Push
// subscription with the portal's VAPID key and hands it to the server (notices.push_views), or
// takes it back. Stays hidden where the browser cannot take push messages.
(function () {
  "use strict";
  var box = document.getElementById("push-optin");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) return;
  var button = box.querySelector("button");
  var status = document.getElementById("push-status");
  var text = function (name) { return box.getAttribute("data-text-" + name) || ""; };
  var current = null;

  function applicationServerKey(base64url) {
    var raw = atob(base64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64url.length + 3) % 4));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function post(url, subscription) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": box.querySelector("input[name=csrfmiddlewaretoken]").value },
      body: JSON.stringify(subscription),
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { var refused = new Error("refused"); refused.serverMessage = data.message; throw refused; }
        return data;
      });
    });
  }

  function show(subscription) {
    current = subscription;
    button.textContent = text(subscription ? "off" : "on");
    box.hidden = false;
  }

  function turnOn(registration) {
    return Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { status.textContent = text("denied"); return; }
      return registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: applicationServerKey(box.getAttribute("data-public-key")),
      }).then(function (subscription) {
        return post(box.getAttribute("data-subscribe-url"), subscription.toJSON()).then(function () {
          show(subscription);
          status.textContent = text("subscribed");
        }, function (error) {
          subscription.unsubscribe();
          throw error;
        });
      });
    });
  }

  function turnOff() {
    var subscription = current;
    return subscription.unsubscribe().then(function () {
      return post(box.getAttribute("data-unsubscribe-url"), subscription.toJSON());
    }).then(function () {
      show(null);
      status.textContent = text("unsubscribed");
    });
  }

  navigator.serviceWorker.ready.then(function (registration) {
    return registration.pushManager.getSubscription().then(function (subscription) {
      show(subscription);
      button.addEventListener("click", function () {
        button.disabled = true;
        (current ? turnOff() : turnOn(registration))
          .catch(function (error) { status.textContent = (error && error.serverMessage) || text("failed"); })
          .then(function () { button.disabled = false; });
      });
    });
  });
})();
