/**
 * The gallery page's script, written beside `index.html` as `gallery-<hash>.js`. Plain ES2020 with
 * no dependencies, kept as text here so that a bundled Lambda carries it too. It polls
 * `gallery.json` (revalidating, so an unchanged manifest costs a 304), shows a new photo only once
 * its image has loaded (a guest never sees a broken or half-drawn tile), drops photos that left the
 * manifest, loads older pages on demand and opens photos in a lightbox (arrows, swipe, Escape, Back).
 * Its behaviour is specified by test/gallery-browser.test.ts, which runs it in Chromium.
 */
export const CLIENT_SCRIPT = `"use strict";
(function () {
  var main = document.querySelector("[data-gallery]");
  if (!main || !window.fetch) return;
  var grid = main.querySelector(".grid");
  var more = main.querySelector(".more");
  var count = main.querySelector(".count");
  var base = new URL(main.dataset.manifest, location.href);
  var pollMs = Math.max(1, Number(main.dataset.poll) || 5) * 1000;
  var sizes = main.dataset.sizes;
  var revision = main.dataset.revision;
  var manifest = null;
  var floor = null; // takenAt of the oldest photo shown: the pages down to it stay shown
  var timer = 0;
  var queue = Promise.resolve();

  function href(src) { return new URL(src, base).href; }
  function getJson(url) {
    return fetch(url, { cache: "no-cache" }).then(function (response) {
      if (!response.ok) throw new Error(url + ": HTTP " + response.status);
      return response.json();
    });
  }
  function isManifest(m) {
    return m && m.format === "photo-relay-gallery/1" && Array.isArray(m.photos) && Array.isArray(m.older);
  }
  function setImage(img, photo, imgSizes) {
    img.sizes = imgSizes;
    img.srcset = href(photo.thumbnail.src) + " " + photo.thumbnail.width + "w, " +
      href(photo.web.src) + " " + photo.web.width + "w";
    img.src = href(photo.thumbnail.src);
    img.alt = photo.alt || "";
  }
  /**
   * Resolves true once the image the tile will show has loaded (and, where the browser can, been
   * decoded: a decode that fails is no reason to hide a loaded image), false if it failed to load.
   */
  function preload(photo) {
    return new Promise(function (resolve) {
      var img = new Image();
      function loaded() { resolve(img.naturalWidth > 0); }
      img.onload = function () {
        if (img.decode) img.decode().then(loaded, loaded);
        else loaded();
      };
      img.onerror = function () { resolve(false); };
      setImage(img, photo, sizes);
    });
  }
  function tile(photo) {
    var a = document.createElement("a");
    a.className = "tile new";
    a.href = href(photo.web.src);
    a.dataset.id = photo.id;
    var img = document.createElement("img");
    img.width = photo.thumbnail.width;
    img.height = photo.thumbnail.height;
    img.decoding = "async";
    setImage(img, photo, sizes);
    a.appendChild(img);
    a.addEventListener("animationend", function () { a.classList.remove("new"); }, { once: true });
    return a;
  }

  /** Makes the grid show \`list\` in order; resolves false if some new image failed to load. */
  function render(list) {
    var existing = new Map();
    Array.prototype.forEach.call(grid.children, function (el) { existing.set(el.dataset.id, el); });
    var wanted = new Set(list.map(function (p) { return p.id; }));
    existing.forEach(function (el, id) { if (!wanted.has(id)) { el.remove(); existing.delete(id); } });
    var fresh = list.filter(function (p) { return !existing.has(p.id); });
    return Promise.all(fresh.map(preload)).then(function (loaded) {
      var ready = new Set(fresh.filter(function (p, i) { return loaded[i]; }).map(function (p) { return p.id; }));
      var previous = null;
      list.forEach(function (photo) {
        var el = existing.get(photo.id);
        if (!el) {
          if (!ready.has(photo.id)) return;
          el = tile(photo);
        }
        var at = previous ? previous.nextElementSibling : grid.firstElementChild;
        if (at !== el) grid.insertBefore(el, at);
        previous = el;
      });
      return ready.size === fresh.length;
    });
  }

  function pagesFor(m) {
    return floor === null ? [] : m.older.filter(function (page) { return page.newest >= floor; });
  }
  function show(m) {
    var pages = pagesFor(m).map(function (page) { return getJson(href(page.src)); });
    return Promise.all(pages).then(function (loaded) {
      var list = m.photos.concat.apply(m.photos, loaded.map(function (page) { return page.photos; }));
      return render(list).then(function (complete) {
        var oldest = list.length ? list[list.length - 1].takenAt : null;
        if (floor === null || (oldest !== null && oldest < floor)) floor = oldest;
        manifest = m;
        revision = complete ? m.revision : null; // a photo that did not load is tried again
        main.dataset.revision = m.revision;
        count.textContent = m.count === 1 ? "1 photo" : m.count + " photos";
        more.hidden = pagesFor(m).length >= m.older.length;
        if (observer) {
          // Observing afresh reports the button's state now: still in view, the next page loads.
          observer.unobserve(more);
          observer.observe(more);
        }
      });
    });
  }

  /** Runs \`task\` after the ones before it, so renders never interleave. */
  function serial(task) {
    queue = queue.then(task).catch(function () {});
    return queue;
  }
  function poll() {
    clearTimeout(timer);
    return serial(function () {
      return getJson(base.href).then(function (m) {
        if (!isManifest(m)) throw new Error("not a gallery manifest");
        main.dataset.state = "live";
        if (m.revision !== revision || !manifest) return show(m);
      }, function (error) {
        main.dataset.state = "offline";
        throw error;
      });
    }).then(function () {
      clearTimeout(timer);
      if (!document.hidden) timer = setTimeout(poll, pollMs);
    });
  }
  function older() {
    var next = manifest && manifest.older[pagesFor(manifest).length];
    if (!next) return;
    floor = next.oldest;
    serial(function () { return show(manifest); });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) clearTimeout(timer);
    else poll();
  });
  // A tile whose image fails (its photo was just removed) leaves; the next manifest decides.
  grid.addEventListener("error", function (event) {
    var el = event.target.closest && event.target.closest(".tile");
    if (el) { el.remove(); revision = null; }
  }, true);
  more.addEventListener("click", older);
  var observer = "IntersectionObserver" in window && new IntersectionObserver(function (seen) {
    if (seen.some(function (e) { return e.isIntersecting; })) older();
  }, { rootMargin: "600px" });
  if (observer) observer.observe(more);

  var box = document.createElement("dialog");
  box.className = "lightbox";
  box.innerHTML = '<img alt=""><button class="close" type="button" aria-label="Close">×</button>' +
    '<button class="prev" type="button" aria-label="Previous">‹</button>' +
    '<button class="next" type="button" aria-label="Next">›</button><p></p>';
  document.body.appendChild(box);
  var big = box.querySelector("img");
  var caption = box.querySelector("p");
  var current = null;
  function open(el) {
    var img = el.querySelector("img");
    current = el;
    big.sizes = "100vw";
    big.srcset = img.srcset;
    big.src = el.href;
    big.alt = img.alt;
    caption.textContent = img.alt;
    if (!box.open) {
      box.showModal();
      history.pushState({ lightbox: true }, "");
    }
  }
  function step(direction) {
    var next = current && (direction > 0 ? current.nextElementSibling : current.previousElementSibling);
    if (next) open(next);
    else if (direction > 0) older();
  }
  grid.addEventListener("click", function (event) {
    var el = event.target.closest(".tile");
    if (!el || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    if (typeof box.showModal !== "function") return; // an old browser: the link opens the photo
    event.preventDefault();
    open(el);
  });
  box.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (button && button.className === "next") step(1);
    else if (button && button.className === "prev") step(-1);
    else if (button || event.target === box) box.close();
  });
  box.addEventListener("keydown", function (event) {
    if (event.key === "ArrowRight") step(1);
    if (event.key === "ArrowLeft") step(-1);
  });
  var startX = null;
  box.addEventListener("pointerdown", function (event) { startX = event.clientX; });
  box.addEventListener("pointerup", function (event) {
    if (startX !== null && Math.abs(event.clientX - startX) > 40) step(event.clientX < startX ? 1 : -1);
    startX = null;
  });
  box.addEventListener("close", function () {
    if (history.state && history.state.lightbox) history.back();
  });
  window.addEventListener("popstate", function () { if (box.open) box.close(); });

  poll();
})();
`;
