// The view (Both / 中文 / English) follows the reader from page to page and back: it is kept in localStorage.
// Without script, or without storage, the radio inputs still switch the view; each page then starts on Both.
(() => {
  const KEY = "zh-news-pipeline.view";
  const inputs = ["view-both", "view-zh", "view-en"].map((id) => document.getElementById(id));
  const restore = () => {
    let id = null;
    try { id = localStorage.getItem(KEY); } catch { return; }
    const input = inputs.find((i) => i.id === id);
    if (input) input.checked = true;
  };
  for (const input of inputs) {
    input.addEventListener("change", () => { try { localStorage.setItem(KEY, input.id); } catch { /* none */ } });
  }
  restore();
  // Back and forward restore a page (and its form state) from the cache; another tab may have changed the view.
  addEventListener("pageshow", restore);
  addEventListener("storage", (e) => { if (e.key === KEY) restore(); });
})();
