// The report form's offline draft. With no network, "Gửi phản ánh" keeps the report on this phone
// (IndexedDB: the fields and up to three photos, made smaller here) and says so; when the network
// is back, one tap on "Gửi phản ánh đã lưu" sends it. The draft keeps the form's idempotency key: a
// send whose answer was lost can be repeated, and the server still files one report.
// Without JavaScript, or online with no draft, the form posts as it always did.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  var box = document.getElementById("draft-status");
  if (!form || !box || !form.getAttribute("data-draft-key") || !window.indexedDB || !window.fetch) return;
  var message = document.getElementById("draft-message");
  var sendButton = document.getElementById("draft-send");
  var discardButton = document.getElementById("draft-discard");
  var photoInput = form.querySelector("input[name=photos]");
  // One draft per account on this phone: a shared phone never sends one person's draft as another's.
  var KEY = form.getAttribute("data-draft-key");
  var MAX_PHOTOS = 3, MAX_SIDE = 1600, QUALITY = 0.85;
  var NOT_KEPT = { csrfmiddlewaretoken: true, photos: true };
  var draft = null;
  var restored = typeof WeakSet === "function" ? new WeakSet() : null; // files that already are draft photos
  var text = function (name) { return form.getAttribute("data-draft-text-" + name) || ""; };

  function say(name, extra) {
    message.textContent = text(name) + (extra ? " " + extra : "");
    box.hidden = false;
    sendButton.hidden = discardButton.hidden = !draft;
  }

  // --- IndexedDB: one object store, the draft under KEY ----------------------------------------
  function withStore(mode, action) {
    return new Promise(function (resolve, reject) {
      var opening = indexedDB.open("smarthp-drafts", 1);
      opening.onupgradeneeded = function () { opening.result.createObjectStore("drafts"); };
      opening.onerror = function () { reject(opening.error); };
      opening.onsuccess = function () {
        var db = opening.result;
        var tx = db.transaction("drafts", mode);
        var request = action(tx.objectStore("drafts"));
        tx.oncomplete = function () { db.close(); resolve(request.result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      };
    });
  }
  var load = function () { return withStore("readonly", function (s) { return s.get(KEY); }); };
  var store = function (value) { return withStore("readwrite", function (s) { return s.put(value, KEY); }); };
  var forget = function () { return withStore("readwrite", function (s) { return s.delete(KEY); }); };

  // --- Photos: at most MAX_SIDE px, JPEG (a phone photo of 4 MB becomes a few hundred KB) -------
  function shrink(file) {
    if (restored && restored.has(file)) return Promise.resolve({ name: file.name, blob: file });
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) bitmap.close();
      return new Promise(function (resolve, reject) {
        canvas.toBlob(function (blob) {
          if (blob) resolve({ name: file.name.replace(/\.[^.]*$/, "") + ".jpg", blob: blob });
          else reject(new Error("toBlob"));
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () {
      // A format this browser cannot draw (HEIC on most): kept as it is, the server converts it.
      return { name: file.name, blob: file };
    });
  }

  // --- Form <-> draft ----------------------------------------------------------------------------
  function capture() {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (!NOT_KEPT[name] && typeof value === "string") fields.push([name, value]);
    });
    var files = Array.prototype.slice.call(photoInput && photoInput.files || []);
    var trimmed = files.length > MAX_PHOTOS;
    // No file chosen now (a browser that cannot put files back in the input): keep the draft's.
    var photos = files.length ? Promise.all(files.slice(0, MAX_PHOTOS).map(shrink))
      : Promise.resolve(draft ? draft.photos : []);
    return photos.then(function (list) {
      return { fields: fields, photos: list, savedAt: new Date().toISOString(), trimmed: trimmed };
    });
  }

  function restore(saved) {
    var values = {};
    saved.fields.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    if (saved.fields.length) {
      Array.prototype.forEach.call(form.elements, function (element) {
        if (!element.name || NOT_KEPT[element.name] || element.type === "file") return;
        var kept = values[element.name] || [];
        if (element.type === "checkbox" || element.type === "radio") element.checked = kept.indexOf(element.value) >= 0;
        else if (kept.length) element.value = kept[0];
      });
    }
    var lat = parseFloat(values.lat), lng = parseFloat(values.lng);
    if (isFinite(lat) && isFinite(lng)) {
      document.dispatchEvent(new CustomEvent("report:point", { detail: { lat: lat, lng: lng } }));
    }
    if (photoInput && saved.photos.length && typeof DataTransfer === "function") {
      try {
        var chosen = new DataTransfer();
        saved.photos.forEach(function (photo) {
          var file = new File([photo.blob], photo.name, { type: photo.blob.type || "image/jpeg" });
          if (restored) restored.add(file);
          chosen.items.add(file);
        });
        photoInput.files = chosen.files;
        photoInput.dispatchEvent(new Event("change")); // report-form.js lists the names
      } catch (error) { /* the photos stay in the draft and are sent with it */ }
    }
  }

  function keep() {
    return capture().then(function (captured) {
      draft = captured;
      return store(draft);
    }).then(function () { say("saved", draft.trimmed ? text("trimmed") : ""); });
  }

  // --- Sending ------------------------------------------------------------------------------------
  function leaveMessage(html) {
    // The server's "sent" message was shown in the answer this script read: pass it to the next page
    // (static/pwa/register.js shows it there).
    try {
      var shown = new DOMParser().parseFromString(html, "text/html").querySelector(".messages .message-success");
      if (shown) sessionStorage.setItem("smarthp-flash", shown.textContent.trim());
    } catch (error) { /* the report page shows its code anyway */ }
  }

  function send() {
    if (!navigator.onLine) { say("still-offline"); return Promise.resolve(); }
    var body = new FormData();
    draft.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    body.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
    draft.photos.forEach(function (photo) { body.append("photos", photo.blob, photo.name); });
    sendButton.disabled = true;
    say("sending");
    return fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        var path = new URL(response.url).pathname;
        if (response.ok && response.redirected && path === new URL(form.getAttribute("data-login-url"), location.href).pathname) {
          say("signed-out");
        } else if (response.ok && response.redirected && path !== location.pathname) {
          // Filed (now or by an earlier send whose answer was lost): the report's page.
          return response.text().then(function (html) {
            leaveMessage(html);
            return forget();
          }).then(function () { location.assign(response.url); });
        } else if (response.ok) {
          // The server refused the form (a field to fix): show its page, the draft in the form.
          restore(draft);
          HTMLFormElement.prototype.submit.call(form);
        } else {
          say("failed");
        }
      })
      .catch(function () { say(navigator.onLine ? "failed" : "still-offline"); })
      .then(function () { sendButton.disabled = false; });
  }

  form.addEventListener("submit", function (event) {
    if (navigator.onLine && !draft) return;
    // Handled here: site.js's once-only guard must not count this tap.
    event.preventDefault();
    event.stopPropagation();
    keep().then(function () { if (navigator.onLine) return send(); })
      .catch(function () { say("not-saved"); });
  });

  sendButton.addEventListener("click", function () {
    keep().then(send).catch(function () { say("not-saved"); });
  });
  discardButton.addEventListener("click", function () {
    forget().then(function () { draft = null; say("discarded"); });
  });
  window.addEventListener("offline", function () { say(draft ? "saved" : "offline"); });
  window.addEventListener("online", function () { if (draft) say("online"); else box.hidden = true; });

  load().then(function (saved) {
    if (saved && saved.fields) {
      draft = saved;
      // After the server refused a sent draft, its page already holds what was typed (and the
      // errors); only the photos, which a page can never keep, come back from the draft.
      if (document.getElementById("form-errors")) restore({ fields: [], photos: saved.photos });
      else restore(saved);
      say(navigator.onLine ? "restored" : "saved");
    } else if (!navigator.onLine) {
      say("offline");
    }
  }).catch(function () { /* no IndexedDB (private mode): the form posts as usual */ });
})();
